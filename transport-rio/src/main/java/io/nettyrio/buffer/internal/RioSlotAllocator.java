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
import io.netty.buffer.WrappedByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.rules.RioRules;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The machinery behind a {@link RioByteBufAllocator}: its size classes' {@link SharedPool}s over {@link Slabs},
 * the {@link ThreadCache}s in front of them, the {@link Ceiling} of registered memory, and the counters its metric
 * reads. The facade delegates to it as Netty's {@code PooledByteBufAllocator} delegates to its arenas; the
 * channel layer reaches it through a {@link RioSlotPool}. Internal to the transport, not API: it may change.
 */
public final class RioSlotAllocator {
    /** How the internal package finds the machinery of a facade: set once, by the facade's class initializer. */
    private static volatile Function<RioByteBufAllocator, RioSlotAllocator> facadeAccess;

    private final RioByteBufAllocator facade;
    private final RegisteredIo rio;
    private final Ceiling ceiling;
    private final Slabs slabs;
    private final boolean useCacheForAllThreads;
    private final int[] cacheSizes = new int[RioByteBufAllocator.SIZE_CLASSES];
    private final SharedPool[] pools = new SharedPool[RioByteBufAllocator.SIZE_CLASSES];
    private final LongAdder allocations = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder dedicated = new LongAdder();
    private final LongAdder[] inUse = new LongAdder[RioByteBufAllocator.SIZE_CLASSES];
    private final LongAdder dedicatedBytesInUse = new LongAdder();
    private final ThreadCache noCache = new ThreadCache(new int[RioByteBufAllocator.SIZE_CLASSES]);
    private final FastThreadLocal<ThreadCache> caches = new FastThreadLocal<>() {
        @Override
        protected ThreadCache initialValue() {
            Thread t = Thread.currentThread();
            return useCacheForAllThreads || t instanceof FastThreadLocalThread ? new ThreadCache(cacheSizes) : noCache;
        }

        @Override
        protected void onRemoval(ThreadCache cache) {
            cache.flush(pools);
        }
    };

    /**
     * Creates the machinery of {@code facade}: memory registered through {@code rio}, at most
     * {@code maxRegisteredBytes} of it ({@link Long#MAX_VALUE}: no ceiling), about {@code cacheBytesPerClass} per
     * thread and size class in thread caches (0: none), for event-loop threads only unless
     * {@code useCacheForAllThreads}. Called by the facade's constructor only.
     */
    public RioSlotAllocator(RioByteBufAllocator facade, RegisteredIo rio, long maxRegisteredBytes,
                            int cacheBytesPerClass, boolean useCacheForAllThreads) {
        this.facade = facade;
        this.rio = rio;
        this.ceiling = new Ceiling(maxRegisteredBytes, cacheBytesPerClass > 0);
        // Under a small ceiling a sixteenth of it per slab, so that one size class cannot carve all the registered
        // memory there may be for its first few slots.
        int slabBytes = (int) Math.min(Slabs.SLAB_BYTES, Long.highestOneBit(Math.max(1, maxRegisteredBytes / 16)));
        this.slabs = new Slabs(this, rio, maxRegisteredBytes, slabBytes);
        this.useCacheForAllThreads = useCacheForAllThreads;
        for (int i = 0; i < RioByteBufAllocator.SIZE_CLASSES; i++) {
            int slotSize = RioByteBufAllocator.slotSize(i);
            pools[i] = new SharedPool(slabs, i);
            inUse[i] = new LongAdder();
            // Bounded caches: about 64 KiB per class for the small ones, a few slots for the large ones.
            cacheSizes[i] = cacheBytesPerClass <= 0 ? 0 : Math.max(2, Math.min(64, cacheBytesPerClass / slotSize));
        }
    }

    /**
     * Lets this package find the machinery of any facade. Called once, by {@link RioByteBufAllocator}'s class
     * initializer, the way the JDK hands package-private access across packages of one module.
     *
     * @throws IllegalStateException if called a second time
     */
    public static void bindFacade(Function<RioByteBufAllocator, RioSlotAllocator> access) {
        if (facadeAccess != null) {
            throw new IllegalStateException("already bound");
        }
        facadeAccess = access;
    }

    /** Returns the machinery of {@code allocator}. */
    static RioSlotAllocator of(RioByteBufAllocator allocator) {
        // The facade's class is initialized (so bound) before any instance exists.
        return facadeAccess.apply(allocator);
    }

    /** Returns the facade this machinery belongs to. */
    RioByteBufAllocator facade() {
        return facade;
    }

    Ceiling ceiling() {
        return ceiling;
    }

    /**
     * Returns a direct buffer of {@code initialCapacity} over a registered slot, not yet under leak detection, or
     * null if the ceiling of registered memory does not allow one (the facade then falls back to ordinary memory).
     * Any thread.
     *
     * @throws IllegalStateException if registering memory fails
     */
    public ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        RioSlot slot = acquire(Ceiling.KIND_USER, initialCapacity, initialCapacity, true);
        if (slot == null) {
            fallbacks.increment();
            return null;
        }
        RioPooledByteBuf buf = slot.spareBuffer;
        if (buf == null) {
            return new RioPooledByteBuf(this, slot, initialCapacity, maxCapacity);
        }
        slot.spareBuffer = null;
        buf.reuse(initialCapacity, maxCapacity);
        return buf;
    }

    /**
     * Takes a slot for the transport ({@link Ceiling#KIND_RECEIVE} or {@link Ceiling#KIND_STAGING}): of
     * {@code size} bytes if it can, else, under the ceiling, any free or carvable slot of at least {@code minSize}
     * bytes (the caller uses {@link RioSlot#capacity()}), else null. Any thread.
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
        return acquire(Ceiling.KIND_USER, size, size, true);
    }

    private RioSlot acquire(int kind, int size, int minSize, boolean withinCeiling) {
        int index = RioByteBufAllocator.sizeClassOf(Math.max(1, size));
        if (index < 0) {
            return acquireDedicated(kind, size, withinCeiling);
        }
        ThreadCache cache = caches.get();
        RioSlot slot = null;
        // 1. The class asked for: the thread's cache, the shared pool, or a new slab.
        if (ceiling.admit(kind, RioByteBufAllocator.slotSize(index), withinCeiling)) {
            slot = cache.poll(index);
            if (slot != null) {
                cacheHits.increment();
            } else {
                slot = takeAdmitted(kind, index, cache, true, withinCeiling);
            }
        }
        if (slot == null && ceiling.limited()) {
            // At the ceiling. Other event loops' caches may hold free slots of this class, out of this thread's
            // reach: ask for them back, as a refusal does, so that the next request finds them in the shared pool.
            ceiling.requestCacheFlushes();
            // 2. For the transport, which fills whatever it gets, a smaller slot, free or carved. Before a larger
            //    one: a posted receive may wait for its data as long as its connection stays idle, and it must not
            //    hold more than its channel's share (RioSlotPool#receiveBytesPerChannel) while other channels wait
            //    for memory that only its completion would give back.
            int lowest = RioByteBufAllocator.sizeClassOf(Math.max(1, Math.min(minSize, size)));
            for (int smaller = index - 1; slot == null && smaller >= lowest; smaller--) {
                if (ceiling.admit(kind, RioByteBufAllocator.slotSize(smaller), withinCeiling)) {
                    slot = cache.poll(smaller);
                    if (slot == null) {
                        slot = takeAdmitted(kind, smaller, noCache, true, withinCeiling);
                    }
                }
            }
            // 3. A free slot of a larger class: registered memory carved for one class must not starve another.
            for (int larger = index + 1; slot == null && larger < RioByteBufAllocator.SIZE_CLASSES; larger++) {
                if (ceiling.admit(kind, RioByteBufAllocator.slotSize(larger), withinCeiling)) {
                    slot = cache.poll(larger);
                    if (slot == null) {
                        slot = takeAdmitted(kind, larger, noCache, false, withinCeiling);
                    }
                }
            }
        }
        if (slot == null) {
            ceiling.refused();
            return null;
        }
        inUse[slot.sizeClass].increment();
        return handOut(slot, kind);
    }

    /** Takes a slot of class {@code index} whose bytes are admitted already, or gives the admission back. */
    private RioSlot takeAdmitted(int kind, int index, ThreadCache cache, boolean carve, boolean withinCeiling) {
        RioSlot slot;
        try {
            slot = carve ? pools[index].take(cache, withinCeiling) : pools[index].takeFree();
        } catch (RuntimeException e) {
            ceiling.unadmit(kind, RioByteBufAllocator.slotSize(index));
            throw e;
        }
        if (slot == null) {
            ceiling.unadmit(kind, RioByteBufAllocator.slotSize(index));
        }
        return slot;
    }

    private RioSlot acquireDedicated(int kind, int size, boolean withinCeiling) {
        if (!ceiling.admit(kind, size, withinCeiling)) {
            ceiling.refused();
            return null;
        }
        RioSlot slot;
        try {
            slot = slabs.newDedicated(size, withinCeiling);
        } catch (RuntimeException e) {
            ceiling.unadmit(kind, size);
            throw e;
        }
        if (slot == null) {
            ceiling.unadmit(kind, size);
            ceiling.refused();
            return null;
        }
        dedicated.increment();
        dedicatedBytesInUse.add(size);
        return handOut(slot, kind);
    }

    private RioSlot handOut(RioSlot slot, int kind) {
        slot.kind = kind;
        // RioRules (a no-op unless RioRules wraps the provider): nothing in flight may reference the slot.
        RioRules.checkNotInFlight(rio, slot.bufferId());
        slot.markAcquired();
        allocations.increment();
        return slot;
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
            dedicatedBytesInUse.add(-slot.capacity());
            slabs.freeDedicated(slot);
        } else {
            inUse[index].decrement();
            // While someone waits for memory, a slot goes where every thread can take it, not to a cache.
            ThreadCache cache = ceiling.hasWaiters() ? noCache : caches.get();
            if (!cache.offer(slot)) {
                pools[index].give(slot, cache);
            }
        }
        ceiling.released(slot.kind, slot.capacity());
    }

    /** Gives the calling thread's cached slots back to the shared pools. Called by a pool on its event loop. */
    void flushThreadCache() {
        if (caches.isSet() && caches.get().flush(pools) > 0 && ceiling.limited()) {
            ceiling.memoryFreed();
        }
    }

    /**
     * Returns the slot that holds all of {@code buf}'s readable bytes if they lie in one slot of this allocator,
     * whatever the buffer's type (a buffer of this allocator, a received buffer, a slice or duplicate of one, a
     * leak-aware wrapper), else null.
     */
    RioSlot slotOf(ByteBuf buf) {
        int length = buf.readableBytes();
        if (!buf.isDirect() || length == 0) {
            return null;
        }
        RioSlot slot = rootSlot(buf);
        if (slot != null) {
            return slot.allocator == this && buf.readerIndex() <= slot.capacity() - length ? slot : null;
        }
        if (buf.nioBufferCount() != 1) {
            return null;
        }
        // Anything else (a slice or a duplicate: Netty's derived buffers do not say where they start in their
        // parent without a ByteBuffer) is looked up by the address of its readable bytes.
        return slabs.slotAt(addressOf(buf, length), length);
    }

    /** Returns the slot under {@code [address, address + length)} if that range lies in one slot, else null. */
    RioSlot slotAt(long address, int length) {
        return slabs.slotAt(address, length);
    }

    /** Returns the offset of {@code buf}'s reader index in {@code slot} (the slot {@link #slotOf} returned). */
    static int offsetIn(RioSlot slot, ByteBuf buf) {
        if (rootSlot(buf) == slot) {
            return buf.readerIndex();
        }
        return (int) (addressOf(buf, buf.readableBytes()) - slot.memory().address());
    }

    private static long addressOf(ByteBuf buf, int length) {
        return MemorySegment.ofBuffer(buf.internalNioBuffer(buf.readerIndex(), length)).address();
    }

    /**
     * Returns the slot under {@code buf} if it is one of this package's buffers, or a wrapper that shares its
     * indices (Netty's leak-detection wrappers are {@link WrappedByteBuf}s), with its memory at the slot's start;
     * else null. A field read, no search: the path every buffer the allocator made, and every received buffer,
     * takes.
     */
    static RioSlot rootSlot(ByteBuf buf) {
        ByteBuf b = buf;
        while (b instanceof WrappedByteBuf) {
            b = b.unwrap();
        }
        if (b instanceof RioPooledByteBuf pooled) {
            return pooled.slot();
        }
        if (b instanceof RioSlotByteBuf received && received.isInSlot()) {
            return received.slot();
        }
        return null;
    }

    /** Deregisters every slot and frees the memory: only for an allocator a pool owns, once every slot is back. */
    void free() {
        slabs.free();
    }

    /** Returns the bytes registered with RIO. */
    public long registeredBytes() {
        return slabs.registeredBytes();
    }

    /** Returns the most bytes that were ever registered at once. */
    public long peakRegisteredBytes() {
        return slabs.peakRegisteredBytes();
    }

    /** Returns how many slots of size class {@code index} are in use. */
    public long slotsInUse(int index) {
        return inUse[index].sum();
    }

    /** Returns the bytes of registered slots in use (whole slots). */
    public long usedDirectMemory() {
        long used = dedicatedBytesInUse.sum();
        for (int i = 0; i < RioByteBufAllocator.SIZE_CLASSES; i++) {
            used += inUse[i].sum() * RioByteBufAllocator.slotSize(i);
        }
        return used;
    }

    /** Returns how many slots have been handed out. */
    public long allocations() {
        return allocations.sum();
    }

    /** Returns how many slots came from a thread's cache. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** Returns how many direct buffers fell back to ordinary memory at the ceiling. */
    public long fallbacks() {
        return fallbacks.sum();
    }

    /** Returns how many times the ceiling refused a slot. */
    public long ceilingRefusals() {
        return ceiling.refusals();
    }

    /** Returns how many buffers got a registration of their own. */
    public long dedicatedAllocations() {
        return dedicated.sum();
    }
}
