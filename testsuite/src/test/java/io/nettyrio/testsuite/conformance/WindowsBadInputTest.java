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
package io.nettyrio.testsuite.conformance;

import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.windows.WindowsProvider;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The bad-input suite against the raw Windows provider, without RioRules in front: what real RIO reports, error code
 * by error code. It runs in the Windows CI workflow; the same abstract class runs against the io_uring provider
 * on Linux, so the two are held to one contract.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "real RIO exists only on Windows")
class WindowsBadInputTest extends RioBadInputSuite {
    private static RioProvider provider;

    @Override
    protected RioProvider provider() throws Exception {
        // One provider for the class, opened by the first case (its constructor may throw, saying why).
        if (provider == null) {
            provider = new WindowsProvider();
        }
        return provider;
    }
}
