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

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;

/**
 * A direct {@link ByteBuf} of a {@link io.nettyrio.buffer.RioByteBufAllocator}: its memory is one registered
 * {@link RioSlot}, so the RIO transport can send it, or receive into it, without a copy.
 *
 * <p>Growing it beyond its slot ({@link #capacity(int)}, and so {@code ensureWritable}) moves the content to a
 * slot of a larger size class and gives the old slot back: the buffer stays in registered memory, unless the
 * allocator's ceiling of registered memory does not allow a larger slot: then it moves to ordinary direct memory
 * (which the transport copies when it sends it) and never comes back. Releasing the last reference gives the
 * slot back to the allocator, from any thread.
 */
final class RioPooledByteBuf extends UnpooledDirectByteBuf {
    private final RioSlotAllocator slots;
    private RioSlot slot;
    /** The slot {@link #allocateDirectBuffer} took while {@link #capacity(int)} moves the content (null: none). */
    private RioSlot moving;
    /** Whether {@link #allocateDirectBuffer} ran: the content moved, to {@link #moving} or to ordinary memory. */
    private boolean moved;

    RioPooledByteBuf(RioSlotAllocator slots, RioSlot slot, int initialCapacity, int maxCapacity) {
        // This constructor keeps the memory as given and never frees it (Netty's doNotFree): the slot is ours.
        super(slots.facade(), slot.byteBuffer().limit(initialCapacity), maxCapacity);
        this.slots = slots;
        this.slot = slot;
        setIndex(0, 0);
    }

    /**
     * Returns the registered slot that holds this buffer's memory now (it changes when the buffer grows), or null
     * once the buffer grew beyond the ceiling into ordinary memory.
     */
    RioSlot slot() {
        return slot;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        checkNewCapacity(newCapacity);
        if (newCapacity == capacity()) {
            return this;
        }
        RioSlot old = slot;
        moving = null;
        moved = false;
        // Netty's capacity(int) asks allocateDirectBuffer for the new memory, copies and switches to it.
        super.capacity(newCapacity);
        if (moved) {
            slot = moving;
            moving = null;
            moved = false;
            if (old != null) {
                slots.release(old);
            }
        }
        return this;
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        RioSlot next = slots.tryAcquireForGrowth(capacity);
        moved = true;
        moving = next;
        if (next == null) {
            // The ceiling: ordinary memory of its own, freed by Netty (clean()) when the buffer moves on or is
            // released.
            Arena arena = Arena.ofShared();
            ByteBuffer memory = arena.allocate(capacity, 64).asByteBuffer();
            return new CleanableDirectBuffer() {
                @Override
                public ByteBuffer buffer() {
                    return memory;
                }

                @Override
                public void clean() {
                    arena.close();
                }
            };
        }
        ByteBuffer memory = next.byteBuffer().limit(capacity);
        return new CleanableDirectBuffer() {
            @Override
            public ByteBuffer buffer() {
                return memory;
            }

            @Override
            public void clean() {
                // The slot is given back by capacity(int) and deallocate(), never through Netty's cleaner.
            }
        };
    }

    @Override
    protected ByteBuffer allocateDirect(int initialCapacity) {
        throw new UnsupportedOperationException("registered memory comes from slots");
    }

    @Override
    protected void freeDirect(ByteBuffer buffer) {
        // The memory is a registered slot: it goes back to the allocator in deallocate(), never freed here.
    }

    @Override
    protected void deallocate() {
        try {
            super.deallocate();
        } finally {
            RioSlot s = slot;
            slot = null;
            if (s != null) {
                slots.release(s);
            }
        }
    }
}
