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
 * One thread's free slots per size class, in front of the {@link SharedPool}s, as Netty's {@code PoolThreadCache}
 * sits in front of its arenas. LIFO: the most recently used memory is the warmest. Only its thread touches it.
 */
final class ThreadCache {
    private final RioSlot[][] slots = new RioSlot[RioByteBufAllocator.SIZE_CLASSES][];
    private final int[] counts = new int[RioByteBufAllocator.SIZE_CLASSES];

    /** A cache of {@code sizes[i]} slots of class {@code i}; all zeros: a thread without a cache. */
    ThreadCache(int[] sizes) {
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new RioSlot[sizes[i]];
        }
    }

    int capacity(int index) {
        return slots[index].length;
    }

    /** Takes the most recently cached slot of class {@code index}, or returns null. */
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

    /** Caches {@code slot}, or returns false if its class is full. */
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

    /** Gives every cached slot back to {@code pools}; returns how many. */
    int flush(SharedPool[] pools) {
        int flushed = 0;
        for (int i = 0; i < slots.length; i++) {
            if (counts[i] > 0) {
                pools[i].giveAll(slots[i], counts[i]);
                Arrays.fill(slots[i], 0, counts[i], null);
                flushed += counts[i];
                counts[i] = 0;
            }
        }
        return flushed;
    }
}
