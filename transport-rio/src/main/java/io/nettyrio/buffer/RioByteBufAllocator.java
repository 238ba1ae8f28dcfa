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

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.SystemPropertyUtil;
import io.nettyrio.buffer.internal.RioSlotAllocator;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;

/**
 * A pooled {@link ByteBufAllocator} whose direct buffers live in RIO registered memory, so that the RIO transport
 * sends them and receives into them without a copy. See {@code docs/allocator.md}.
 *
 * <ul>
 *   <li><b>Slots.</b> Direct buffers live in slots of power-of-two size classes from
 *   {@value #SMALLEST_SLOT_SIZE} bytes to {@value #LARGEST_SLOT_SIZE} bytes. A size class that runs dry carves a
 *   slab and calls {@code RIORegisterBuffer} once <em>per slot</em>: every slot is its own registration, paid once
 *   when the slab is carved, never per request. So no two requests ever share a registration, and the rule of
 *   "RIOSend function (mswsock.h)", Remarks, that the entire registered buffer must not be used until the send has
 *   completed holds by construction. A larger buffer gets a registration of its own, deregistered and freed when
 *   it is released.</li>
 *   <li><b>Caches.</b> Each event-loop thread ({@link FastThreadLocalThread}, or every thread with
 *   {@link Builder#useCacheForAllThreads}) keeps a small free list per size class in front of the shared pool,
 *   refilled from and spilled to it in batches.</li>
 *   <li><b>Release from any thread.</b> A slot goes back to the releasing thread's cache, or to the shared pool.
 *   Before a slot is handed out again, RioRules checks that no request references it (a no-op unless RioRules
 *   wraps the provider).</li>
 *   <li><b>Growth.</b> {@code capacity(int)}, and so {@code ensureWritable}, beyond a slot moves the content to
 *   a slot of a larger class: a buffer never leaves registered memory, unless the ceiling forbids it.</li>
 *   <li><b>Ceiling.</b> At most {@link #maxRegisteredBytes()} are registered (system property
 *   {@value #MAX_REGISTERED_BYTES_PROPERTY}, or {@link Builder#maxRegisteredBytes}). Receives and staged sends each
 *   keep a quarter of the ceiling that nothing else may use, so user buffers hold at most half of it. Beyond their
 *   share {@link #directBuffer} falls back to Netty's default direct buffers (the transport then copies them into
 *   registered memory).</li>
 *   <li>Leak detection is Netty's ({@code toLeakAwareBuffer}); heap buffers come from
 *   {@link ByteBufAllocator#DEFAULT}; {@link #metric()} counts registered bytes, slots in use per size class,
 *   allocations and cache hits.</li>
 * </ul>
 *
 * <p>This class is the public face of the allocator; its machinery (size-class pools, thread caches, the ceiling,
 * slab registration) is internal to the transport, as Netty's {@code PooledByteBufAllocator} is a face over
 * {@code PoolArena} and {@code PoolThreadCache}.
 */
public final class RioByteBufAllocator extends AbstractByteBufAllocator implements ByteBufAllocatorMetricProvider {
    /** System property: the most registered memory, in bytes, an allocator built without an explicit one holds. */
    public static final String MAX_REGISTERED_BYTES_PROPERTY = "io.nettyrio.maxRegisteredBytes";
    /** The size of the smallest size class: no direct buffer takes a smaller slot. */
    public static final int SMALLEST_SLOT_SIZE = 256;
    /** The size of the largest size class: larger buffers get a registration of their own. */
    public static final int LARGEST_SLOT_SIZE = 1 << 20;
    /**
     * How many size classes there are: {@value #SMALLEST_SLOT_SIZE} to {@value #LARGEST_SLOT_SIZE} bytes in powers
     * of two (the indices of {@link RioByteBufAllocatorMetric#slotsInUse(int)}).
     */
    public static final int SIZE_CLASSES = Integer.numberOfTrailingZeros(LARGEST_SLOT_SIZE)
            - Integer.numberOfTrailingZeros(SMALLEST_SLOT_SIZE) + 1;

    private static final long DEFAULT_MAX_REGISTERED_BYTES =
            SystemPropertyUtil.getLong(MAX_REGISTERED_BYTES_PROPERTY, Long.MAX_VALUE);

    static {
        // The transport's internal package reaches an allocator's machinery through this hook only.
        RioSlotAllocator.bindFacade(a -> a.slots);
    }

    private final RegisteredIo rio;
    private final long maxRegisteredBytes;
    private final RioSlotAllocator slots;
    private final RioByteBufAllocatorMetric metric;

    private RioByteBufAllocator(Builder b) {
        super(true);
        this.rio = b.rio;
        this.maxRegisteredBytes = b.maxRegisteredBytes;
        this.slots = new RioSlotAllocator(this, b.rio, b.maxRegisteredBytes, b.cacheBytesPerClass,
                b.useCacheForAllThreads);
        this.metric = new RioByteBufAllocatorMetric(slots, b.maxRegisteredBytes);
    }

    /**
     * Returns an allocator over the RIO provider of this OS ({@link Rio#provider()}), with the defaults of
     * {@link Builder}. Every call returns the same allocator: it is what RIO channels use unless told otherwise.
     *
     * @throws UnsatisfiedLinkError if RIO is not available
     */
    public static RioByteBufAllocator defaultAllocator() {
        return DefaultHolder.DEFAULT;
    }

    private static final class DefaultHolder {
        static final RioByteBufAllocator DEFAULT = builder(Rio.provider().registeredIo()).build();
    }

    /** Returns a builder of an allocator that registers its memory through {@code rio}. */
    public static Builder builder(RegisteredIo rio) {
        return new Builder(rio);
    }

    /** Builds a {@link RioByteBufAllocator}. */
    public static final class Builder {
        private final RegisteredIo rio;
        private long maxRegisteredBytes = DEFAULT_MAX_REGISTERED_BYTES;
        private boolean useCacheForAllThreads;
        private int cacheBytesPerClass = 64 * 1024;

        private Builder(RegisteredIo rio) {
            if (rio == null) {
                throw new NullPointerException("rio");
            }
            this.rio = rio;
        }

        /**
         * Sets the most memory, in bytes, the allocator registers (default: the system property
         * {@value #MAX_REGISTERED_BYTES_PROPERTY}, else no limit).
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxRegisteredBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxRegisteredBytes must be positive: " + bytes);
            }
            this.maxRegisteredBytes = bytes;
            return this;
        }

        /**
         * Sets whether every thread gets a cache, not only event-loop threads (default false, as Netty's pooled
         * allocator). The cache of a thread that is not a {@link FastThreadLocalThread} is not emptied when the
         * thread ends: its slots stay out of the pool.
         */
        public Builder useCacheForAllThreads(boolean use) {
            this.useCacheForAllThreads = use;
            return this;
        }

        /**
         * Sets about how many bytes a thread caches per size class (default 64 KiB; at least 2 and at most 64
         * slots per class; 0 disables the caches).
         *
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder cacheBytesPerClass(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheBytesPerClass must not be negative: " + bytes);
            }
            this.cacheBytesPerClass = bytes;
            return this;
        }

        /** Builds the allocator. */
        public RioByteBufAllocator build() {
            return new RioByteBufAllocator(this);
        }
    }

    /** Returns the {@link RegisteredIo} the allocator registers its memory through. */
    public RegisteredIo registeredIo() {
        return rio;
    }

    /** Returns the most memory, in bytes, this allocator registers. */
    public long maxRegisteredBytes() {
        return maxRegisteredBytes;
    }

    /** Returns the size of slots of size class {@code index} (0 to {@link #SIZE_CLASSES} - 1). */
    public static int slotSize(int index) {
        return SMALLEST_SLOT_SIZE << index;
    }

    /**
     * Returns the index of the smallest size class that holds {@code size} bytes, or -1 if none does (the buffer
     * then gets a registration of its own).
     */
    public static int sizeClassOf(int size) {
        if (size <= SMALLEST_SLOT_SIZE) {
            return 0;
        }
        if (size > LARGEST_SLOT_SIZE) {
            return -1;
        }
        return 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(SMALLEST_SLOT_SIZE);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        // Heap memory cannot be registered: Netty's default allocator does it best.
        return ByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = slots.newDirectBuffer(initialCapacity, maxCapacity);
        if (buf == null) {
            // The ceiling: an ordinary direct buffer, which the transport copies into registered memory.
            return ByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }
        return toLeakAwareBuffer(buf);
    }

    /** Returns the metric of this allocator. */
    @Override
    public RioByteBufAllocatorMetric metric() {
        return metric;
    }

    @Override
    public String toString() {
        return "RioByteBufAllocator(" + metric + ')';
    }
}
