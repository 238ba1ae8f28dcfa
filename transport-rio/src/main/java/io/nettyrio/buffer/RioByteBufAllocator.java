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
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.SystemPropertyUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.rules.RioRules;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pooled {@link ByteBufAllocator} whose direct buffers live in RIO registered memory, so that the RIO transport
 * sends them and receives into them without a copy (DESIGN.md section 6).
 *
 * <ul>
 *   <li><b>Slots.</b> Direct buffers are {@link RioPooledByteBuf}s over slots in power-of-two size classes from
 *   {@value #MIN_SLOT_SIZE} bytes to {@value #MAX_SLOT_SIZE} bytes. A size class that runs dry carves a slab and
 *   calls {@code RIORegisterBuffer} once <em>per slot</em>: every slot is its own registration, paid once when the
 *   slab is carved, never per request. So no two requests ever share a registration, and the RIOSend rule "the
 *   entire registered buffer must not be used until the send has completed" ({@code seeds/LPFN_RIOSEND.md},
 *   Remarks) holds by construction. A larger buffer gets a registration of its own, deregistered and freed when
 *   it is released.</li>
 *   <li><b>Caches.</b> Each event-loop thread ({@link FastThreadLocalThread}, or every thread with
 *   {@link Builder#useCacheForAllThreads}) keeps a small free list per size class in front of the shared pool,
 *   refilled from and spilled to it in batches.</li>
 *   <li><b>Release from any thread.</b> A slot goes back to the releasing thread's cache, or to the shared pool.
 *   Before a slot is handed out again, {@link RioRules#checkNotInFlight(RegisteredIo, long)} checks that no
 *   request references it (a no-op unless RioRules wraps the provider).</li>
 *   <li><b>Growth.</b> {@code capacity(int)}, and so {@code ensureWritable}, beyond a slot moves the content to
 *   a slot of a larger class: a buffer never leaves registered memory.</li>
 *   <li><b>Ceiling.</b> At most {@link #maxRegisteredBytes()} are registered (system property
 *   {@value #MAX_REGISTERED_BYTES_PROPERTY}, or {@link Builder#maxRegisteredBytes}). Slots in use are counted per
 *   kind: receives and staged sends each keep a quarter of the ceiling that nothing else may use, so user buffers
 *   hold at most half of it. Beyond their share {@link #directBuffer} falls back to Netty's default direct
 *   buffers (the transport then copies them into registered memory); the transport takes a slot of any class it
 *   can fill, or waits ({@link RioSlotPool#awaitMemory}) until any thread gives one back.</li>
 *   <li>Leak detection is Netty's ({@code toLeakAwareBuffer}); heap buffers come from
 *   {@link ByteBufAllocator#DEFAULT}; {@link #metric()} counts registered bytes, slots in use per size class,
 *   allocations and cache hits.</li>
 * </ul>
 */
public final class RioByteBufAllocator extends AbstractByteBufAllocator implements ByteBufAllocatorMetricProvider {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioByteBufAllocator.class);

    /** System property: the most registered memory, in bytes, an allocator built without an explicit one holds. */
    public static final String MAX_REGISTERED_BYTES_PROPERTY = "io.nettyrio.maxRegisteredBytes";
    /** The smallest slot. */
    public static final int MIN_SLOT_SIZE = 256;
    /** The largest pooled slot; larger buffers get a registration of their own. */
    public static final int MAX_SLOT_SIZE = 1 << 20;
    /** How many size classes there are: {@value #MIN_SLOT_SIZE} to {@value #MAX_SLOT_SIZE} in powers of two. */
    public static final int SIZE_CLASSES = Integer.numberOfTrailingZeros(MAX_SLOT_SIZE)
            - Integer.numberOfTrailingZeros(MIN_SLOT_SIZE) + 1;
    /** Bytes carved at once for the smaller classes (a class of larger slots carves one slot at a time). */
    static final int SLAB_BYTES = 64 * 1024;

    /** A slot's use under the ceiling: a user's direct buffer (or a buffer that grew). */
    static final int KIND_USER = 0;
    /** A slot's use under the ceiling: a receive, posted or handed up the pipeline. */
    static final int KIND_RECEIVE = 1;
    /** A slot's use under the ceiling: a staged copy of a send (or other transport memory). */
    static final int KIND_STAGING = 2;
    private static final int KINDS = 3;

    private static final long DEFAULT_MAX_REGISTERED_BYTES =
            SystemPropertyUtil.getLong(MAX_REGISTERED_BYTES_PROPERTY, Long.MAX_VALUE);

    private final RegisteredIo rio;
    private final long maxRegisteredBytes;
    /** Whether there is a ceiling at all: without one, none of the share accounting runs. */
    private final boolean limited;
    private final boolean cachesEnabled;
    /**
     * Bytes carved at once: {@link #SLAB_BYTES}, or under a small ceiling a sixteenth of it, so that one size
     * class cannot carve all the registered memory there may be for its first few slots.
     */
    private final int slabBytes;
    /** See {@link RioSlotPool#receiveBytesPerChannel()}. */
    private final int receiveBytesPerChannel;
    /**
     * The bytes of the ceiling that only slots of each kind may use while that kind uses less: receives and
     * staging each keep a quarter, so that neither user buffers nor the other kind can starve them.
     */
    private final long[] reserved = new long[KINDS];
    /** Bytes of slots in use per kind, and in all: guarded by {@link #budget}, only when {@link #limited}. */
    private final long[] usedByKind = new long[KINDS];
    private long usedTotal;
    private final Object budget = new Object();
    /** Counts every slot given back under the ceiling: a pool that waits compares it to tell it missed none. */
    private final AtomicLong releases = new AtomicLong();
    /** The pools whose channels wait for registered memory: woken by the next release, from any thread. */
    private final ConcurrentLinkedQueue<RioSlotPool> waiting = new ConcurrentLinkedQueue<>();
    /** The event loops' pools, asked to empty their thread caches when the ceiling refuses a slot. */
    private final CopyOnWriteArrayList<RioSlotPool> loops = new CopyOnWriteArrayList<>();
    private final boolean useCacheForAllThreads;
    private final int[] cacheSizes = new int[SIZE_CLASSES];
    private final SharedPool[] pools = new SharedPool[SIZE_CLASSES];
    private final Arena arena = Arena.ofShared();
    private boolean freed;
    /** Slabs (and dedicated registrations) by base address: finds the slot under any direct buffer's memory. */
    private final ConcurrentSkipListMap<Long, Slab> slabs = new ConcurrentSkipListMap<>();
    private final AtomicLong registeredBytes = new AtomicLong();
    private final AtomicLong peakRegisteredBytes = new AtomicLong();
    private final LongAdder allocations = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder ceilingRefusals = new LongAdder();
    private final LongAdder dedicated = new LongAdder();
    private final LongAdder[] inUse = new LongAdder[SIZE_CLASSES];
    private final LongAdder dedicatedBytesInUse = new LongAdder();
    private final RioByteBufAllocatorMetric metric = new RioByteBufAllocatorMetric(this);
    private final FastThreadLocal<ThreadCache> caches = new FastThreadLocal<>() {
        @Override
        protected ThreadCache initialValue() {
            Thread t = Thread.currentThread();
            return useCacheForAllThreads || t instanceof FastThreadLocalThread ? new ThreadCache() : noCache;
        }

        @Override
        protected void onRemoval(ThreadCache cache) {
            cache.flush();
        }
    };
    private final ThreadCache noCache = new ThreadCache(0);

    private RioByteBufAllocator(Builder b) {
        super(true);
        this.rio = b.rio;
        this.maxRegisteredBytes = b.maxRegisteredBytes;
        this.limited = b.maxRegisteredBytes != Long.MAX_VALUE;
        this.reserved[KIND_RECEIVE] = b.maxRegisteredBytes / 4;
        this.reserved[KIND_STAGING] = b.maxRegisteredBytes / 4;
        this.cachesEnabled = b.cacheBytesPerClass > 0;
        this.slabBytes = (int) Math.min(SLAB_BYTES, Long.highestOneBit(Math.max(1, b.maxRegisteredBytes / 16)));
        this.receiveBytesPerChannel = limited ? (int) Math.min(MAX_SLOT_SIZE,
                Math.max(MIN_SLOT_SIZE, Long.highestOneBit(b.maxRegisteredBytes / 32))) : Integer.MAX_VALUE;
        this.useCacheForAllThreads = b.useCacheForAllThreads;
        for (int i = 0; i < SIZE_CLASSES; i++) {
            int slotSize = slotSize(i);
            pools[i] = new SharedPool(i, slotSize);
            inUse[i] = new LongAdder();
            // Bounded caches: about 64 KiB per class for the small ones, a few slots for the large ones.
            cacheSizes[i] = b.cacheBytesPerClass <= 0 ? 0 : Math.max(2, Math.min(64, b.cacheBytesPerClass / slotSize));
        }
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

    /** Returns the size of slots of class {@code index}. */
    public static int slotSize(int index) {
        return MIN_SLOT_SIZE << index;
    }

    /** Returns the index of the smallest class that holds {@code size} bytes, or -1 if none does. */
    public static int sizeClassOf(int size) {
        if (size <= MIN_SLOT_SIZE) {
            return 0;
        }
        if (size > MAX_SLOT_SIZE) {
            return -1;
        }
        return 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(MIN_SLOT_SIZE);
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
        RioSlot slot = tryAcquire(initialCapacity);
        if (slot == null) {
            // The ceiling: an ordinary direct buffer, which the transport copies into registered memory.
            fallbacks.increment();
            return ByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }
        return toLeakAwareBuffer(new RioPooledByteBuf(this, slot, initialCapacity, maxCapacity));
    }

    /**
     * Returns a {@link RioPooledByteBuf} of {@code length} readable bytes over {@code slot} (a slot this
     * allocator handed out, for instance one a receive filled), tracked by Netty's leak detector. Releasing it
     * gives the slot back.
     */
    public ByteBuf wrap(RioSlot slot, int length) {
        if (slot.allocator() != this) {
            throw new IllegalArgumentException(slot + " belongs to another allocator");
        }
        RioPooledByteBuf buf = new RioPooledByteBuf(this, slot, slot.capacity(), Integer.MAX_VALUE);
        buf.setIndex(0, length);
        return toLeakAwareBuffer(buf);
    }

    /**
     * Takes a slot of at least {@code size} bytes for a user's buffer, or returns null if the ceiling of registered
     * memory does not allow it (user buffers may not use what is kept for receives and staging). Any thread.
     *
     * @throws IllegalStateException if registering memory fails
     */
    public RioSlot tryAcquire(int size) {
        return acquire(KIND_USER, size, size, true);
    }

    /**
     * Takes a slot for the transport ({@link #KIND_RECEIVE} or {@link #KIND_STAGING}): of {@code size} bytes if it
     * can, else, under the ceiling, any free or carvable slot of at least {@code minSize} bytes (the caller uses
     * {@link RioSlot#capacity()}), else null. Any thread.
     */
    RioSlot tryAcquire(int kind, int size, int minSize) {
        return acquire(kind, size, minSize, true);
    }

    /**
     * Takes a slot for the transport within the ceiling if it can, else beyond it: only for small, bounded needs
     * that cannot wait (a datagram channel's address slots, taken when it is bound).
     */
    RioSlot acquireIgnoringCeiling(int kind, int size) {
        RioSlot slot = acquire(kind, size, size, true);
        return slot != null ? slot : acquire(kind, size, size, false);
    }

    /**
     * Takes a slot for a buffer that grows, or returns null if the ceiling does not allow it: the buffer then
     * moves to ordinary memory.
     */
    RioSlot tryAcquireForGrowth(int size) {
        return acquire(KIND_USER, size, size, true);
    }

    private RioSlot acquire(int kind, int size, int minSize, boolean ceiling) {
        int index = sizeClassOf(Math.max(1, size));
        if (index < 0) {
            return acquireDedicated(kind, size, ceiling);
        }
        ThreadCache cache = caches.get();
        RioSlot slot = null;
        // 1. The class asked for: the thread's cache, the shared pool, or a new slab.
        int slotSize = slotSize(index);
        if (admit(kind, slotSize, ceiling)) {
            slot = cache.poll(index);
            if (slot != null) {
                cacheHits.increment();
            } else {
                slot = takeAdmitted(kind, index, cache, true, ceiling);
            }
        }
        if (slot == null && limited) {
            // At the ceiling. Registered memory carved for one class must not starve another: 2. a free slot of
            // a larger class; 3. for the transport, which fills whatever it gets, a smaller one, free or carved.
            for (int larger = index + 1; slot == null && larger < SIZE_CLASSES; larger++) {
                if (admit(kind, slotSize(larger), ceiling)) {
                    slot = cache.poll(larger);
                    if (slot == null) {
                        slot = takeAdmitted(kind, larger, noCache, false, ceiling);
                    }
                }
            }
            int lowest = sizeClassOf(Math.max(1, Math.min(minSize, size)));
            for (int smaller = index - 1; slot == null && smaller >= lowest; smaller--) {
                if (admit(kind, slotSize(smaller), ceiling)) {
                    slot = cache.poll(smaller);
                    if (slot == null) {
                        slot = takeAdmitted(kind, smaller, noCache, true, ceiling);
                    }
                }
            }
        }
        if (slot == null) {
            refused();
            return null;
        }
        inUse[slot.sizeClass].increment();
        return handOut(slot, kind);
    }

    /** Takes a slot of class {@code index} whose bytes are admitted already, or gives the admission back. */
    private RioSlot takeAdmitted(int kind, int index, ThreadCache cache, boolean carve, boolean ceiling) {
        RioSlot slot;
        try {
            slot = carve ? pools[index].take(cache, ceiling) : pools[index].takeFree();
        } catch (RuntimeException e) {
            unadmit(kind, slotSize(index));
            throw e;
        }
        if (slot == null) {
            unadmit(kind, slotSize(index));
        }
        return slot;
    }

    private RioSlot acquireDedicated(int kind, int size, boolean ceiling) {
        if (!admit(kind, size, ceiling)) {
            refused();
            return null;
        }
        RioSlot slot;
        try {
            slot = newDedicated(size, ceiling);
        } catch (RuntimeException e) {
            unadmit(kind, size);
            throw e;
        }
        if (slot == null) {
            unadmit(kind, size);
            refused();
            return null;
        }
        return handOut(slot, kind);
    }

    private RioSlot handOut(RioSlot slot, int kind) {
        slot.kind = kind;
        // RioRules rule 5 (a no-op unless RioRules wraps the provider): nothing in flight may reference it.
        RioRules.checkNotInFlight(rio, slot.bufferId());
        slot.markAcquired();
        allocations.increment();
        return slot;
    }

    /**
     * Counts {@code bytes} of kind {@code kind} as in use if the ceiling's shares allow it: every kind may use
     * what is left of the ceiling once the unused reserves of the other kinds are set aside.
     */
    private boolean admit(int kind, long bytes, boolean ceiling) {
        if (!limited) {
            return true;
        }
        synchronized (budget) {
            if (ceiling) {
                long room = maxRegisteredBytes - usedTotal;
                for (int k = 0; k < KINDS; k++) {
                    if (k != kind) {
                        room -= Math.max(0, reserved[k] - usedByKind[k]);
                    }
                }
                if (bytes > room) {
                    return false;
                }
            }
            usedByKind[kind] += bytes;
            usedTotal += bytes;
            return true;
        }
    }

    private void unadmit(int kind, long bytes) {
        if (limited) {
            synchronized (budget) {
                usedByKind[kind] -= bytes;
                usedTotal -= bytes;
            }
        }
    }

    /**
     * The ceiling refused a slot: free slots may sit in the event loops' caches, out of the other threads' reach,
     * so every loop is asked to give its cached slots back (which wakes whoever waits).
     */
    private void refused() {
        ceilingRefusals.increment();
        if (limited && cachesEnabled) {
            for (RioSlotPool pool : loops) {
                pool.requestCacheFlush();
            }
        }
    }

    /** Gives the calling thread's cached slots back to the shared pools. Called by a pool on its event loop. */
    void flushThreadCache() {
        if (caches.isSet() && caches.get().flush() > 0 && limited) {
            memoryFreed();
        }
    }

    /** Returns a count that changes whenever a slot comes back under the ceiling. */
    long releaseStamp() {
        return releases.get();
    }

    int receiveBytesPerChannel() {
        return receiveBytesPerChannel;
    }

    /** See {@link RioSlotPool#largestTransportSlot()}. */
    int largestTransportSlot() {
        if (!limited) {
            return MAX_SLOT_SIZE;
        }
        long share = maxRegisteredBytes - maxRegisteredBytes / 4;
        return (int) Math.min(MAX_SLOT_SIZE, Long.highestOneBit(Math.max(MIN_SLOT_SIZE, share)));
    }

    /** Registers {@code pool} to be woken ({@link RioSlotPool#woken()}) by the next release. */
    void await(RioSlotPool pool) {
        waiting.add(pool);
    }

    /** Returns whether some channel waits for registered memory: the others then take no more than they need. */
    boolean hasWaiters() {
        return limited && !waiting.isEmpty();
    }

    void addLoop(RioSlotPool pool) {
        loops.add(pool);
    }

    void removeLoop(RioSlotPool pool) {
        loops.remove(pool);
        waiting.remove(pool);
    }

    private void memoryFreed() {
        releases.incrementAndGet();
        RioSlotPool pool;
        while ((pool = waiting.poll()) != null) {
            pool.woken();
        }
    }

    /**
     * Gives {@code slot} back. Any thread.
     *
     * @throws IllegalStateException if a request still references the slot, or it was given back already
     */
    void release(RioSlot slot) {
        if (slot.isInRequest()) {
            throw new IllegalStateException(slot + " released while a request references it");
        }
        RioRules.checkNotInFlight(rio, slot.bufferId());
        if (!slot.markFree()) {
            throw new IllegalStateException(slot + " released twice");
        }
        int index = slot.sizeClass;
        if (index < 0) {
            freeDedicated(slot);
        } else {
            inUse[index].decrement();
            // While someone waits for memory, a slot goes where every thread can take it, not to a cache.
            ThreadCache cache = hasWaiters() ? noCache : caches.get();
            if (!cache.offer(slot)) {
                pools[index].give(slot, cache);
            }
        }
        if (limited) {
            unadmit(slot.kind, slot.capacity());
            memoryFreed();
        }
    }

    /**
     * Returns the slot that holds all of {@code buf}'s readable bytes if they lie in one slot of this allocator,
     * whatever the buffer's type (a {@link RioPooledByteBuf}, a slice or duplicate of one, a leak-aware wrapper),
     * else null. The transport sends such a buffer without a copy.
     */
    public RioSlot slotOf(ByteBuf buf) {
        int length = buf.readableBytes();
        if (!buf.isDirect() || length == 0 || buf.nioBufferCount() != 1) {
            return null;
        }
        MemorySegment memory = MemorySegment.ofBuffer(buf.internalNioBuffer(buf.readerIndex(), length));
        return slotAt(memory.address(), length);
    }

    /** Returns the offset of {@code buf}'s reader index in {@code slot} (the slot {@link #slotOf} returned). */
    public static int offsetIn(RioSlot slot, ByteBuf buf) {
        MemorySegment memory = MemorySegment.ofBuffer(buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes()));
        return (int) (memory.address() - slot.memory().address());
    }

    RioSlot slotAt(long address, int length) {
        Map.Entry<Long, Slab> e = slabs.floorEntry(address);
        if (e == null) {
            return null;
        }
        Slab slab = e.getValue();
        long offset = address - slab.base;
        if (offset >= (long) slab.slotSize * slab.slots.length) {
            return null;
        }
        int i = (int) (offset / slab.slotSize);
        long end = (long) i * slab.slotSize + slab.slotSize;
        if (offset + length > end) {
            return null;
        }
        return slab.slots[i];
    }

    private boolean reserve(long bytes, boolean ceiling) {
        for (;;) {
            long now = registeredBytes.get();
            if (ceiling && now + bytes > maxRegisteredBytes) {
                return false;
            }
            if (registeredBytes.compareAndSet(now, now + bytes)) {
                peakRegisteredBytes.accumulateAndGet(now + bytes, Math::max);
                return true;
            }
        }
    }

    /** Carves a slab of class {@code index}, registering every slot on its own. Under the class's lock. */
    private RioSlot[] carve(int index, boolean ceiling) {
        int slotSize = slotSize(index);
        int count = Math.max(1, slabBytes / slotSize);
        long bytes = (long) slotSize * count;
        if (!reserve(bytes, ceiling)) {
            // Fewer slots rather than none when the ceiling is near.
            count = (int) Math.max(0, (maxRegisteredBytes - registeredBytes.get()) / slotSize);
            bytes = (long) slotSize * count;
            if (count == 0 || !reserve(bytes, ceiling)) {
                return null;
            }
        }
        MemorySegment slab = arena.allocate(bytes, Math.min(slotSize, 4096));
        MemorySegment descriptors = arena.allocate(RioLayouts.RIO_BUF, count);
        RioSlot[] slots = new RioSlot[count];
        int registered = 0;
        try {
            for (int i = 0; i < count; i++) {
                MemorySegment memory = slab.asSlice((long) i * slotSize, slotSize);
                // One registration per slot: the send rule is then per slot, not per slab.
                long bufferId = rio.registerBuffer(memory, slotSize);
                slots[i] = new RioSlot(this, memory, bufferId,
                        descriptors.asSlice(i * RioLayouts.RIO_BUF.byteSize(), RioLayouts.RIO_BUF), index, null);
                registered++;
            }
        } catch (RioException e) {
            for (int i = 0; i < registered; i++) {
                rio.deregisterBuffer(slots[i].bufferId());
            }
            registeredBytes.addAndGet(-bytes);
            throw new IllegalStateException("RIORegisterBuffer failed for a slab of " + count + " slots of "
                    + slotSize + " bytes", e);
        }
        slabs.put(slab.address(), new Slab(slab.address(), slotSize, slots));
        return slots;
    }

    private RioSlot newDedicated(int size, boolean ceiling) {
        if (!reserve(size, ceiling)) {
            return null;
        }
        Arena own = Arena.ofShared();
        try {
            MemorySegment memory = own.allocate(size, 4096);
            MemorySegment descriptor = own.allocate(RioLayouts.RIO_BUF);
            long bufferId = rio.registerBuffer(memory, size);
            RioSlot slot = new RioSlot(this, memory, bufferId, descriptor, -1, own);
            slabs.put(memory.address(), new Slab(memory.address(), size, new RioSlot[] {slot}));
            dedicated.increment();
            dedicatedBytesInUse.add(size);
            return slot;
        } catch (RioException | RuntimeException e) {
            own.close();
            registeredBytes.addAndGet(-size);
            throw new IllegalStateException("RIORegisterBuffer failed for a buffer of " + size + " bytes", e);
        }
    }

    private void freeDedicated(RioSlot slot) {
        slabs.remove(slot.memory().address());
        rio.deregisterBuffer(slot.bufferId());
        dedicatedBytesInUse.add(-slot.capacity());
        registeredBytes.addAndGet(-slot.capacity());
        slot.dedicatedArena.close();
    }

    /**
     * Deregisters every slot and frees the memory: only for an allocator that a {@link RioSlotPool} owns, once
     * every slot is back in it.
     */
    void free() {
        synchronized (slabs) {
            if (freed) {
                return;
            }
            freed = true;
            for (Slab slab : slabs.values()) {
                for (RioSlot slot : slab.slots) {
                    rio.deregisterBuffer(slot.bufferId());
                }
            }
            slabs.clear();
        }
        arena.close();
    }

    /** Returns the metric of this allocator. */
    @Override
    public RioByteBufAllocatorMetric metric() {
        return metric;
    }

    long registeredBytes() {
        return registeredBytes.get();
    }

    long peakRegisteredBytes() {
        return peakRegisteredBytes.get();
    }

    long slotsInUse(int index) {
        return inUse[index].sum();
    }

    long usedDirectMemory() {
        long used = dedicatedBytesInUse.sum();
        for (int i = 0; i < SIZE_CLASSES; i++) {
            used += inUse[i].sum() * slotSize(i);
        }
        return used;
    }

    long allocations() {
        return allocations.sum();
    }

    long cacheHits() {
        return cacheHits.sum();
    }

    long fallbacks() {
        return fallbacks.sum();
    }

    long ceilingRefusals() {
        return ceilingRefusals.sum();
    }

    long dedicatedAllocations() {
        return dedicated.sum();
    }

    @Override
    public String toString() {
        return "RioByteBufAllocator(" + metric + ')';
    }

    /** A carved slab (or a dedicated registration): its slots by address. */
    private record Slab(long base, int slotSize, RioSlot[] slots) {
    }

    /** The shared free slots of one size class. */
    private final class SharedPool {
        private final int index;
        private final int slotSize;
        private RioSlot[] free = new RioSlot[64];
        private int size;

        SharedPool(int index, int slotSize) {
            this.index = index;
            this.slotSize = slotSize;
        }

        /** Takes one slot, and refills {@code cache} with up to half its capacity in the same lock. */
        synchronized RioSlot take(ThreadCache cache, boolean ceiling) {
            if (size == 0) {
                RioSlot[] carved = carve(index, ceiling);
                if (carved == null) {
                    return null;
                }
                for (RioSlot s : carved) {
                    push(s);
                }
            }
            RioSlot slot = free[--size];
            free[size] = null;
            int refill = Math.min(size, cache.capacity(index) / 2);
            for (int i = 0; i < refill; i++) {
                RioSlot s = free[--size];
                free[size] = null;
                cache.offer(s);
            }
            return slot;
        }

        /** Takes a free slot without carving, or returns null. */
        synchronized RioSlot takeFree() {
            if (size == 0) {
                return null;
            }
            RioSlot slot = free[--size];
            free[size] = null;
            return slot;
        }

        /** Gives {@code slot} back, and spills half of {@code cache}'s class (full) in the same lock. */
        synchronized void give(RioSlot slot, ThreadCache cache) {
            push(slot);
            int spill = cache.capacity(index) / 2;
            for (int i = 0; i < spill; i++) {
                RioSlot s = cache.poll(index);
                if (s == null) {
                    break;
                }
                push(s);
            }
        }

        synchronized void giveAll(RioSlot[] slots, int count) {
            for (int i = 0; i < count; i++) {
                push(slots[i]);
            }
        }

        private void push(RioSlot slot) {
            if (size == free.length) {
                free = java.util.Arrays.copyOf(free, size * 2);
            }
            free[size++] = slot;
        }

        @Override
        public String toString() {
            return slotSize + "B";
        }
    }

    /** One thread's free slots per size class (LIFO: the most recently used memory is the warmest). */
    private final class ThreadCache {
        private final RioSlot[][] slots = new RioSlot[SIZE_CLASSES][];
        private final int[] counts = new int[SIZE_CLASSES];

        ThreadCache() {
            for (int i = 0; i < SIZE_CLASSES; i++) {
                slots[i] = new RioSlot[cacheSizes[i]];
            }
        }

        ThreadCache(int ignored) {
            for (int i = 0; i < SIZE_CLASSES; i++) {
                slots[i] = new RioSlot[0];
            }
        }

        int capacity(int index) {
            return slots[index].length;
        }

        RioSlot poll(int index) {
            int n = counts[index];
            if (n == 0) {
                return null;
            }
            RioSlot slot = slots[index][--n];
            slots[index][n] = null;
            counts[index] = n;
            return slot;
        }

        boolean offer(RioSlot slot) {
            int index = slot.sizeClass;
            int n = counts[index];
            if (n == slots[index].length) {
                return false;
            }
            slots[index][n] = slot;
            counts[index] = n + 1;
            return true;
        }

        /** Gives every cached slot back to the shared pools; returns how many. */
        int flush() {
            int flushed = 0;
            for (int i = 0; i < SIZE_CLASSES; i++) {
                if (counts[i] > 0) {
                    pools[i].giveAll(slots[i], counts[i]);
                    java.util.Arrays.fill(slots[i], 0, counts[i], null);
                    flushed += counts[i];
                    counts[i] = 0;
                }
            }
            return flushed;
        }
    }
}
