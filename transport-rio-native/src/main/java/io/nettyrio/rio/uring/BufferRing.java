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
package io.nettyrio.rio.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.nettyrio.rio.uring.IoUringAbi.BUF_RING_tail;
import static io.nettyrio.rio.uring.IoUringAbi.BUF_SIZE;
import static io.nettyrio.rio.uring.IoUringAbi.BUF_addr;
import static io.nettyrio.rio.uring.IoUringAbi.BUF_bid;
import static io.nettyrio.rio.uring.IoUringAbi.BUF_len;

/**
 * The provided-buffer ring of one TCP socket's receive side (IORING_REGISTER_PBUF_RING, io_uring_register_buf_ring(3);
 * {@code struct io_uring_buf_ring} in {@code io_uring.h}): the RIO receives posted on the socket, in the order they
 * were posted, for one multishot IORING_OP_RECV to fill. The kernel takes the entries in ring order, one whole
 * entry per completion, so RIO's order of receive results is the ring's. Each entry names its request slot as the
 * buffer id, which the completion carries back.
 *
 * <p>Entries are written here and published together by a release store of the ring's tail
 * ({@link #publish}), as {@code io_uring_buf_ring_advance} does. Everything is guarded by the ring's lock. Every
 * socket has a ring of its own, so that the kernel can put a connection's bytes only into the buffers posted on
 * that connection.
 */
final class BufferRing {
    /** The most entries of a provided-buffer ring the kernel takes (a power of two up to 2^15). */
    static final int MAX_ENTRIES = 1 << 15;
    /** The largest buffer id (a {@code __u16}): a request slot above it cannot name its entry. */
    static final int MAX_BID = 0xffff;
    private static final long PAGE = 4096;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final Ring ring;
    private final MemorySegment entries;
    private final int capacity;
    private final int group;
    private int tail;
    private int publishedTail;

    private BufferRing(Ring ring, MemorySegment entries, int capacity, int group) {
        this.ring = ring;
        this.entries = entries;
        this.capacity = capacity;
        this.group = group;
    }

    /**
     * Registers a ring of at least {@code wanted} entries (at most {@link #MAX_ENTRIES}) on {@code ring}, its
     * memory from {@code arena}, which must outlive the registration. Lock held.
     *
     * @return the ring, or null if the kernel refused it
     */
    static BufferRing register(Ring ring, Arena arena, int wanted) {
        int capacity = Math.min(MAX_ENTRIES, Integer.highestOneBit(Math.max(1, wanted - 1)) << 1);
        // The kernel maps the ring's pages: they must start on a page (io_uring_register_buf_ring(3)).
        MemorySegment entries = arena.allocate(capacity * BUF_SIZE, PAGE);
        int group = ring.registerBufferRing(entries.address(), capacity);
        return group < 0 ? null : new BufferRing(ring, entries, capacity, group);
    }

    /** The buffer group id that a receive selecting from this ring names. */
    int group() {
        return group;
    }

    /** How many entries the ring holds. */
    int capacity() {
        return capacity;
    }

    /**
     * Adds the buffer {@code [address, address + length)} as buffer id {@code bid}; the kernel sees it after
     * {@link #publish}. The caller keeps at most {@link #capacity()} entries unconsumed. Lock held.
     */
    void add(long address, int length, int bid) {
        long e = (tail & (capacity - 1)) * BUF_SIZE;
        // Not the entry's last two bytes: those of the first entry are the ring's tail.
        entries.set(ValueLayout.JAVA_LONG, e + BUF_addr, address);
        entries.set(ValueLayout.JAVA_INT, e + BUF_len, length);
        entries.set(ValueLayout.JAVA_SHORT, e + BUF_bid, (short) bid);
        tail++;
    }

    /** Makes the entries added so far visible to the kernel. Lock held. */
    void publish() {
        if (tail != publishedTail) {
            publishedTail = tail;
            SHORT.setRelease(entries, BUF_RING_tail, (short) tail);
        }
    }

    /**
     * Unregisters the ring; its memory may be freed with its arena after this. Only once no receive that selects
     * from it is in the kernel. Lock held.
     */
    void unregister() {
        ring.unregisterBufferRing(group);
    }
}
