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

import io.nettyrio.rio.RioConstants;

/**
 * A request queue as RioRules tracks it: its socket and whether it is TCP or UDP (for the {@code pData} NULL and
 * WAITALL rules), the completion queues it is bound to, and who is inside a call on it.
 */
final class RuleRequestQueue extends RuleSerialized {
    /** The socket's type is not known (a socket RioRules did not see created, whose SO_TYPE could not be read). */
    static final int UNKNOWN_TYPE = 0;

    final long handle;
    final long socket;
    /** {@link RioConstants#SOCK_STREAM}, {@link RioConstants#SOCK_DGRAM} or {@link #UNKNOWN_TYPE}. */
    final int type;
    final RuleCompletionQueue receiveQueue;
    final RuleCompletionQueue sendQueue;
    volatile boolean closed;

    RuleRequestQueue(long handle, long socket, int type, RuleCompletionQueue receiveQueue,
                     RuleCompletionQueue sendQueue) {
        this.handle = handle;
        this.socket = socket;
        this.type = type;
        this.receiveQueue = receiveQueue;
        this.sendQueue = sendQueue;
    }

    @Override
    public String toString() {
        return "RIO_RQ 0x" + Long.toHexString(handle) + " (socket " + socket + ", "
                + (type == RioConstants.SOCK_STREAM ? "TCP" : type == RioConstants.SOCK_DGRAM ? "UDP" : "type unknown")
                + ")";
    }
}
