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
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;

/**
 * A {@link ByteBuf} over one registered slot, without a copy: what a receive hands up the pipeline, and what a
 * channel can send straight back. Releasing the last reference returns the slot to its pool, from any thread.
 *
 * <p>If the buffer is ever resized it moves to ordinary memory ({@link #isInSlot()} turns false) and the slot goes
 * back to the pool only when the buffer is released, as always.
 *
 * <p>Internal to the transport, not API: it may change without notice.
 */
public final class RioSlotByteBuf extends UnpooledDirectByteBuf {
    private final RioSlot slot;
    private boolean inSlot = true;

    /**
     * Wraps {@code slot}, with the reader index at 0 and the writer index at {@code length}.
     */
    public RioSlotByteBuf(ByteBufAllocator alloc, RioSlot slot, int length) {
        // This constructor keeps the memory as given and never frees it (Netty's doNotFree): the slot is ours.
        super(alloc, slot.memory().asByteBuffer(), slot.capacity());
        this.slot = slot;
        setIndex(0, length);
    }

    /**
     * Wraps {@code slot} as {@link #RioSlotByteBuf(ByteBufAllocator, RioSlot, int)} does, under Netty's leak
     * detection (io.netty.leakDetection.level): what a receive hands up the pipeline.
     */
    public static ByteBuf tracked(ByteBufAllocator alloc, RioSlot slot, int length) {
        return RioLeakDetection.track(new RioSlotByteBuf(alloc, slot, length));
    }

    /**
     * Returns the {@link RioSlotByteBuf} {@code buf} is, or wraps for leak detection, or {@code null}. A
     * leak-detection wrapper shares the indices of the buffer it wraps.
     */
    public static RioSlotByteBuf unwrapSlot(ByteBuf buf) {
        if (buf instanceof RioSlotByteBuf slot) {
            return slot;
        }
        ByteBuf inner = buf.unwrap();
        if (inner instanceof RioSlotByteBuf slot && inner.readerIndex() == buf.readerIndex()
                && inner.writerIndex() == buf.writerIndex()) {
            return slot;
        }
        return null;
    }

    /** Returns the slot. */
    public RioSlot slot() {
        return slot;
    }

    /** Returns whether the buffer's memory is still the slot (it has not been resized). */
    boolean isInSlot() {
        return inSlot;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        if (newCapacity != capacity()) {
            inSlot = false;
        }
        return super.capacity(newCapacity);
    }

    @Override
    protected void deallocate() {
        try {
            super.deallocate();
        } finally {
            slot.release();
        }
    }
}
