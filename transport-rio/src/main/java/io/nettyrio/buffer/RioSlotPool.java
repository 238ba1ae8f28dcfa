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

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop's view of a {@link RioByteBufAllocator}: the slots its channels receive into and stage sends in.
 * Slots come from the allocator's size classes (every slot its own registration, DESIGN.md section 6), so the
 * receives of RIO channels draw from the same registered memory as the buffers users allocate, and the pool
 * counts what it has out.
 *
 * <p>{@link #acquire} belongs to the pool's event loop; {@link RioSlot#release()} may run on any thread. A slot
 * referenced by a request in flight cannot be released (it throws), so registered memory never goes back to the
 * allocator, or to another request, while the kernel may still touch it. A pool over an allocator of its own
 * ({@link #RioSlotPool(RegisteredIo)}) deregisters and frees that memory at {@link #close()}, once every slot is
 * back; a pool over a shared allocator leaves the allocator alone.
 */
public final class RioSlotPool implements AutoCloseable {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioSlotPool.class);

    /** The smallest receive slot size a channel may be configured with: one page. */
    public static final int MIN_SLOT_SIZE = 4096;
    /** The largest slot. */
    public static final int MAX_SLOT_SIZE = RioByteBufAllocator.MAX_SLOT_SIZE;

    private final RioByteBufAllocator allocator;
    private final boolean ownsAllocator;
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Creates a pool over an allocator of its own that registers its slots through {@code rio}.
     */
    public RioSlotPool(RegisteredIo rio) {
        this(RioByteBufAllocator.builder(rio).build(), true);
    }

    /**
     * Creates a pool over {@code allocator}, shared with whoever else uses it (the pool never frees its memory).
     */
    public RioSlotPool(RioByteBufAllocator allocator) {
        this(allocator, false);
    }

    private RioSlotPool(RioByteBufAllocator allocator, boolean ownsAllocator) {
        this.allocator = allocator;
        this.ownsAllocator = ownsAllocator;
    }

    /** Returns the allocator the slots come from. */
    public RioByteBufAllocator allocator() {
        return allocator;
    }

    /** Returns the size of the slot that holds {@code size} bytes (its allocator's size class). */
    public static int slotSizeFor(int size) {
        int index = RioByteBufAllocator.sizeClassOf(Math.max(1, size));
        if (index < 0) {
            throw new IllegalArgumentException("slot size " + size + " above " + MAX_SLOT_SIZE);
        }
        return RioByteBufAllocator.slotSize(index);
    }

    /**
     * Takes a free slot of at least {@code size} bytes (rounded up to its class), carving and registering a new
     * slab if the class has none. It ignores the allocator's ceiling (see {@link #tryAcquire}).
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot acquire(int size) throws RioException {
        checkOpen(size);
        try {
            return taken(allocator.acquireForGrowth(size));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RioException rio) {
                throw rio;
            }
            throw e;
        }
    }

    /**
     * Takes a free slot of at least {@code size} bytes, or returns null if the allocator's ceiling of registered
     * memory is reached: the caller tries again later (a receive is posted later, a send waits for a slot).
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot tryAcquire(int size) throws RioException {
        checkOpen(size);
        try {
            RioSlot slot = allocator.tryAcquire(size);
            return slot == null ? null : taken(slot);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RioException rio) {
                throw rio;
            }
            throw e;
        }
    }

    /**
     * Takes a slot for a receive or a staging copy: of {@code size} bytes if the ceiling of registered memory
     * allows, else of a smaller class down to {@value #MIN_SLOT_SIZE} bytes (the caller uses
     * {@link RioSlot#capacity()}), else null: the caller tries again later. Receives get at most three quarters
     * of the ceiling, so sends always find memory.
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot tryAcquireUpTo(int size, boolean receive) throws RioException {
        checkOpen(size);
        try {
            for (int want = size; ; want = Math.max(MIN_SLOT_SIZE, want / 2)) {
                RioSlot slot = receive ? allocator.tryAcquireForReceive(want) : allocator.tryAcquire(want);
                if (slot != null) {
                    return taken(slot);
                }
                if (want <= MIN_SLOT_SIZE) {
                    return null;
                }
            }
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RioException rio) {
                throw rio;
            }
            throw e;
        }
    }

    private void checkOpen(int size) {
        if (closed) {
            throw new IllegalStateException("RioSlotPool closed");
        }
        if (size > MAX_SLOT_SIZE) {
            throw new IllegalArgumentException("slot size " + size + " above " + MAX_SLOT_SIZE);
        }
    }

    private RioSlot taken(RioSlot slot) {
        slot.pool(this);
        inUse.incrementAndGet();
        return slot;
    }

    /**
     * Returns the slot under all of {@code buf}'s readable bytes if they lie in one slot of this pool's allocator
     * (a received buffer, a buffer the allocator made, a slice of either, behind any wrapper), else null.
     */
    public RioSlot slotOf(ByteBuf buf) {
        return allocator.slotOf(buf);
    }

    void release(RioSlot slot) {
        if (slot.isInRequest()) {
            throw new IllegalStateException("slot " + slot + " released while a request references it");
        }
        slot.pool(null);
        allocator.release(slot);
        if (inUse.decrementAndGet() == 0 && closed) {
            freeMemory();
        }
    }

    /** Returns how many slots are out of the pool. */
    public int slotsInUse() {
        return inUse.get();
    }

    /** Returns how many bytes the pool's allocator has registered. */
    public long registeredBytes() {
        return allocator.metric().registeredBytes();
    }

    /**
     * Closes the pool: no more slots are handed out, and if the allocator is the pool's own, once every slot is
     * back (now, or at the last {@link RioSlot#release()}) every registration is deregistered and the memory freed.
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
        if (ownsAllocator) {
            allocator.free();
        }
    }
}
