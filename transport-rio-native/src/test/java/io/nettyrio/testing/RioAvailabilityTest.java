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
package io.nettyrio.testing;

import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.opentest4j.TestAbortedException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RioAvailability}: a missing provider skips a test, or fails it when {@value
 * RioAvailability#REQUIRE_PROVIDER_PROPERTY} is set, with the provider's own reason either way. The provider is
 * made missing in a fresh JVM (Rio chooses its provider once, when its class is initialized) by naming the Windows
 * provider on Linux.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "on Windows the Windows provider is available, so naming it "
        + "does not make RIO unavailable")
class RioAvailabilityTest {

    /** Run in a fresh JVM: calls the helper and prints how it ended and with which message. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                RioAvailability.assumeRioAvailable();
                System.out.println("ran|");
            } catch (TestAbortedException e) {
                System.out.println("skipped|" + e.getMessage());
            } catch (AssertionError e) {
                System.out.println("failed|" + e.getMessage());
            }
        }
    }

    private static String probe(boolean require) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-D" + Rio.PROVIDER_PROPERTY + "=io.nettyrio.rio.windows.WindowsProvider",
                "-D" + RioAvailability.REQUIRE_PROVIDER_PROPERTY + "=" + require,
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void aMissingProviderSkipsWithItsReason() throws Exception {
        String output = probe(false);
        assertTrue(output.startsWith("skipped|"), output);
        assertTrue(output.contains("RIO not available: java.lang.UnsupportedOperationException: the Windows RIO "
                + "provider needs Windows 8 or later"), output);
    }

    @Test
    void aMissingProviderFailsWithItsReasonWhenOneIsRequired() throws Exception {
        String output = probe(true);
        assertTrue(output.startsWith("failed|no RIO provider, and io.nettyrio.requireProvider=true requires one: "
                + "java.lang.UnsupportedOperationException: the Windows RIO provider needs Windows 8 or later"),
                output);
    }
}
