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
package io.nettyrio.channel;

import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The address slots of one direction of a datagram channel: one {@code SOCKADDR_INET} slot per outstanding
 * request, each with its own {@code RIO_BUF}, all in one registered slot of the event loop's pool.
 *
 * <p>RIOReceiveEx writes the sender into {@code pRemoteAddress} and RIOSendEx reads the destination from it; both
 * are registered slices that must stay untouched until the request completes ("RIOReceiveEx function (mswsock.h)",
 * "RIOSendEx function (mswsock.h)"), so each request in flight owns one slot until its completion is dequeued.
 * Receives and sends get separate blocks: the rule of "RIOSend function (mswsock.h)" that the registered buffer must
 * not be used until the send has completed is about send <em>data</em>, and no block here is ever send data, but
 * keeping the kernel's writes (receive addresses) and reads (send addresses) in different registrations costs one
 * page and leaves no doubt. Each slot has its own {@code RIO_BUF} because a descriptor may not be reused while its request is pending
 * (RIOSend remarks).
 *
 * <p>Layout of slot {@code i}: its {@code RIO_BUF} at {@code i * 48}, its {@code SOCKADDR_INET} (28 bytes) at
 * {@code i * 48 + 16}. Event loop only.
 */
final class RioDatagramAddresses {
    /** Bytes per slot: a RIO_BUF (16), a SOCKADDR_INET (28), padding to keep both 8-aligned. */
    static final int SLOT_BYTES = 48;
    private static final int ADDRESS_OFFSET = 16;

    private final RioSlot slot;
    private final MemorySegment memory;
    private final int[] free;
    private final RioDatagramAddressCache cache = new RioDatagramAddressCache();
    private int freeCount;
    private boolean closed;
    private boolean freed;

    RioDatagramAddresses(RioSlotPool pool, int slots) throws RioException {
        slot = pool.acquire(slots * SLOT_BYTES);
        memory = slot.memory();
        free = new int[slots];
        for (int i = 0; i < slots; i++) {
            // Handed out lowest first (a stack popped from the end).
            free[i] = slots - 1 - i;
        }
        freeCount = slots;
    }

    /** Returns the registered slot that holds the addresses. */
    RioSlot slot() {
        return slot;
    }

    /** Takes a free address slot, or returns -1 if every one is in a request. */
    int acquire() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Gives back address slot {@code index} once its request's completion has been dequeued (or it was refused). */
    void release(int index) {
        free[freeCount++] = index;
        maybeFree();
    }

    /** Returns how many address slots are in requests. */
    int inUse() {
        return free.length - freeCount;
    }

    /**
     * Writes {@code recipient} into slot {@code index} and returns its {@code RIO_BUF}: the bytes remembered for this
     * very object if it was written before ({@link RioDatagramAddressCache}), else its form as the socket speaks it
     * ({@code channel.toNative}).
     */
    MemorySegment write(int index, InetSocketAddress recipient, AbstractRioChannel channel) {
        long offset = (long) index * SLOT_BYTES + ADDRESS_OFFSET;
        if (!cache.writeRemembered(memory, offset, recipient)) {
            SockaddrInet.write(memory, offset, channel.toNative(recipient));
            cache.remember(memory, offset, recipient);
        }
        return rioBuf(index);
    }

    /** Returns the {@code RIO_BUF} of slot {@code index}, describing its {@code SOCKADDR_INET}. */
    MemorySegment rioBuf(int index) {
        long base = (long) index * SLOT_BYTES;
        RioLayouts.RIO_BUF_BufferId.set(memory, base, slot.bufferId());
        RioLayouts.RIO_BUF_Offset.set(memory, base, (int) base + ADDRESS_OFFSET);
        RioLayouts.RIO_BUF_Length.set(memory, base, SockaddrInet.SIZE);
        return memory.asSlice(base, RioLayouts.RIO_BUF.byteSize());
    }

    /**
     * Returns the sender a completed receive left in slot {@code index}, as the pipeline sees it (IPv4-mapped IPv6
     * as plain IPv4): the same object for the same peer while it stays in the cache ({@link RioDatagramAddressCache}).
     */
    InetSocketAddress sender(int index) {
        return cache.sender(memory, (long) index * SLOT_BYTES + ADDRESS_OFFSET);
    }

    /**
     * Gives the registered slot back to its pool as soon as no request references any address slot: now, or at
     * the last {@link #release}.
     */
    void close() {
        closed = true;
        maybeFree();
    }

    private void maybeFree() {
        if (closed && !freed && freeCount == free.length) {
            freed = true;
            slot.release();
        }
    }
}
