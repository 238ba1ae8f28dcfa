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

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.nettyrio.buffer.internal.RioSlotAllocator;

/**
 * What a {@link RioByteBufAllocator} holds and has done. Every figure is read live; under concurrent use the
 * figures are each accurate but not a consistent snapshot of one instant.
 */
public final class RioByteBufAllocatorMetric implements ByteBufAllocatorMetric {
    private final RioSlotAllocator allocator;
    private final long maxRegisteredBytes;

    RioByteBufAllocatorMetric(RioSlotAllocator allocator, long maxRegisteredBytes) {
        this.allocator = allocator;
        this.maxRegisteredBytes = maxRegisteredBytes;
    }

    /** Returns the bytes registered with RIO: every carved slab, in use or free, and dedicated registrations. */
    public long registeredBytes() {
        return allocator.registeredBytes();
    }

    /** Returns the most bytes that were ever registered at once: never above {@link #maxRegisteredBytes()}. */
    public long peakRegisteredBytes() {
        return allocator.peakRegisteredBytes();
    }

    /** Returns the ceiling of registered bytes. */
    public long maxRegisteredBytes() {
        return maxRegisteredBytes;
    }

    /** Returns how many slots of size class {@code index} (see {@link RioByteBufAllocator#slotSize}) are in use. */
    public long slotsInUse(int index) {
        return allocator.slotsInUse(index);
    }

    /** Returns the slots in use per size class, smallest class first. */
    public long[] slotsInUse() {
        long[] counts = new long[RioByteBufAllocator.SIZE_CLASSES];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = allocator.slotsInUse(i);
        }
        return counts;
    }

    /** Returns how many slots (of every class, and dedicated registrations) have been handed out. */
    public long allocations() {
        return allocator.allocations();
    }

    /** Returns how many of {@link #allocations()} came from a thread's cache, without touching the shared pool. */
    public long cacheHits() {
        return allocator.cacheHits();
    }

    /** Returns how many direct buffers were ordinary (unregistered) ones because the ceiling was reached. */
    public long fallbacks() {
        return allocator.fallbacks();
    }

    /**
     * Returns how many times a slot was refused because the ceiling of registered memory was reached (a direct
     * buffer that fell back, a receive posted later, a send that waited).
     */
    public long ceilingRefusals() {
        return allocator.ceilingRefusals();
    }

    /** Returns how many buffers larger than the largest class got a registration of their own. */
    public long dedicatedAllocations() {
        return allocator.dedicatedAllocations();
    }

    /** Returns the bytes of registered slots in use (whole slots, not the buffers' capacities). */
    @Override
    public long usedDirectMemory() {
        return allocator.usedDirectMemory();
    }

    /** Returns the heap memory used by {@link ByteBufAllocator#DEFAULT}, which serves heap buffers, or -1. */
    @Override
    public long usedHeapMemory() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedHeapMemory() : -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("registeredBytes=").append(registeredBytes())
                .append(", peakRegisteredBytes=").append(peakRegisteredBytes())
                .append(", usedDirectMemory=").append(usedDirectMemory())
                .append(", allocations=").append(allocations())
                .append(", cacheHits=").append(cacheHits())
                .append(", fallbacks=").append(fallbacks())
                .append(", ceilingRefusals=").append(ceilingRefusals())
                .append(", dedicated=").append(dedicatedAllocations())
                .append(", slotsInUse={");
        boolean first = true;
        for (int i = 0; i < RioByteBufAllocator.SIZE_CLASSES; i++) {
            long n = slotsInUse(i);
            if (n != 0) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(RioByteBufAllocator.slotSize(i)).append('=').append(n);
            }
        }
        return sb.append('}').toString();
    }
}
