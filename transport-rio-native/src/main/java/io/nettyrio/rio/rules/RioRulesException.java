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

import io.nettyrio.rio.RioException;

import java.util.Objects;

/**
 * A {@link RioException} thrown by {@link RioRules} for a breach Windows reports with an error code (for example
 * {@code WSAEINVAL} for a COMMIT_ONLY call that passes data): the same code the provider would report, with a
 * message naming the rule. The call did not reach the provider.
 */
public final class RioRulesException extends RioException {
    private static final long serialVersionUID = 1L;

    private final RioRules.Rule rule;

    /**
     * Creates an exception for {@code call} failing with {@code wsaError} because it broke {@code rule}.
     */
    public RioRulesException(String call, int wsaError, RioRules.Rule rule, String detail) {
        super(call, wsaError, RioRuleViolation.message(rule, detail));
        this.rule = Objects.requireNonNull(rule, "rule");
        RioRules.raised(this);
    }

    /** Returns the rule broken. */
    public RioRules.Rule rule() {
        return rule;
    }
}
