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

import java.util.Arrays;

/**
 * The shared free slots of one size class: an array stack under its own lock, in front of {@link Slabs}. A thread
 * whose cache missed takes one slot and refills half its cache in the same lock; a full cache spills half of it
 * in one lock, as Netty's {@code PoolThreadCache} trims in batches.
 */
final class SharedPool {
    private final Slabs slabs;
    private final int index;
    private RioSlot[] free = new RioSlot[64];
    private int size;

    SharedPool(Slabs slabs, int index) {
        this.slabs = slabs;
        this.index = index;
    }

    /**
     * Takes one slot, carving a slab if none is free, and refills {@code cache} with up to half its capacity in the
     * same lock; returns null if the ceiling leaves no room for a slab.
     */
    synchronized RioSlot take(ThreadCache cache, boolean ceiling) {
        if (size == 0) {
            RioSlot[] carved = slabs.carve(index, ceiling);
            if (carved == null) {
                return null;
            }
            for (RioSlot s : carved) {
                push(s);
            }
        }
        RioSlot slot = pop();
        int refill = Math.min(size, cache.capacity(index) / 2);
        for (int i = 0; i < refill; i++) {
            cache.offer(pop());
        }
        return slot;
    }

    /** Takes a free slot without carving, or returns null. */
    synchronized RioSlot takeFree() {
        return size == 0 ? null : pop();
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

    /** Gives the first {@code count} of {@code slots} back. */
    synchronized void giveAll(RioSlot[] slots, int count) {
        for (int i = 0; i < count; i++) {
            push(slots[i]);
        }
    }

    private RioSlot pop() {
        RioSlot slot = free[--size];
        free[size] = null;
        return slot;
    }

    private void push(RioSlot slot) {
        if (size == free.length) {
            free = Arrays.copyOf(free, size * 2);
        }
        free[size++] = slot;
    }

    @Override
    public String toString() {
        return "SharedPool(" + RioByteBufAllocator.slotSize(index) + "B)";
    }
}
