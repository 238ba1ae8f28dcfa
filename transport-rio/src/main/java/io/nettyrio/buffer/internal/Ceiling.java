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

import io.nettyrio.buffer.RioByteBufAllocator;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ceiling of registered memory of one allocator, and whoever waits under it. Slots in use are counted per
 * kind ({@link #KIND_USER}, {@link #KIND_RECEIVE}, {@link #KIND_STAGING}): receives and staged sends each keep a
 * quarter of the ceiling that nothing else may use, so that neither user buffers nor the other kind can starve
 * them, and user buffers hold at most half of it. Without a ceiling (the default) none of the accounting runs.
 *
 * <p>A channel refused a slot waits through its {@link RioSlotPool}: the pool queues here ({@link #await}) and is
 * woken by the next release from any thread ({@link #memoryFreed()}). A refusal also asks every event loop to give
 * back the slots its thread cache holds, which no other thread can reach.
 */
final class Ceiling {
    /** A slot's use under the ceiling: a user's direct buffer (or a buffer that grew). */
    static final int KIND_USER = 0;
    /** A slot's use under the ceiling: a receive, posted or handed up the pipeline. */
    static final int KIND_RECEIVE = 1;
    /** A slot's use under the ceiling: a staged copy of a send (or other transport memory). */
    static final int KIND_STAGING = 2;
    private static final int KINDS = 3;

    private final long maxRegisteredBytes;
    /** Whether there is a ceiling at all. */
    private final boolean limited;
    private final boolean cachesEnabled;
    /** See {@link RioSlotPool#receiveBytesPerChannel()}. */
    private final int receiveBytesPerChannel;
    /** The bytes of the ceiling that only slots of each kind may use while that kind uses less. */
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
    private final LongAdder refusals = new LongAdder();

    Ceiling(long maxRegisteredBytes, boolean cachesEnabled) {
        this.maxRegisteredBytes = maxRegisteredBytes;
        this.limited = maxRegisteredBytes != Long.MAX_VALUE;
        this.cachesEnabled = cachesEnabled;
        this.reserved[KIND_RECEIVE] = maxRegisteredBytes / 4;
        this.reserved[KIND_STAGING] = maxRegisteredBytes / 4;
        this.receiveBytesPerChannel = limited ? (int) Math.min(RioByteBufAllocator.LARGEST_SLOT_SIZE,
                Math.max(RioByteBufAllocator.SMALLEST_SLOT_SIZE, Long.highestOneBit(maxRegisteredBytes / 32)))
                : Integer.MAX_VALUE;
    }

    long maxRegisteredBytes() {
        return maxRegisteredBytes;
    }

    boolean limited() {
        return limited;
    }

    /**
     * Counts {@code bytes} of kind {@code kind} as in use if the ceiling's shares allow it: every kind may use
     * what is left of the ceiling once the unused reserves of the other kinds are set aside. With {@code ceiling}
     * false the bytes are counted whatever the shares say.
     */
    boolean admit(int kind, long bytes, boolean ceiling) {
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

    /** Gives back bytes {@link #admit} counted, without waking anyone (the slot was never handed out). */
    void unadmit(int kind, long bytes) {
        if (limited) {
            synchronized (budget) {
                usedByKind[kind] -= bytes;
                usedTotal -= bytes;
            }
        }
    }

    /** A slot of {@code bytes} of kind {@code kind} came back: count it and wake whoever waits. Any thread. */
    void released(int kind, long bytes) {
        if (limited) {
            unadmit(kind, bytes);
            memoryFreed();
        }
    }

    /**
     * The ceiling refused a slot: free slots may sit in the event loops' caches, out of the other threads' reach,
     * so every loop is asked to give its cached slots back (which wakes whoever waits).
     */
    void refused() {
        refusals.increment();
        requestCacheFlushes();
    }

    /** Asks every event loop to give its cached slots back (each at most once until it has). Any thread. */
    void requestCacheFlushes() {
        if (limited && cachesEnabled) {
            for (RioSlotPool pool : loops) {
                pool.requestCacheFlush();
            }
        }
    }

    long refusals() {
        return refusals.sum();
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
            return RioByteBufAllocator.LARGEST_SLOT_SIZE;
        }
        long share = maxRegisteredBytes - maxRegisteredBytes / 4;
        return (int) Math.min(RioByteBufAllocator.LARGEST_SLOT_SIZE,
                Long.highestOneBit(Math.max(RioByteBufAllocator.SMALLEST_SLOT_SIZE, share)));
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

    /** Slots came back: wake every pool that waits. Any thread. */
    void memoryFreed() {
        releases.incrementAndGet();
        RioSlotPool pool;
        while ((pool = waiting.poll()) != null) {
            pool.woken();
        }
    }
}
