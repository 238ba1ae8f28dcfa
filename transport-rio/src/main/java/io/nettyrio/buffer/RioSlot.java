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
package io.nettyrio.buffer;

import io.nettyrio.rio.RioLayouts;

import java.lang.foreign.MemorySegment;

/**
 * One slot of registered memory: a slice of a slab with its own RIO registration ({@code RIO_BUFFERID}) and its
 * own {@code RIO_BUF} descriptor. Because every slot is its own registration and a slot is handed to at most one
 * request at a time, the RIOSend rule "the entire registered buffer must not be used until the send has
 * completed" ({@code seeds/LPFN_RIOSEND.md}, Remarks) holds by construction.
 *
 * <p>A slot is acquired from its {@link RioSlotPool} on the pool's event loop and goes back with
 * {@link #release()} from any thread, but never while a request references it.
 */
public final class RioSlot {
    private final RioSlotPool pool;
    private final MemorySegment memory;
    private final long bufferId;
    private final MemorySegment rioBuf;
    private final int sizeClass;
    // Written only on the pool's event loop; read by release() from any thread as a safety check.
    private volatile boolean inRequest;
    private volatile boolean free;

    RioSlot(RioSlotPool pool, MemorySegment memory, long bufferId, MemorySegment rioBuf, int sizeClass) {
        this.pool = pool;
        this.memory = memory;
        this.bufferId = bufferId;
        this.rioBuf = rioBuf;
        this.sizeClass = sizeClass;
        this.free = true;
    }

    /** Returns the pool this slot belongs to. */
    public RioSlotPool pool() {
        return pool;
    }

    /** Returns the slot's memory. */
    public MemorySegment memory() {
        return memory;
    }

    /** Returns the slot's {@code RIO_BUFFERID}: a registration of exactly this slot. */
    public long bufferId() {
        return bufferId;
    }

    /** Returns the slot's size in bytes. */
    public int capacity() {
        return (int) memory.byteSize();
    }

    int sizeClass() {
        return sizeClass;
    }

    /**
     * Fills the slot's own {@code RIO_BUF} with {@code offset} and {@code length} and returns it, ready to pass as
     * {@code pData}. Each slot has its own descriptor, so a descriptor is never rewritten while its request is
     * pending (RIO may read it when a deferred request is committed).
     *
     * @throws IllegalArgumentException if the range is not inside the slot
     */
    public MemorySegment rioBuf(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > capacity()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a slot of "
                    + capacity() + " bytes");
        }
        RioLayouts.RIO_BUF_BufferId.set(rioBuf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(rioBuf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(rioBuf, 0L, length);
        return rioBuf;
    }

    /** Returns whether a request (send or receive) currently references this slot. */
    public boolean isInRequest() {
        return inRequest;
    }

    /**
     * Marks the slot as referenced by a request that was just issued, or no longer referenced because its
     * completion was dequeued. Event-loop thread only.
     *
     * @throws IllegalStateException if the slot is already in a request, or is free
     */
    public void requestStarted() {
        if (inRequest) {
            throw new IllegalStateException("slot " + this + " is already referenced by a request in flight");
        }
        if (free) {
            throw new IllegalStateException("slot " + this + " is free");
        }
        inRequest = true;
    }

    /** Marks the request that referenced this slot as completed (its completion was dequeued). */
    public void requestCompleted() {
        inRequest = false;
    }

    /**
     * Returns the slot to its pool. Safe from any thread.
     *
     * @throws IllegalStateException if a request still references the slot, or it is already free
     */
    public void release() {
        pool.release(this);
    }

    synchronized boolean markFree() {
        if (free) {
            return false;
        }
        free = true;
        return true;
    }

    synchronized void markAcquired() {
        free = false;
    }

    boolean isFree() {
        return free;
    }

    @Override
    public String toString() {
        return "RioSlot(" + capacity() + "B@0x" + Long.toHexString(memory.address()) + ", bufferId=0x"
                + Long.toHexString(bufferId) + ')';
    }
}
