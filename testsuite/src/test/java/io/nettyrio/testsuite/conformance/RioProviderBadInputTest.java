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

import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.testing.ExpectedRuleViolations;

/**
 * The bad-input suite against {@link Rio#provider()}: the provider of the running OS, as the transport gets it
 * (wrapped in RioRules, since every test runs with {@code -Dio.nettyrio.rules=true}). It fails, rather than being
 * skipped, where no provider is available.
 */
@ExpectedRuleViolations("every bad input reaches Rio.provider() through RioRules, which refuses it before the provider")
class RioProviderBadInputTest extends RioBadInputSuite {
    @Override
    protected RioProvider provider() {
        return Rio.provider();
    }
}
