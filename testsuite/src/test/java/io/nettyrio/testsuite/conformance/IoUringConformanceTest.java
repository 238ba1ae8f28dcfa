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
import io.nettyrio.rio.uring.IoUringProvider;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The conformance suite against the raw Linux provider, without RioRules in front: what the provider itself
 * reports, error code by error code.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the io_uring provider exists only on Linux")
class IoUringConformanceTest extends RioConformanceSuite {
    private static RioProvider provider;

    @Override
    protected RioProvider provider() throws Exception {
        // One provider for the class, opened by the first case (its constructor may throw, saying why).
        if (provider == null) {
            provider = new IoUringProvider();
        }
        return provider;
    }
}
