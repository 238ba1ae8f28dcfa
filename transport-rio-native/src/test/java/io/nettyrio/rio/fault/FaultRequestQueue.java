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
package io.nettyrio.rio.fault;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request queue as the decorator knows it: its socket, whether that socket is TCP, its completion queues, its
 * capacity and what is outstanding from the caller's point of view (a request counts until the caller dequeues
 * its completion, however long the decorator holds it), and whether an injected error broke its socket.
 */
final class FaultRequestQueue {
    final long handle;
    final long socket;
    final boolean tcp;
    final long socketContext;
    final FaultCompletionQueue receiveCq;
    final FaultCompletionQueue sendCq;
    /** Whether the socket-level faults apply to this queue ({@link FaultConfig#targets}). */
    final boolean targeted;
    final AtomicInteger outstandingReceive = new AtomicInteger();
    final AtomicInteger outstandingSend = new AtomicInteger();
    volatile int maxReceive;
    volatile int maxSend;
    /** The injected status that broke the socket, 0 while it is healthy. */
    volatile int brokenStatus;
    /** Whether the decorator aborted the socket through the provider (so the provider's handle is gone). */
    volatile boolean aborted;
    /** Whether the caller closed the socket. */
    volatile boolean closed;

    FaultRequestQueue(long handle, long socket, boolean tcp, long socketContext, FaultCompletionQueue receiveCq,
                      FaultCompletionQueue sendCq, int maxReceive, int maxSend, boolean targeted) {
        this.handle = handle;
        this.socket = socket;
        this.tcp = tcp;
        this.socketContext = socketContext;
        this.receiveCq = receiveCq;
        this.sendCq = sendCq;
        this.maxReceive = maxReceive;
        this.maxSend = maxSend;
        this.targeted = targeted;
    }

    AtomicInteger outstanding(boolean send) {
        return send ? outstandingSend : outstandingReceive;
    }

    int max(boolean send) {
        return send ? maxSend : maxReceive;
    }
}
