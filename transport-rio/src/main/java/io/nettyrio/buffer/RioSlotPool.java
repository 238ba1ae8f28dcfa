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

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioRules;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of registered-memory slots in power-of-two size classes. When a class runs dry the pool carves a slab
 * and registers each slot of it separately ({@code RIORegisterBuffer} once per slot, when the slab is carved,
 * never per request), so every slot is its own registration (DESIGN.md section 6).
 *
 * <p>{@link #acquire} belongs to the pool's event loop; {@link RioSlot#release()} may run on any thread. A slot
 * referenced by a request in flight cannot be released (it throws), so registered memory never goes back to the
 * pool, or to another request, while the kernel may still touch it. {@link #close()} deregisters and frees the
 * memory only once every slot is back.
 */
public final class RioSlotPool implements AutoCloseable {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioSlotPool.class);

    /** The smallest slot: one page, since every registration pins at least a page (rio-reference.md 2). */
    public static final int MIN_SLOT_SIZE = 4096;
    /** The largest slot. */
    public static final int MAX_SLOT_SIZE = 1 << 20;
    private static final int SLAB_BYTES = 256 * 1024;

    private final RegisteredIo rio;
    private final Arena arena;
    private final List<ConcurrentLinkedQueue<RioSlot>> free = new ArrayList<>();
    private final List<RioSlot> all = new ArrayList<>();
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile boolean closed;
    private boolean freed;
    private long registeredBytes;

    /**
     * Creates an empty pool that registers its slots through {@code rio}.
     */
    public RioSlotPool(RegisteredIo rio) {
        this.rio = rio;
        this.arena = Arena.ofShared();
        for (int size = MIN_SLOT_SIZE; size <= MAX_SLOT_SIZE; size <<= 1) {
            free.add(new ConcurrentLinkedQueue<>());
        }
    }

    /** Returns the size of the smallest class that holds {@code size} bytes. */
    public static int slotSizeFor(int size) {
        if (size <= MIN_SLOT_SIZE) {
            return MIN_SLOT_SIZE;
        }
        if (size > MAX_SLOT_SIZE) {
            throw new IllegalArgumentException("slot size " + size + " above " + MAX_SLOT_SIZE);
        }
        return Integer.highestOneBit(size - 1) << 1;
    }

    private static int classIndex(int slotSize) {
        return Integer.numberOfTrailingZeros(slotSize) - Integer.numberOfTrailingZeros(MIN_SLOT_SIZE);
    }

    /**
     * Takes a free slot of at least {@code size} bytes (rounded up to its class), carving and registering a new
     * slab if the class has none. Event-loop thread only.
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot acquire(int size) throws RioException {
        if (closed) {
            throw new IllegalStateException("RioSlotPool closed");
        }
        int slotSize = slotSizeFor(Math.max(1, size));
        int index = classIndex(slotSize);
        RioSlot slot = free.get(index).poll();
        if (slot == null) {
            carve(slotSize, index);
            slot = free.get(index).poll();
        }
        slot.markAcquired();
        inUse.incrementAndGet();
        return slot;
    }

    private void carve(int slotSize, int index) throws RioException {
        int count = Math.max(1, SLAB_BYTES / slotSize);
        MemorySegment slab = arena.allocate((long) slotSize * count, MIN_SLOT_SIZE);
        MemorySegment descriptors = arena.allocate(RioLayouts.RIO_BUF, count);
        ConcurrentLinkedQueue<RioSlot> queue = free.get(index);
        for (int i = 0; i < count; i++) {
            MemorySegment memory = slab.asSlice((long) i * slotSize, slotSize);
            // One registration per slot: the send rule is then per slot, not per slab.
            long bufferId = rio.registerBuffer(memory, slotSize);
            RioSlot slot = new RioSlot(this, memory,
                    bufferId, descriptors.asSlice(i * RioLayouts.RIO_BUF.byteSize(), RioLayouts.RIO_BUF), index);
            synchronized (all) {
                all.add(slot);
            }
            registeredBytes += slotSize;
            queue.add(slot);
        }
    }

    void release(RioSlot slot) {
        if (slot.isInRequest()) {
            throw new IllegalStateException("slot " + slot + " released while a request references it");
        }
        // RioRules rule 5 (a no-op unless RioRules wraps the provider): nothing in flight may reference it.
        RioRules.checkNotInFlight(rio, slot.bufferId());
        if (!slot.markFree()) {
            throw new IllegalStateException("slot " + slot + " released twice");
        }
        free.get(slot.sizeClass()).add(slot);
        if (inUse.decrementAndGet() == 0 && closed) {
            freeMemory();
        }
    }

    /** Returns how many slots are out of the pool. */
    public int slotsInUse() {
        return inUse.get();
    }

    /** Returns how many bytes the pool has registered. */
    public long registeredBytes() {
        return registeredBytes;
    }

    /**
     * Closes the pool: no more slots are handed out, and once every slot is back (now, or at the last
     * {@link RioSlot#release()}) every registration is deregistered and the memory freed.
     */
    @Override
    public void close() {
        closed = true;
        if (inUse.get() == 0) {
            freeMemory();
        } else {
            logger.debug("RioSlotPool closed with {} slots still in use; freeing when they come back", inUse.get());
        }
    }

    private void freeMemory() {
        synchronized (all) {
            if (freed) {
                return;
            }
            freed = true;
            for (RioSlot slot : all) {
                rio.deregisterBuffer(slot.bufferId());
            }
            all.clear();
        }
        arena.close();
    }
}
