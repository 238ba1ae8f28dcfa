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
package io.nettyrio.rio.fault;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The OS provider wrapped in a {@link FaultInjectingProvider} configured from system properties, with the no-arg
 * constructor {@link Rio#PROVIDER_PROPERTY} needs: a whole test JVM (for example Netty's testsuite over the
 * transport) runs under faults with
 * {@code -Dio.nettyrio.provider=io.nettyrio.rio.fault.SystemPropertyFaultProvider} and the properties of
 * {@link #config()}. {@link Rio} still wraps it in RioRules when the rules are on, so the rules check the caller
 * against what the decorator reports.
 */
public final class SystemPropertyFaultProvider implements RioProvider {
    /** Prefix of the properties read by {@link #config()}. */
    public static final String PREFIX = "io.nettyrio.fault.";

    private static final String WINDOWS_PROVIDER = "io.nettyrio.rio.windows.WindowsProvider";
    private static final String IO_URING_PROVIDER = "io.nettyrio.rio.uring.IoUringProvider";

    private final FaultInjectingProvider faults;

    /**
     * Opens the OS provider (as {@link Rio} would) and wraps it with {@link #config()}.
     *
     * @throws Exception why the OS provider could not be opened
     */
    public SystemPropertyFaultProvider() throws Exception {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String className = os.startsWith("windows") ? WINDOWS_PROVIDER : IO_URING_PROVIDER;
        RioProvider provider;
        try {
            provider = (RioProvider) Class.forName(className).getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        faults = FaultInjectingProvider.wrap(provider, config());
        String countersFile = System.getProperty(PREFIX + "countersFile");
        if (countersFile != null) {
            // What was injected, for a run that cannot print it itself (Netty's testsuite): appended at exit.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.writeString(Path.of(countersFile), faults.config() + " " + faults.counters()
                            + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    System.err.println("cannot write " + countersFile + ": " + e);
                }
            }, "fault-counters"));
        }
    }

    /**
     * The config from system properties, every one optional: {@code io.nettyrio.fault.seed} (default 0),
     * {@code .callFailure}, {@code .commitOnlyFailure}, {@code .acceptConnectFailure}, {@code .completionError}, {@code .delay}, {@code .split}
     * (probabilities, default 0), {@code .maxHeldDequeues} (default 3), {@code .maxSplitLength} (default 16). The constructor also reads {@code .countersFile}: if set, the
     * config and the counters are appended to that file when the JVM exits.
     */
    public static FaultConfig config() {
        return FaultConfig.builder(Long.getLong(PREFIX + "seed", 0))
                .callFailure(probability("callFailure"))
                .commitOnlyFailure(probability("commitOnlyFailure"))
                .acceptConnectFailure(probability("acceptConnectFailure"))
                .completionError(probability("completionError"))
                .delay(probability("delay"), Integer.getInteger(PREFIX + "maxHeldDequeues", 3))
                .split(probability("split"), Integer.getInteger(PREFIX + "maxSplitLength", 16))
                .build();
    }

    private static double probability(String name) {
        String value = System.getProperty(PREFIX + name);
        try {
            return value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + " is not a number: " + value, e);
        }
    }

    /** The decorator, for its counters. */
    public FaultInjectingProvider faults() {
        return faults;
    }

    @Override
    public String name() {
        return faults.name();
    }

    @Override
    public RegisteredIo registeredIo() {
        return faults.registeredIo();
    }

    @Override
    public RioSockets sockets() {
        return faults.sockets();
    }

    @Override
    public Port openPort() throws RioException {
        return faults.openPort();
    }

    @Override
    public Port openOwnedPort() throws RioException {
        return faults.openOwnedPort();
    }

    @Override
    public String toString() {
        return faults.toString();
    }
}
