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

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one check a test makes before it needs a real RIO provider. Where the provider may be missing (a developer's
 * machine without io_uring) the test is skipped, with the provider's reason; where it must be there (the Linux CI
 * run: {@code .ci/run} sets {@value #REQUIRE_PROVIDER_PROPERTY}) a missing provider fails the test with that reason
 * instead, so that no test of the transport is skipped silently.
 */
public final class RioAvailability {
    /** The system property that makes a missing provider a failure rather than a skip. */
    public static final String REQUIRE_PROVIDER_PROPERTY = "io.nettyrio.requireProvider";

    private RioAvailability() {
    }

    /**
     * Skips the calling test if no RIO provider is available, or fails it if {@value #REQUIRE_PROVIDER_PROPERTY} is
     * {@code true}; either way the message carries {@link Rio#unavailabilityCause()}.
     */
    public static void assumeRioAvailable() {
        if (Rio.isAvailable()) {
            return;
        }
        Throwable cause = Rio.unavailabilityCause();
        if (Boolean.getBoolean(REQUIRE_PROVIDER_PROPERTY)) {
            throw new AssertionError("no RIO provider, and " + REQUIRE_PROVIDER_PROPERTY + "=true requires one: "
                    + cause, cause);
        }
        assumeTrue(false, () -> "RIO not available: " + cause);
    }
}
