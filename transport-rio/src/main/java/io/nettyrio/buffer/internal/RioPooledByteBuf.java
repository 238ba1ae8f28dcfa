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

import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * A direct {@link ByteBuf} of a {@link io.nettyrio.buffer.RioByteBufAllocator}: its memory is one registered
 * {@link RioSlot}, so the RIO transport can send it, or receive into it, without a copy.
 *
 * <p>Its capacity may be anything up to its slot's size and moves freely within the slot. Growing beyond the slot
 * ({@link #capacity(int)}, and so {@code ensureWritable}) moves the content to a slot of a larger size class and
 * gives the old slot back: the buffer stays in registered memory, unless the allocator's ceiling of registered
 * memory does not allow a larger slot: then it moves to ordinary memory (which the transport copies when it sends
 * it) and never comes back. Releasing the last reference gives the slot back to the allocator, from any thread.
 *
 * <p><b>Recycled, as Netty's pooled buffers are.</b> A released buffer object that is still over the slot it was
 * made for stays with that slot ({@link RioSlot#spareBuffer}) and serves the slot's next allocation, so that an
 * allocation in steady state creates no object. Until then every access to it fails with Netty's
 * {@code IllegalReferenceCountException}; as with Netty's pooled buffers, a reference kept after {@code release()}
 * is a bug that this cannot catch once the object serves again. The slot holds the object only while it is
 * released, so a buffer a user drops without releasing is collected and reported by Netty's leak detector. All
 * access goes through absolute {@link ByteBuffer} operations on the slot's one view, which this buffer never moves.
 */
final class RioPooledByteBuf extends AbstractReferenceCountedByteBuf {
    private final RioSlotAllocator slots;
    /** The slot this object was made for: the only slot it goes back to as a spare. */
    private final RioSlot home;
    /** The slot that holds the memory now, or null once the buffer moved to ordinary memory. */
    private RioSlot slot;
    /** The memory: the slot's view (position 0, capacity the slot's size), or ordinary memory; never moved. */
    private ByteBuffer memory;
    /** The arena of ordinary memory the buffer moved to at the ceiling, else null. */
    private Arena ordinary;
    private int capacity;
    /** A duplicate of {@link #memory} for {@link #internalNioBuffer}, made once per memory. */
    private ByteBuffer tmpNioBuf;

    RioPooledByteBuf(RioSlotAllocator slots, RioSlot slot, int initialCapacity, int maxCapacity) {
        super(maxCapacity);
        this.slots = slots;
        this.home = slot;
        this.slot = slot;
        this.memory = slot.view;
        this.capacity = initialCapacity;
    }

    /** Serves again, over its home slot (taken again), as a new buffer of {@code initialCapacity} bytes. */
    void reuse(int initialCapacity, int maxCapacity) {
        maxCapacity(maxCapacity);
        capacity = initialCapacity;
        slot = home;
        // A new buffer has its indices and marks at 0.
        setIndex(0, 0);
        markReaderIndex();
        markWriterIndex();
        resetRefCnt();
    }

    /**
     * Returns the registered slot that holds this buffer's memory now (it changes when the buffer grows), or null
     * once the buffer grew beyond the ceiling into ordinary memory.
     */
    RioSlot slot() {
        return slot;
    }

    @Override
    public ByteBufAllocator alloc() {
        return slots.facade();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        checkNewCapacity(newCapacity);
        if (newCapacity < capacity && writerIndex() > newCapacity) {
            setIndex(Math.min(readerIndex(), newCapacity), newCapacity);
        }
        if (newCapacity > memory.capacity()) {
            moveTo(newCapacity);
        }
        capacity = newCapacity;
        return this;
    }

    /**
     * Returns the bytes that can be written without moving: up to the end of the slot, as Netty's pooled buffers
     * answer up to the end of their chunk run, so that {@code ensureWritable} fills the slot before it moves.
     */
    @Override
    public int maxFastWritableBytes() {
        return Math.min(memory.capacity(), maxCapacity()) - writerIndex();
    }

    /** Moves the content to a slot that holds {@code newCapacity} bytes, or to ordinary memory at the ceiling. */
    private void moveTo(int newCapacity) {
        RioSlot next = slots.tryAcquireForGrowth(newCapacity);
        ByteBuffer target;
        Arena arena = null;
        if (next != null) {
            target = next.view;
        } else {
            // The ceiling: ordinary memory of its own, freed when the buffer moves on or is released.
            arena = Arena.ofShared();
            target = arena.allocate(newCapacity, 64).asByteBuffer();
        }
        target.put(0, memory, 0, capacity);
        RioSlot old = slot;
        Arena oldOrdinary = ordinary;
        slot = next;
        memory = target;
        ordinary = arena;
        tmpNioBuf = null;
        if (old != null) {
            slots.release(old);
        }
        if (oldOrdinary != null) {
            oldOrdinary.close();
        }
    }

    @Override
    protected void deallocate() {
        RioSlot s = slot;
        Arena o = ordinary;
        slot = null;
        ordinary = null;
        if (o != null) {
            o.close();
        }
        if (s == null) {
            return;
        }
        if (s == home) {
            // Written before the slot is given back, whose compare-and-set publishes it to the next taker. A buffer
            // that moved stays away from its home slot, which may serve another buffer already.
            s.spareBuffer = this;
        }
        try {
            slots.release(s);
        } catch (RuntimeException e) {
            s.spareBuffer = null;
            throw e;
        }
    }

    @Override
    @SuppressWarnings("deprecation") // abstract in ByteBuf: every buffer answers it, as Netty's own do
    public ByteOrder order() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public ByteBuf unwrap() {
        return null;
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    @Override
    public boolean isContiguous() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public boolean hasMemoryAddress() {
        // Netty would then use Unsafe on the address; the ByteBuffer paths need nothing the JDK restricts.
        return false;
    }

    @Override
    public long memoryAddress() {
        throw new UnsupportedOperationException();
    }

    @Override
    protected byte _getByte(int index) {
        return memory.get(index);
    }

    @Override
    protected short _getShort(int index) {
        return memory.getShort(index);
    }

    @Override
    protected short _getShortLE(int index) {
        return Short.reverseBytes(memory.getShort(index));
    }

    @Override
    protected int _getUnsignedMedium(int index) {
        return (memory.get(index) & 0xff) << 16 | (memory.get(index + 1) & 0xff) << 8 | memory.get(index + 2) & 0xff;
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        return memory.get(index) & 0xff | (memory.get(index + 1) & 0xff) << 8 | (memory.get(index + 2) & 0xff) << 16;
    }

    @Override
    protected int _getInt(int index) {
        return memory.getInt(index);
    }

    @Override
    protected int _getIntLE(int index) {
        return Integer.reverseBytes(memory.getInt(index));
    }

    @Override
    protected long _getLong(int index) {
        return memory.getLong(index);
    }

    @Override
    protected long _getLongLE(int index) {
        return Long.reverseBytes(memory.getLong(index));
    }

    @Override
    protected void _setByte(int index, int value) {
        memory.put(index, (byte) value);
    }

    @Override
    protected void _setShort(int index, int value) {
        memory.putShort(index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        memory.putShort(index, Short.reverseBytes((short) value));
    }

    @Override
    protected void _setMedium(int index, int value) {
        memory.put(index, (byte) (value >>> 16));
        memory.put(index + 1, (byte) (value >>> 8));
        memory.put(index + 2, (byte) value);
    }

    @Override
    protected void _setMediumLE(int index, int value) {
        memory.put(index, (byte) value);
        memory.put(index + 1, (byte) (value >>> 8));
        memory.put(index + 2, (byte) (value >>> 16));
    }

    @Override
    protected void _setInt(int index, int value) {
        memory.putInt(index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        memory.putInt(index, Integer.reverseBytes(value));
    }

    @Override
    protected void _setLong(int index, long value) {
        memory.putLong(index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        memory.putLong(index, Long.reverseBytes(value));
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (dst.hasArray()) {
            memory.get(index, dst.array(), dst.arrayOffset() + dstIndex, length);
        } else if (dst.nioBufferCount() > 0) {
            for (ByteBuffer bb : dst.nioBuffers(dstIndex, length)) {
                int n = bb.remaining();
                bb.put(bb.position(), memory, index, n);
                index += n;
            }
        } else {
            dst.setBytes(dstIndex, this, index, length);
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.length);
        memory.get(index, dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        int n = dst.remaining();
        checkIndex(index, n);
        dst.put(dst.position(), memory, index, n);
        dst.position(dst.position() + n);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        checkIndex(index, length);
        byte[] chunk = new byte[Math.min(length, 8192)];
        while (length > 0) {
            int n = Math.min(length, chunk.length);
            memory.get(index, chunk, 0, n);
            out.write(chunk, 0, n);
            index += n;
            length -= n;
        }
        return this;
    }

    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        checkIndex(index, length);
        return out.write(tmp(index, length));
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        checkIndex(index, length);
        return out.write(tmp(index, length), position);
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (src.hasArray()) {
            memory.put(index, src.array(), src.arrayOffset() + srcIndex, length);
        } else if (src.nioBufferCount() > 0) {
            for (ByteBuffer bb : src.nioBuffers(srcIndex, length)) {
                int n = bb.remaining();
                memory.put(index, bb, bb.position(), n);
                index += n;
            }
        } else {
            src.getBytes(srcIndex, this, index, length);
        }
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.length);
        memory.put(index, src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int n = src.remaining();
        checkIndex(index, n);
        memory.put(index, src, src.position(), n);
        src.position(src.position() + n);
        return this;
    }

    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        checkIndex(index, length);
        byte[] chunk = new byte[length];
        int read = in.read(chunk, 0, length);
        if (read > 0) {
            memory.put(index, chunk, 0, read);
        }
        return read;
    }

    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(tmp(index, length));
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        checkIndex(index, length);
        try {
            return in.read(tmp(index, length), position);
        } catch (ClosedChannelException e) {
            return -1;
        }
    }

    @Override
    public ByteBuf copy(int index, int length) {
        checkIndex(index, length);
        ByteBuf copy = alloc().directBuffer(length, maxCapacity());
        copy.writeBytes(this, index, length);
        return copy;
    }

    @Override
    public int nioBufferCount() {
        return 1;
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        checkIndex(index, length);
        return memory.slice(index, length);
    }

    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        return tmp(index, length);
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    private ByteBuffer tmp(int index, int length) {
        ByteBuffer tmp = tmpNioBuf;
        if (tmp == null) {
            tmp = memory.duplicate();
            tmpNioBuf = tmp;
        }
        return tmp.clear().position(index).limit(index + length);
    }
}
