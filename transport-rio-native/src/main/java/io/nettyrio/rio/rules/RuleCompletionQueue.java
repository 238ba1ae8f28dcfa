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

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A completion queue as RioRules tracks it: the requests in flight that complete on it (by the context RioRules gave
 * the provider), the request queues bound to it, the port it notifies, and who is inside a call on it.
 */
final class RuleCompletionQueue extends RuleSerialized {
    final long handle;
    /** The port handle its notification names, or 0. */
    final long portHandle;
    final ConcurrentHashMap<Long, RuleRequest> requests = new ConcurrentHashMap<>();
    /** Request queues bound to it, counting a queue once for receives and once for sends. */
    final AtomicInteger bindings = new AtomicInteger();
    volatile boolean closed;

    RuleCompletionQueue(long handle, long portHandle) {
        this.handle = handle;
        this.portHandle = portHandle;
    }

    @Override
    public String toString() {
        return "RIO_CQ 0x" + Long.toHexString(handle);
    }
}
