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
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registered memory of one allocator: slabs carved for the size classes, every slot of a slab registered on
 * its own ({@code RIORegisterBuffer} once per slot, when the slab is carved, never per request), and dedicated
 * registrations for buffers larger than the largest class. It counts the registered bytes against the ceiling
 * and finds the slot under an address ({@link #slotAt}) for buffers that are not one of the allocator's own.
 */
final class Slabs {
    /** Bytes carved at once for the smaller classes (a class of larger slots carves one slot at a time). */
    static final int SLAB_BYTES = 64 * 1024;

    private final RioSlotAllocator owner;
    private final RegisteredIo rio;
    private final long maxRegisteredBytes;
    /** Bytes carved at once: {@link #SLAB_BYTES}, or less under a small ceiling. */
    private final int slabBytes;
    private final Arena arena = Arena.ofShared();
    private final AtomicLong registeredBytes = new AtomicLong();
    private final AtomicLong peakRegisteredBytes = new AtomicLong();
    /**
     * Every slab and dedicated registration, sorted by base address, replaced whole under {@link #lock} (carving
     * is rare, lookups are not): a binary search over it boxes nothing.
     */
    private volatile Slab[] byAddress = new Slab[0];
    private final Object lock = new Object();
    private boolean freed;

    Slabs(RioSlotAllocator owner, RegisteredIo rio, long maxRegisteredBytes, int slabBytes) {
        this.owner = owner;
        this.rio = rio;
        this.maxRegisteredBytes = maxRegisteredBytes;
        this.slabBytes = slabBytes;
    }

    long registeredBytes() {
        return registeredBytes.get();
    }

    long peakRegisteredBytes() {
        return peakRegisteredBytes.get();
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

    /**
     * Carves a slab of class {@code index}, registering every slot on its own, or returns null if the ceiling
     * leaves no room for one slot. Under the class's lock.
     *
     * @throws IllegalStateException if {@code RIORegisterBuffer} fails (its {@link RioException} is the cause)
     */
    RioSlot[] carve(int index, boolean ceiling) {
        int slotSize = RioByteBufAllocator.slotSize(index);
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
                slots[i] = new RioSlot(owner, memory, bufferId,
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
        add(new Slab(slab.address(), slotSize, slots));
        return slots;
    }

    /**
     * Registers a buffer of {@code size} bytes of its own, or returns null if the ceiling does not allow it.
     *
     * @throws IllegalStateException if {@code RIORegisterBuffer} fails (its {@link RioException} is the cause)
     */
    RioSlot newDedicated(int size, boolean ceiling) {
        if (!reserve(size, ceiling)) {
            return null;
        }
        Arena own = Arena.ofShared();
        try {
            MemorySegment memory = own.allocate(size, 4096);
            MemorySegment descriptor = own.allocate(RioLayouts.RIO_BUF);
            long bufferId = rio.registerBuffer(memory, size);
            RioSlot slot = new RioSlot(owner, memory, bufferId, descriptor, -1, own);
            add(new Slab(memory.address(), size, new RioSlot[] {slot}));
            return slot;
        } catch (RioException | RuntimeException e) {
            own.close();
            registeredBytes.addAndGet(-size);
            throw new IllegalStateException("RIORegisterBuffer failed for a buffer of " + size + " bytes", e);
        }
    }

    /** Deregisters and frees a dedicated registration that came back. */
    void freeDedicated(RioSlot slot) {
        remove(slot.memory().address());
        rio.deregisterBuffer(slot.bufferId());
        registeredBytes.addAndGet(-slot.capacity());
        slot.dedicatedArena.close();
    }

    /**
     * Returns the slot whose memory holds all of {@code [address, address + length)}, or null if no slot of this
     * allocator does.
     */
    RioSlot slotAt(long address, int length) {
        Slab[] slabs = byAddress;
        int lo = 0;
        int hi = slabs.length - 1;
        Slab slab = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (slabs[mid].base <= address) {
                slab = slabs[mid];
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (slab == null) {
            return null;
        }
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

    private void add(Slab slab) {
        synchronized (lock) {
            Slab[] old = byAddress;
            int at = 0;
            while (at < old.length && old[at].base < slab.base) {
                at++;
            }
            Slab[] next = new Slab[old.length + 1];
            System.arraycopy(old, 0, next, 0, at);
            next[at] = slab;
            System.arraycopy(old, at, next, at + 1, old.length - at);
            byAddress = next;
        }
    }

    private void remove(long base) {
        synchronized (lock) {
            Slab[] old = byAddress;
            for (int i = 0; i < old.length; i++) {
                if (old[i].base == base) {
                    Slab[] next = new Slab[old.length - 1];
                    System.arraycopy(old, 0, next, 0, i);
                    System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                    byAddress = next;
                    return;
                }
            }
        }
    }

    /** Deregisters every slot and frees the memory: only once every slot is back. */
    void free() {
        synchronized (lock) {
            if (freed) {
                return;
            }
            freed = true;
            for (Slab slab : byAddress) {
                for (RioSlot slot : slab.slots) {
                    rio.deregisterBuffer(slot.bufferId());
                }
            }
            byAddress = new Slab[0];
        }
        arena.close();
    }

    /** A carved slab (or a dedicated registration): its slots by address. */
    private record Slab(long base, int slotSize, RioSlot[] slots) {
    }

    @Override
    public String toString() {
        return "Slabs(" + byAddress.length + ", " + registeredBytes.get() + "B)";
    }
}
