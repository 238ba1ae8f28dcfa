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

import io.nettyrio.rio.ForwardingPort;
import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;

/**
 * The {@link Port} of {@link RioRules}: catches two threads inside {@link #getQueuedCompletionStatus} or
 * {@link #close} at once (rule 6; the port's wait and close "belong to one thread"), a thread other than the first
 * that waited on an owned port waiting on it or closing it (rule 6; {@code RioProvider.openOwnedPort}: Windows
 * would serve it, the Linux provider refuses it), and closing the port while a completion queue still notifies it
 * (rule 8). {@link #post} is free from any thread and passes straight through
 * ({@link ForwardingPort}).
 */
final class RioRulesPort extends ForwardingPort {
    private final RioRulesRegisteredIo io;
    /** Marks the thread inside a wait or close. */
    private final RuleSerialized calls = new RuleSerialized() {
        @Override
        public String toString() {
            return RioRulesPort.this.toString();
        }
    };

    private final boolean owned;
    /** The first thread that waited on an owned port. */
    private volatile Thread owner;

    RioRulesPort(Port delegate, RioRulesRegisteredIo io, boolean owned) {
        super(delegate);
        this.io = io;
        this.owned = owned;
    }

    private void checkOwner(String call, boolean claim) {
        if (!owned) {
            return;
        }
        Thread current = Thread.currentThread();
        Thread first = owner;
        if (first == null) {
            if (claim) {
                owner = current;
            }
        } else if (first != current) {
            throw new RioRuleViolation(RioRules.Rule.OWNED_PORT_OTHER_THREAD, call + " on owned " + this
                    + " from thread '" + current.getName() + "'; it belongs to thread '" + first.getName()
                    + "', the first that waited on it");
        }
    }

    /** Returns the provider's own port behind {@code port}, which the provider's socket calls expect. */
    static Port unwrap(Port port) {
        return unwrap(port, RioRulesPort.class);
    }

    @Override
    public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
        calls.enter(RioRules.Rule.UNSERIALIZED_PORT, "GetQueuedCompletionStatusEx");
        try {
            checkOwner("GetQueuedCompletionStatusEx", true);
            return delegate.getQueuedCompletionStatus(out, timeoutNanos);
        } finally {
            calls.exit();
        }
    }

    @Override
    public void close() {
        calls.enter(RioRules.Rule.UNSERIALIZED_PORT, "CloseHandle (port)");
        try {
            checkOwner("CloseHandle (port)", false);
            // Shutdown order (docs/rio-rules.md, rule 8): RIOCloseCompletionQueue, deregister buffers, then
            // CloseHandle of the port.
            int queues = io.queuesNotifying(delegate.handle());
            if (queues > 0) {
                throw new RioRuleViolation(RioRules.Rule.CLOSE_ORDER, "closing " + this + " while " + queues
                        + " open completion queue(s) notify it; close the completion queues first");
            }
            delegate.close();
        } finally {
            calls.exit();
        }
    }

    @Override
    public String toString() {
        return "port 0x" + Long.toHexString(delegate.handle());
    }
}
