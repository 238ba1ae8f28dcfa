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
import io.netty.buffer.WrappedByteBuf;

/**
 * A {@link ByteBuf} over one registered slot, without a copy: what a receive hands up the pipeline, and what a
 * channel can send straight back. Releasing the last reference returns the slot to its pool, from any thread.
 *
 * <p>If the buffer is ever resized it moves to ordinary memory ({@link #isInSlot()} turns false) and the slot goes
 * back to the pool only when the buffer is released, as always.
 *
 * <p><b>Recycled, as Netty's pooled buffers are.</b> A released buffer that is still in its slot stays with the
 * slot ({@link RioSlot#spareReceived}) and serves the next receive into it ({@link #tracked}), so that a receive in
 * steady state creates no buffer object. Until then every access fails with Netty's
 * {@code IllegalReferenceCountException}. The slot holds the object only while it is released, so a buffer a user
 * drops without releasing is collected and reported by Netty's leak detector.
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
        // This constructor keeps the memory as given and never frees it (Netty's doNotFree): the slot is ours. It
        // slices the slot's shared view, which it leaves as it is.
        super(alloc, slot.view, slot.capacity());
        this.slot = slot;
        setIndex(0, length);
    }

    /**
     * Returns a buffer over {@code slot} as {@link #RioSlotByteBuf(ByteBufAllocator, RioSlot, int)} makes, under
     * Netty's leak detection (io.netty.leakDetection.level): what a receive hands up the pipeline. The slot's
     * released buffer serves again if there is one for {@code alloc}.
     */
    public static ByteBuf tracked(ByteBufAllocator alloc, RioSlot slot, int length) {
        RioSlotByteBuf buf = slot.spareReceived;
        if (buf != null && buf.alloc() == alloc) {
            slot.spareReceived = null;
            buf.reuse(length);
        } else {
            buf = new RioSlotByteBuf(alloc, slot, length);
        }
        return RioLeakDetection.track(buf);
    }

    private void reuse(int length) {
        // A new buffer has its indices and marks at 0.
        setIndex(0, 0);
        markReaderIndex();
        markWriterIndex();
        setIndex(0, length);
        resetRefCnt();
    }

    /**
     * Returns the {@link RioSlotByteBuf} {@code buf} is, or wraps for leak detection (Netty's leak-detection
     * wrappers are {@link WrappedByteBuf}s, which share the indices of the buffer they wrap), or {@code null}.
     */
    public static RioSlotByteBuf unwrapSlot(ByteBuf buf) {
        ByteBuf b = buf;
        while (b instanceof WrappedByteBuf) {
            b = b.unwrap();
        }
        return b instanceof RioSlotByteBuf received ? received : null;
    }

    /** Returns the slot. */
    public RioSlot slot() {
        return slot;
    }

    /** Returns whether the buffer's memory is still the slot (it has not been resized). */
    boolean isInSlot() {
        return inSlot;
    }

    /**
     * Copies with an absolute bulk get of the slot's view. {@code UnpooledDirectByteBuf} would duplicate its
     * {@code ByteBuffer} for every such call: one object per copy, as when a decoder's cumulation copies a received
     * buffer.
     */
    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        if (!inSlot) {
            return super.getBytes(index, dst, dstIndex, length);
        }
        checkDstIndex(index, length, dstIndex, dst.length);
        slot.view.get(index, dst, dstIndex, length);
        return this;
    }

    /** Copies with an absolute bulk put from the slot's view, without a duplicate per call (see above). */
    @Override
    public ByteBuf getBytes(int index, java.nio.ByteBuffer dst) {
        if (!inSlot) {
            return super.getBytes(index, dst);
        }
        int length = dst.remaining();
        checkIndex(index, length);
        int position = dst.position();
        dst.put(position, slot.view, index, length);
        dst.position(position + length);
        return this;
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
        if (!inSlot) {
            // Ordinary memory Netty allocated when the buffer was resized: Netty frees it.
            try {
                super.deallocate();
            } finally {
                slot.release();
            }
            return;
        }
        // Still over the slot: the object stays whole (UnpooledDirectByteBuf's deallocate would drop its memory)
        // and waits in the slot for the next receive. Written before the slot is given back, whose compare-and-set
        // publishes it to the next taker.
        slot.spareReceived = this;
        try {
            slot.release();
        } catch (RuntimeException e) {
            slot.spareReceived = null;
            throw e;
        }
    }
}
