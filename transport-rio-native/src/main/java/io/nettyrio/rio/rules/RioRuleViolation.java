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
package io.nettyrio.rio.rules;

import java.util.Objects;

/**
 * Thrown by {@link RioRules} when a call breaks a documented RIO rule whose breach Windows does not report (it
 * corrupts memory instead). The call did not reach the provider: no request was started.
 */
public final class RioRuleViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final RioRules.Rule rule;

    /**
     * Creates a violation of {@code rule}.
     *
     * @param rule   the rule broken
     * @param detail what the call did, in words
     */
    public RioRuleViolation(RioRules.Rule rule, String detail) {
        super(message(rule, detail));
        this.rule = Objects.requireNonNull(rule, "rule");
        RioRules.raised(this);
    }

    /** Returns the rule broken. */
    public RioRules.Rule rule() {
        return rule;
    }

    static String message(RioRules.Rule rule, String detail) {
        return "RioRules rule " + rule.number() + " " + rule.name() + ": " + detail;
    }
}
