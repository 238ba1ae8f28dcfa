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

import io.nettyrio.rio.ForwardingPort;
import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Port} of a {@link FaultInjectingProvider}: the provider's port, watched so that the decorator knows
 * when a completion queue's notification has been delivered, and can post a notification itself when it holds
 * completions back. RIO delivers one notification per RIONotify; when both the decorator's packet and the
 * provider's arrive for one RIONotify, the second is dropped here.
 */
final class FaultPort extends ForwardingPort {
    private final FaultRegisteredIo io;
    /** Marks a dropped entry (a key and context no notification uses together). */
    private static final long DROPPED = Long.MIN_VALUE;
    private final CopyOnWriteArrayList<FaultCompletionQueue> watched = new CopyOnWriteArrayList<>();
    // Scratch for filtering a batch; the wait belongs to one thread (Port's contract).
    private long[] keys = new long[0];
    private long[] contexts = new long[0];
    private int[] statuses = new int[0];
    private long[] results = new long[0];

    FaultPort(Port delegate, FaultRegisteredIo io) {
        super(delegate);
        this.io = io;
    }

    /** Returns the port the wrapped provider's socket calls expect. */
    static Port unwrap(Port port) {
        return unwrap(port, FaultPort.class);
    }

    void watch(FaultCompletionQueue cq) {
        watched.add(cq);
    }

    void unwatch(FaultCompletionQueue cq) {
        watched.remove(cq);
    }

    /** Posts {@code cq}'s notification packet, as the provider does when a notification fires. */
    void postNotification(long completionKey, long overlapped) throws RioException {
        delegate.post(completionKey, overlapped);
    }

    @Override
    public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int n = delegate.getQueuedCompletionStatus(out, timeoutNanos);
            if (n == 0 || watched.isEmpty()) {
                return n;
            }
            int kept = filter(out, n);
            if (kept > 0 || timeoutNanos == 0) {
                return kept;
            }
            // Every entry was a surplus notification: wait on for what is left of the timeout.
            if (timeoutNanos > 0) {
                timeoutNanos = deadline - System.nanoTime();
                if (timeoutNanos <= 0) {
                    return 0;
                }
            }
        }
    }

    /** Drops the surplus notification packets from {@code out}; returns how many entries are left. */
    private int filter(PortCompletions out, int n) {
        if (keys.length < n) {
            keys = new long[out.capacity()];
            contexts = new long[out.capacity()];
            statuses = new int[out.capacity()];
            results = new long[out.capacity()];
        }
        boolean dropped = false;
        for (int i = 0; i < n; i++) {
            keys[i] = out.completionKey(i);
            contexts[i] = out.context(i);
            statuses[i] = out.status(i);
            results[i] = out.result(i);
            for (FaultCompletionQueue cq : watched) {
                if (cq.completionKey == keys[i] && cq.overlapped == contexts[i] && !io.notificationArrived(cq)) {
                    keys[i] = DROPPED;
                    contexts[i] = DROPPED;
                    dropped = true;
                    break;
                }
            }
        }
        if (!dropped) {
            return n;
        }
        out.clear();
        for (int i = 0; i < n; i++) {
            if (!(keys[i] == DROPPED && contexts[i] == DROPPED)) {
                out.add(keys[i], contexts[i], statuses[i], results[i]);
            }
        }
        return out.size();
    }

    @Override
    public void close() {
        delegate.close();
        io.portClosed(this);
    }

    @Override
    public String toString() {
        return "FaultPort(" + delegate + ")";
    }
}
