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
package io.nettyrio.buffer.internal;

import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.RioLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One slot of registered memory of a {@link RioByteBufAllocator}: a slice of a registered slab with its own RIO
 * registration ({@code RIO_BUFFERID}) and its own {@code RIO_BUF} descriptor, or a dedicated registration for a
 * buffer larger than the largest size class. Because every slot is its own registration and the transport hands a
 * slot to at most one request at a time ({@link #requestStarted()}), the rule of "RIOSend function (mswsock.h)",
 * Remarks, that the entire registered buffer must not be used until the send has completed holds by construction.
 *
 * <p>A slot is taken from its allocator (directly, or through a {@link RioSlotPool}) and goes back with
 * {@link #release()} from any thread, but never while a request references it.
 *
 * <p>Internal to the transport, not API: it may change without notice.
 */
public final class RioSlot {
    final RioSlotAllocator allocator;
    private final MemorySegment memory;
    private final long bufferId;
    private final MemorySegment rioBuf;
    /**
     * A big-endian ByteBuffer over the whole slot, made once. Shared by whoever holds the slot: only absolute
     * operations and duplicates, never a change of its position or limit.
     */
    final java.nio.ByteBuffer view;
    /**
     * The released buffer object made for this slot, kept for the slot's next allocation (so that one creates no
     * object), or null. Written by the releasing thread before the slot is marked free, read by the next taker
     * after it marked it taken: the compare-and-set of {@link #free} orders the two.
     */
    RioPooledByteBuf spareBuffer;
    /** The same for the buffer a receive into this slot hands up the pipeline. */
    RioSlotByteBuf spareReceived;
    /** The size class index, or -1 for a dedicated registration. */
    final int sizeClass;
    /**
     * What the slot is in use for ({@link Ceiling#KIND_USER} and so on), for the ceiling's shares.
     * Written before the acquiring compare-and-set of {@link #free}, read after the releasing one.
     */
    int kind;
    /** The arena of a dedicated registration (closed when the slot is released), else null. */
    final Arena dedicatedArena;
    private static final VarHandle FREE;
    private static final VarHandle IN_REQUEST;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FREE = lookup.findVarHandle(RioSlot.class, "free", boolean.class);
            IN_REQUEST = lookup.findVarHandle(RioSlot.class, "inRequest", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool that handed the slot out, or null if the allocator did (a buffer's slot). */
    private volatile RioSlotPool pool;
    private volatile boolean inRequest;
    /** Whether the slot is in a free list (or a dedicated one was given back); changed by compare-and-set. */
    private volatile boolean free = true;

    RioSlot(RioSlotAllocator allocator, MemorySegment memory, long bufferId, MemorySegment rioBuf,
            int sizeClass, Arena dedicatedArena) {
        this.allocator = allocator;
        this.memory = memory;
        this.bufferId = bufferId;
        this.rioBuf = rioBuf;
        this.view = memory.asByteBuffer();
        this.sizeClass = sizeClass;
        this.dedicatedArena = dedicatedArena;
    }

    /**
     * Returns the {@link RioSlotPool} that handed this slot out, or null if it is the slot of a buffer the
     * allocator made.
     */
    RioSlotPool pool() {
        return pool;
    }

    void pool(RioSlotPool pool) {
        this.pool = pool;
    }

    /**
     * Returns the slot to whoever handed it out (its pool, else its allocator). Safe from any thread.
     *
     * @throws IllegalStateException if a request still references the slot, or it is already free
     */
    public void release() {
        RioSlotPool p = pool;
        if (p != null) {
            p.release(this);
        } else {
            allocator.release(this);
        }
    }

    /** Returns the slot's memory: exactly the registered range. */
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

    /**
     * Fills the slot's own {@code RIO_BUF} with {@code offset} and {@code length} and returns it, ready to pass as
     * {@code pData}. Each slot has its own descriptor, so a descriptor is never rewritten while its request is
     * pending (RIO may read it when a deferred request is committed).
     *
     * @throws IllegalArgumentException if the range is not inside the slot
     */
    public MemorySegment rioBuf(int offset, int length) {
        if (offset < 0 || length < 0 || offset > capacity() - length) {
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
     * Marks the slot as referenced by a request about to be issued.
     *
     * @throws IllegalStateException if another request already references the slot, or the slot is free
     */
    public void requestStarted() {
        if (isFree()) {
            throw new IllegalStateException(this + " is free");
        }
        if (!tryRequestStarted()) {
            throw new IllegalStateException(this + " is already referenced by a request in flight");
        }
    }

    /**
     * Marks the slot as referenced by a request about to be issued, unless one already references it (then it
     * returns false and the caller copies instead). Atomic: two event loops that write the same buffer at once
     * cannot both send from it.
     */
    public boolean tryRequestStarted() {
        return IN_REQUEST.compareAndSet(this, false, true);
    }

    /** Marks the request that referenced this slot as completed (its completion was dequeued). */
    public void requestCompleted() {
        inRequest = false;
    }

    /** Returns false if the slot was free already (a double release). */
    boolean markFree() {
        return FREE.compareAndSet(this, false, true);
    }

    void markAcquired() {
        if (!FREE.compareAndSet(this, true, false)) {
            // Never reached unless a free list is corrupt: refuse rather than hand one slot to two buffers.
            throw new IllegalStateException(this + " handed out twice");
        }
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
