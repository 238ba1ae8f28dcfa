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
package io.nettyrio.channel;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Rio} of the channel package answers as the model's {@link io.nettyrio.rio.Rio}: here, where the provider
 * opens, and in a fresh JVM whose provider cannot be loaded (the model decides once per JVM, at class
 * initialization, so the unavailable case needs its own JVM).
 */
class RioTest {
    /** A provider class that does not exist: the model cannot load it and keeps the ClassNotFoundException. */
    static final String MISSING_PROVIDER = "io.nettyrio.channel.RioTest$NoSuchProvider";

    @Test
    void availableHereAndSameAnswersAsTheModel() {
        assertTrue(Rio.isAvailable(), () -> "the provider should open on this machine: " + Rio.unavailabilityCause());
        assertEquals(io.nettyrio.rio.Rio.isAvailable(), Rio.isAvailable());
        assertNull(Rio.unavailabilityCause());
        assertDoesNotThrow(Rio::ensureAvailability);
    }

    @Test
    void unavailableInAJvmWithoutProvider() throws Exception {
        List<String> lines = runWithoutProvider(RioTest.class.getName());
        assertTrue(lines.contains("available=false"), lines::toString);
        assertTrue(lines.contains("modelAvailable=false"), lines::toString);
        assertTrue(lines.contains("sameCause=true"), lines::toString);
        assertTrue(lines.contains("cause=java.lang.ClassNotFoundException"), lines::toString);
        assertTrue(lines.contains("ensureAvailability=java.lang.UnsatisfiedLinkError causedBy sameCause"),
                lines::toString);
    }

    /** What the fresh JVM runs: prints what the channel package's Rio answers. */
    public static void main(String[] args) {
        Throwable cause = Rio.unavailabilityCause();
        System.out.println("available=" + Rio.isAvailable());
        System.out.println("modelAvailable=" + io.nettyrio.rio.Rio.isAvailable());
        System.out.println("sameCause=" + (cause != null && cause == io.nettyrio.rio.Rio.unavailabilityCause()));
        System.out.println("cause=" + (cause == null ? null : cause.getClass().getName()));
        try {
            Rio.ensureAvailability();
            System.out.println("ensureAvailability=returned");
        } catch (Throwable t) {
            System.out.println("ensureAvailability=" + t.getClass().getName()
                    + (t.getCause() == cause ? " causedBy sameCause" : " causedBy " + t.getCause()));
        }
    }

    /**
     * Runs {@code mainClass} in a fresh JVM with this one's class path and the provider property naming a class
     * that does not exist, and returns its output lines; fails if it does not exit with 0 within 60 s.
     */
    static List<String> runWithoutProvider(String mainClass) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-D" + io.nettyrio.rio.Rio.PROVIDER_PROPERTY + "=" + MISSING_PROVIDER,
                "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the fresh JVM did not end");
        assertEquals(0, process.exitValue(), () -> "the fresh JVM failed: " + lines);
        return lines;
    }

    @Test
    void theMissingProviderReallyIsMissing() {
        // Guards the test above: were the class to exist, the fresh JVM would test something else.
        assertSame(null, RioTest.class.getClassLoader().getResource(MISSING_PROVIDER.replace('.', '/') + ".class"));
    }
}
