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
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.testing.ExpectedRuleViolations;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite against {@link Rio#provider()}: the provider of the running OS, as the transport gets it
 * (wrapped in RioRules, since every test runs with {@code -Dio.nettyrio.rules=true}). It fails, rather than being
 * skipped, where no provider is available.
 */
@ExpectedRuleViolations("the suite's invalid-argument and use-after-close cases reach Rio.provider() through "
        + "RioRules, which refuses them before the provider")
class RioProviderConformanceTest extends RioConformanceSuite {
    @Override
    protected RioProvider provider() {
        return Rio.provider();
    }

    /** The tests run with RioRules on (the parent pom's argLine), so this class checks the provider through it. */
    @Test
    void rioRulesWrapTheProviderInTests() {
        assertTrue(Rio.rulesEnabled(), "-D" + Rio.RULES_PROPERTY + "=true is not set");
        assertTrue(RioRules.isChecked(Rio.provider().registeredIo()), "Rio.provider() is not wrapped in RioRules");
    }
}
