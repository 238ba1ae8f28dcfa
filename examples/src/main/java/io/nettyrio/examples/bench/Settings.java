/*
 * Copyright 2026 The Netty RIO Project
 *
 * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in
 * compliance with the License. You may obtain a copy of the License at
 *
 *   https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software distributed under the License is
 * distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and limitations under the License.
 */
package io.nettyrio.examples.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code name=value} command-line settings of the benchmark programs, each checked against its range. */
final class Settings {
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    static Settings parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("settings are name=value: '" + a + "'");
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return new Settings(values);
    }

    int integer(String name, int defaultValue, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        int i = Integer.parseInt(v.trim());
        if (i < min || i > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + i);
        }
        return i;
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    boolean bool(String name, boolean defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + v);
        };
    }

    List<String> list(String name, String defaultValue) {
        return Arrays.stream(string(name, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
