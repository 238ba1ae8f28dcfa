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
import io.nettyrio.buffer.RioByteBufAllocator;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop's view of a {@link RioByteBufAllocator}: the slots its channels receive into and stage sends in.
 * Slots come from the allocator's size classes (every slot its own registration, see {@code docs/allocator.md}),
 * so the receives of RIO channels draw from the same registered memory as the buffers users allocate, and the pool
 * counts what it has out.
 *
 * <p>Under the allocator's ceiling of registered memory, {@link #tryAcquireReceive} and {@link #tryAcquireStaging}
 * return null when no slot may be had; the channel then {@linkplain #awaitMemory waits}: its task runs on the
 * event loop as soon as any thread gives a slot back (backpressure, never an error).
 *
 * <p>The acquiring methods and {@link #awaitMemory} belong to the pool's event loop; {@link RioSlot#release()} may
 * run on any thread. A slot referenced by a request in flight cannot be released (it throws), so registered
 * memory never goes back to the allocator, or to another request, while the kernel may still touch it. A pool
 * over an allocator of its own (made when the event loop is given none) deregisters and frees that memory at
 * {@link #close()}, once every slot is back; a pool over a shared allocator leaves the allocator alone.
 *
 * <p>Internal to the transport, not API: it may change without notice.
 */
public final class RioSlotPool implements AutoCloseable {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioSlotPool.class);

    /**
     * The smallest receive slot size a channel may be configured with: one page. Not the smallest slot there is
     * ({@link RioByteBufAllocator#SMALLEST_SLOT_SIZE}): a receive may get a smaller one under the ceiling.
     */
    public static final int MIN_RECEIVE_SLOT_SIZE = 4096;

    private final RioByteBufAllocator allocator;
    private final RioSlotAllocator slots;
    private final boolean ownsAllocator;
    /** The pool's event loop: where waiting tasks and cache flushes run; null for a pool without one. */
    private final Executor executor;
    private final AtomicInteger inUse = new AtomicInteger();
    private volatile boolean closed;

    // Waiting for memory under the ceiling.
    /** Tasks of channels waiting for a slot. Event loop only. */
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    /** The allocator's release count before the last refused attempt. Event loop only. */
    private long stamp;
    /** Whether the pool is in the allocator's queue of waiting pools. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean wakeupScheduled = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable runWaiters = this::runWaiters;
    private final Runnable flushCache = this::flushCache;

    /**
     * Creates a pool without an event loop over {@code allocator}, shared with whoever else uses it (the pool never
     * frees its memory).
     */
    RioSlotPool(RioByteBufAllocator allocator) {
        this(allocator, false, null);
    }

    /**
     * Creates the pool of the event loop {@code executor} over {@code allocator} (shared: the pool never frees its
     * memory), or over an allocator of its own if {@code allocator} is null and {@code rio} is given. Channels of
     * the loop may {@linkplain #awaitMemory wait} for slots, and the loop empties its slot cache when the ceiling
     * refuses a slot anywhere.
     */
    public RioSlotPool(RioByteBufAllocator allocator, RegisteredIo rio, Executor executor) {
        this(allocator != null ? allocator : RioByteBufAllocator.builder(rio).build(), allocator == null,
                executor);
    }

    private RioSlotPool(RioByteBufAllocator allocator, boolean ownsAllocator, Executor executor) {
        this.allocator = allocator;
        this.slots = RioSlotAllocator.of(allocator);
        this.ownsAllocator = ownsAllocator;
        this.executor = executor;
        if (executor != null) {
            slots.ceiling().addLoop(this);
        }
    }

    /** Returns the allocator the slots come from. */
    public RioByteBufAllocator allocator() {
        return allocator;
    }

    /**
     * Takes a free slot of at least {@code size} bytes (rounded up to its class), carving and registering a new
     * slab if the class has none. It ignores the allocator's ceiling: only for small, bounded needs (address
     * slots), and for callers that have no way to wait.
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot acquire(int size) throws RioException {
        checkOpen(size);
        try {
            return taken(slots.acquireIgnoringCeiling(Ceiling.KIND_STAGING, size));
        } catch (IllegalStateException e) {
            throw unwrap(e);
        }
    }

    /**
     * Takes a slot to receive into: of {@code size} bytes if the ceiling of registered memory allows, else of any
     * class of at least {@code minSize} bytes (the caller uses {@link RioSlot#capacity()}), else null: the caller
     * waits ({@link #awaitMemory}). Receives may use a quarter of the ceiling that nothing else may, and whatever
     * is left of the rest.
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot tryAcquireReceive(int size, int minSize) throws RioException {
        return tryAcquire(Ceiling.KIND_RECEIVE, size, minSize);
    }

    /**
     * Takes a slot to stage (copy) a send in, as {@link #tryAcquireReceive}: staging has a quarter of the ceiling
     * of its own, so sends always find memory however many receives are posted.
     *
     * @throws RioException          if registering a new slab fails
     * @throws IllegalStateException if the pool is closed
     */
    public RioSlot tryAcquireStaging(int size, int minSize) throws RioException {
        return tryAcquire(Ceiling.KIND_STAGING, size, minSize);
    }

    private RioSlot tryAcquire(int kind, int size, int minSize) throws RioException {
        checkOpen(size);
        stamp = slots.ceiling().releaseStamp();
        try {
            RioSlot slot = slots.tryAcquire(kind, size, minSize);
            return slot == null ? null : taken(slot);
        } catch (IllegalStateException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(IllegalStateException e) throws RioException {
        if (e.getCause() instanceof RioException rio) {
            throw rio;
        }
        return e;
    }

    /**
     * Runs {@code task} on the event loop once a slot comes back to the allocator (from any thread), or at once
     * if one came back since this loop's last refused {@code tryAcquire}: call it right after a refusal, so that
     * no release in between is missed. The task runs once; it calls this again if it is refused again. Event
     * loop only.
     *
     * @throws IllegalStateException if the pool has no event loop
     */
    public void awaitMemory(Runnable task) {
        if (executor == null) {
            throw new IllegalStateException("a RioSlotPool without an event loop cannot wait");
        }
        waiters.add(task);
        if (queued.compareAndSet(false, true)) {
            slots.ceiling().await(this);
        }
        if (slots.ceiling().releaseStamp() != stamp) {
            memoryFreed();
        }
    }

    /**
     * Returns how many bytes one channel may keep in posted receives: no limit without a ceiling; under one, a
     * thirty-second of it (a power of two, at least {@value RioByteBufAllocator#SMALLEST_SLOT_SIZE} bytes). A posted
     * receive cannot be taken back (RIO has no cancel short of closing the socket), so without this cap a few idle
     * connections whose receives grew large during a burst would hold all the memory receives may use, and an
     * active connection could never post one; with it, at least eight connections with their receives posted
     * leave room for more. A channel may always post one receive.
     */
    public int receiveBytesPerChannel() {
        return slots.ceiling().receiveBytesPerChannel();
    }

    /**
     * Returns the largest slot a receive or a staged send can ever get: {@link RioByteBufAllocator#LARGEST_SLOT_SIZE}
     * without a ceiling;
     * under one, the largest size class within the three quarters of it that the other kind of transport memory
     * leaves. A datagram channel receives into no more than that, and fails a datagram it cannot stage whole
     * rather than wait for ever.
     */
    public int largestTransportSlot() {
        return slots.ceiling().largestTransportSlot();
    }

    /**
     * Returns whether some channel of the allocator waits for memory: channels that have requests in flight then
     * take no more slots than they need to keep going, so that the waiting ones get the next free slot.
     */
    public boolean memoryWanted() {
        return slots.ceiling().hasWaiters();
    }

    /** The allocator took the pool off its queue of waiting pools: a slot came back. Any thread. */
    void woken() {
        queued.set(false);
        memoryFreed();
    }

    /** A slot came back: run the waiting tasks on the event loop. Any thread. */
    void memoryFreed() {
        if (wakeupScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(runWaiters);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down: its channels are being closed, nothing waits any more.
                wakeupScheduled.set(false);
            }
        }
    }

    private void runWaiters() {
        wakeupScheduled.set(false);
        // Only those waiting now: a task refused again waits for the next release.
        for (int n = waiters.size(); n > 0; n--) {
            Runnable task = waiters.poll();
            try {
                task.run();
            } catch (Throwable t) {
                logger.warn("unexpected exception from a task waiting for registered memory", t);
            }
        }
    }

    /** The ceiling refused a slot somewhere: give this loop's cached slots back. Any thread. */
    void requestCacheFlush() {
        if (executor != null && !closed && flushScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(flushCache);
            } catch (RejectedExecutionException e) {
                flushScheduled.set(false);
            }
        }
    }

    private void flushCache() {
        flushScheduled.set(false);
        slots.flushThreadCache();
    }

    private void checkOpen(int size) {
        if (closed) {
            throw new IllegalStateException("RioSlotPool closed");
        }
        if (size > RioByteBufAllocator.LARGEST_SLOT_SIZE) {
            throw new IllegalArgumentException("slot size " + size + " above " + RioByteBufAllocator.LARGEST_SLOT_SIZE);
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
        return slots.slotOf(buf);
    }

    /**
     * Returns the offset of {@code buf}'s reader index in {@code slot}, the slot {@link #slotOf} returned for it.
     * For the allocator's own buffers and received buffers (and their leak-detection wrappers) it reads an index,
     * without allocating.
     */
    public static int offsetIn(RioSlot slot, ByteBuf buf) {
        return RioSlotAllocator.offsetIn(slot, buf);
    }

    /**
     * Returns the slot under all of {@code part}'s remaining bytes if they lie in one slot of this pool's allocator,
     * else null: for the parts of a buffer of several ({@link ByteBuf#nioBuffers(int, int)}, a composite), each of
     * which may lie in a slot of its own.
     */
    public RioSlot slotOf(ByteBuffer part) {
        if (!part.isDirect() || !part.hasRemaining()) {
            return null;
        }
        return slots.slotAt(MemorySegment.ofBuffer(part).address(), part.remaining());
    }

    /** Returns the offset of {@code part}'s position in {@code slot}, the slot {@link #slotOf(ByteBuffer)} returned. */
    public static int offsetIn(RioSlot slot, ByteBuffer part) {
        return (int) (MemorySegment.ofBuffer(part).address() - slot.memory().address());
    }

    void release(RioSlot slot) {
        if (slot.isInRequest()) {
            throw new IllegalStateException("slot " + slot + " released while a request references it");
        }
        slot.pool(null);
        slots.release(slot);
        if (inUse.decrementAndGet() == 0 && closed) {
            freeMemory();
        }
    }

    /** Returns how many slots are out of the pool. */
    public int slotsInUse() {
        return inUse.get();
    }

    /**
     * Closes the pool: no more slots are handed out, and if the allocator is the pool's own, once every slot is
     * back (now, or at the last {@link RioSlot#release()}) every registration is deregistered and the memory freed.
     */
    @Override
    public void close() {
        closed = true;
        waiters.clear();
        if (executor != null) {
            slots.ceiling().removeLoop(this);
        }
        if (inUse.get() == 0) {
            freeMemory();
        } else {
            logger.debug("RioSlotPool closed with {} slots still in use; freeing when they come back", inUse.get());
        }
    }

    private void freeMemory() {
        if (ownsAllocator) {
            slots.free();
        }
    }
}
