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
package io.nettyrio.channel;

import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;

/**
 * The registration of one {@link RioIoHandle} with a {@link RioIoHandler}. Its id is the {@code SocketContext} of
 * the handle's request queue and the context of its accepts and connects, so every completion finds its way back.
 *
 * <p>It counts the requests in flight: after {@link #cancel()} the handle stays reachable until the last of them
 * has completed, so no completion arrives for a handle that is gone and no memory is freed under a request.
 */
final class RioRegistration implements IoRegistration {
    private final RioIoHandler handler;
    private final RioIoHandle handle;
    private final long id;
    private int outstanding;
    private int cqReservation;
    private boolean valid = true;

    RioRegistration(RioIoHandler handler, RioIoHandle handle, long id) {
        this.handler = handler;
        this.handle = handle;
        this.id = id;
    }

    long id() {
        return id;
    }

    RioIoHandle handle() {
        return handle;
    }

    /** Counts one more request whose completion will come back to this registration. Event loop only. */
    void requestIssued() {
        outstanding++;
        handler.metric().requestIssued();
    }

    void requestCompleted() {
        outstanding--;
        handler.metric().requestCompleted();
    }

    int outstanding() {
        return outstanding;
    }

    void reserve(int entries) {
        cqReservation += entries;
    }

    int cqReservation() {
        return cqReservation;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T attachment() {
        return (T) handler;
    }

    /**
     * Not used by this transport: RIO channels issue their requests directly on the event loop through the
     * handler's {@link io.nettyrio.rio.RegisteredIo}, because RIO requests carry registered-memory descriptors
     * rather than operation records.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public long submit(IoOps ops) {
        throw new UnsupportedOperationException("RIO channels issue requests directly on the event loop");
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public boolean cancel() {
        if (!valid) {
            return false;
        }
        valid = false;
        if (handler.inEventLoop()) {
            handler.cancelled(this);
        } else {
            handler.execute(() -> handler.cancelled(this));
        }
        return true;
    }

    @Override
    public String toString() {
        return "RioRegistration(id=" + id + ", outstanding=" + outstanding + ", valid=" + valid + ')';
    }
}
