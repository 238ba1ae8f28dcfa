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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Port} of a {@link FaultInjectingProvider}: the provider's port, watched so that the decorator knows
 * when a completion queue's notification has fired (then it is no longer armed) and can post a notification
 * itself when it holds completions back.
 */
final class FaultPort implements Port {
    private final Port delegate;
    private final FaultRegisteredIo io;
    private final CopyOnWriteArrayList<FaultCompletionQueue> watched = new CopyOnWriteArrayList<>();

    FaultPort(Port delegate, FaultRegisteredIo io) {
        this.delegate = delegate;
        this.io = io;
    }

    /** Returns the port the wrapped provider's socket calls expect. */
    static Port unwrap(Port port) {
        return port instanceof FaultPort fault ? fault.delegate : port;
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
    public long handle() {
        return delegate.handle();
    }

    @Override
    public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
        int n = delegate.getQueuedCompletionStatus(out, timeoutNanos);
        if (!watched.isEmpty()) {
            for (int i = 0; i < n; i++) {
                for (FaultCompletionQueue cq : watched) {
                    if (cq.completionKey == out.completionKey(i) && cq.overlapped == out.context(i)) {
                        io.notified(cq);
                    }
                }
            }
        }
        return n;
    }

    @Override
    public void post(long completionKey, long context) throws RioException {
        delegate.post(completionKey, context);
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
