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

import java.util.ArrayDeque;

/**
 * A completion queue as the decorator knows it: the completions dequeued from the provider but not yet returned
 * to the caller (held back, or made up for a broken socket), in completion order, and the notification state.
 * Guarded by its own monitor; RIO serializes the calls on one completion queue anyway.
 */
final class FaultCompletionQueue {
    /** A completion ready for the caller. */
    record Held(int status, int bytes, long socketContext, long requestContext, FaultRequest request) {
    }

    final long handle;
    /** The port its notifications go to (null for a polled queue, or a port not opened through the decorator). */
    final FaultPort port;
    final long completionKey;
    final long overlapped;
    final boolean polled;
    final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Dequeues in a row that held something back. */
    int heldStreak;
    /** Notifications the caller armed (RIONotify returned 0) that its port has not returned yet. */
    int owed;
    /** Notification packets the decorator posted that the port has not returned yet. */
    int posted;

    FaultCompletionQueue(long handle, FaultPort port, long completionKey, long overlapped, boolean polled) {
        this.handle = handle;
        this.port = port;
        this.completionKey = completionKey;
        this.overlapped = overlapped;
        this.polled = polled;
    }

    /** Whether completions may be held: someone will come back for them (a poller, or a port it can wake). */
    boolean canHold() {
        return polled || port != null;
    }

    boolean holdsNotifying() {
        for (Held h : held) {
            if (h.request().notifies) {
                return true;
            }
        }
        return false;
    }
}
