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

import io.netty.buffer.ByteBuf;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;

import java.lang.foreign.MemorySegment;

/**
 * One {@code RIOSend} (or {@code RIOSendEx}): a window of a registered slot, what to give back once RIO no longer
 * references it, and for a datagram its destination. The slot is either a staging slot the send owns, or the slot
 * of a user's buffer sent without a copy, which is retained until the completion is dequeued ("RIOSend function
 * (mswsock.h)": the buffer must stay valid until then).
 */
final class RioSend {
    RioSlot slot;
    int offset;
    int length;
    /** The user's buffer when sent without a copy (retained until completion), else null: a staging slot. */
    ByteBuf retained;
    /** The destination's {@code SOCKADDR_INET} in an address slot, or null for the connected peer. */
    MemorySegment address;
    /** The index of the send's address slot (datagrams), or -1. */
    int index = -1;
    /** Issued and not completed. */
    boolean inFlight;
    boolean done;
    /** Why the message fails, or null. */
    Throwable failure;

    /** Makes this a new send of {@code length} bytes at {@code offset} in {@code slot}; returns it. */
    RioSend set(RioSlot slot, int offset, int length, ByteBuf retained) {
        this.slot = slot;
        this.offset = offset;
        this.length = length;
        this.retained = retained;
        address = null;
        index = -1;
        inFlight = false;
        done = false;
        failure = null;
        return this;
    }

    /** Issues the send on {@code rq} with {@code flags}; an empty datagram has no data buffer. */
    void issue(RegisteredIo rio, long rq, int flags) throws RioException {
        MemorySegment pData = slot == null ? MemorySegment.NULL : slot.rioBuf(offset, length);
        int count = slot == null ? 0 : 1;
        long context = AbstractRioDataChannel.requestContext(AbstractRioDataChannel.CTX_SEND, Math.max(index, 0));
        if (address == null) {
            rio.send(rq, pData, count, flags, context);
        } else {
            rio.sendEx(rq, pData, count, null, address, null, null, flags, context);
        }
    }

    /**
     * Gives back the staging slot, or the retained buffer. Idempotent. Only when no request references them: never
     * issued, refused, or completed.
     */
    void releaseData() {
        if (slot != null && slot.isInRequest()) {
            slot.requestCompleted();
        }
        if (retained != null) {
            ByteBuf buf = retained;
            retained = null;
            slot = null;
            buf.release();
        } else if (slot != null) {
            RioSlot s = slot;
            slot = null;
            s.release();
        }
    }
}
