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

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import io.netty.util.internal.StringUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.RioException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;

/**
 * The stream channel's view of its outbound buffer: it walks the flushed messages once per flush, skipping the
 * bytes already in flight, and turns what follows into {@link RioSend}s within the free send capacity; and as sends
 * complete (whole and in order, "RIOSend function (mswsock.h)") it removes their bytes from the buffer's head. A
 * buffer that already lives in one of the event loop's registered slots is sent as it is (unless it is small and
 * among several, {@link #COALESCE_MAX}), and so is each part of a composite buffer (or a slice of one) that lives in
 * one, with a send of its own; everything else (heap, other direct
 * buffers, {@link FileRegion}s) is copied into registered staging slots, small writes coalesced into one slot of up
 * to {@link #MAX_STAGING_SIZE} bytes. A slot is in at most one request at a time: RIO forbids any use of a
 * registered buffer's whole registration while a send from it is pending ("RIOSend function (mswsock.h)"), so of
 * two buffers (or components) in one slot, the second is copied while the first is in flight. Event loop only.
 */
final class RioSendGatherer implements ChannelOutboundBuffer.MessageProcessor {
    /** The largest staging slot a flush fills before it starts another. */
    static final int MAX_STAGING_SIZE = 65536;
    /**
     * The largest registered buffer a flush of several messages copies into its staging slot rather than sends as
     * it is. RIO sends one buffer per request ("RIOSend function (mswsock.h)"): sent alone, each small buffer costs
     * a request, a completion to dequeue and dispatch, and its share of the provider's work, which for a response
     * of a few hundred bytes (pipelined HTTP) is far more than copying it next to its neighbours. Netty's epoll and
     * io_uring transports gather such writes into one {@code writev}.
     */
    static final int COALESCE_MAX = 2048;

    private final AbstractRioDataChannel channel;
    RioSend[] records = new RioSend[16];
    int count;
    private int capacity;
    private long skip;
    private boolean first;
    /** No slot was to be had under the ceiling of registered memory. */
    boolean starved;
    private long estimate;
    /** Flushed messages after the one being gathered. */
    private int flushedAfter;
    private RioSlot staging;
    private int stagingUsed;
    /** Bytes handed to RIOSend whose completions have not come back: where the next send starts. */
    private long inFlightBytes;
    /** Bytes of the FileRegion at the head of the outbound buffer whose sends have completed. */
    private long headRegionDone;
    /** How much of each FileRegion in the outbound buffer has been staged, and whether all of it has. */
    private final IdentityHashMap<FileRegion, RegionState> regionStates = new IdentityHashMap<>();

    RioSendGatherer(AbstractRioDataChannel channel) {
        this.channel = channel;
    }

    /** A send of {@code length} bytes was issued. */
    void issued(int length) {
        inFlightBytes += length;
    }

    /** A send of {@code length} bytes completed. */
    void completed(int length) {
        inFlightBytes -= length;
    }

    /** The channel closed: forget the regions (the outbound buffer releases them). */
    void clearRegions() {
        regionStates.clear();
    }

    /**
     * Removes {@code bytes} completed bytes from the head of the outbound buffer, completing the promises of the
     * messages that are done, and removes empty messages that reach the head.
     */
    void advance(ChannelOutboundBuffer in, long bytes) {
        long n = bytes;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            if (msg instanceof ByteBuf buf) {
                int readable = buf.readableBytes();
                if (readable == 0) {
                    in.remove();
                    continue;
                }
                if (n == 0) {
                    break;
                }
                if (readable <= n) {
                    in.progress(readable);
                    n -= readable;
                    in.remove();
                } else {
                    buf.skipBytes((int) n);
                    in.progress(n);
                    break;
                }
            } else if (msg instanceof FileRegion region) {
                RegionState state = regionStates.get(region);
                long length = state != null && state.complete ? state.staged : region.count();
                long remaining = length - headRegionDone;
                if (remaining <= 0) {
                    headRegionDone = 0;
                    regionStates.remove(region);
                    in.remove();
                    continue;
                }
                if (n == 0) {
                    break;
                }
                if (remaining <= n) {
                    in.progress(remaining);
                    n -= remaining;
                    headRegionDone = 0;
                    regionStates.remove(region);
                    in.remove();
                } else {
                    headRegionDone += n;
                    in.progress(n);
                    break;
                }
            } else {
                in.remove(new UnsupportedOperationException("unsupported message type: "
                        + StringUtil.simpleClassName(msg)));
            }
        }
    }

    /**
     * Gathers the flushed messages of {@code in} past those in flight into at most {@code capacity} sends:
     * {@link #records}{@code [0..}{@link #count}{@code )}. On an exception nothing is left gathered.
     */
    void gather(ChannelOutboundBuffer in, int capacity) throws Exception {
        start(in, capacity);
        try {
            in.forEachFlushedMessage(this);
            closeStaging();
        } catch (Throwable t) {
            discardAll();
            throw t;
        }
    }

    private void start(ChannelOutboundBuffer in, int capacity) {
        starved = false;
        this.capacity = capacity;
        if (records.length < capacity) {
            records = new RioSend[capacity];
        }
        count = 0;
        skip = inFlightBytes;
        first = true;
        estimate = Math.max(0, in.totalPendingWriteBytes() - inFlightBytes);
        flushedAfter = in.size();
        staging = null;
        stagingUsed = 0;
    }

    @Override
    public boolean processMessage(Object msg) throws Exception {
        boolean head = first;
        first = false;
        flushedAfter--;
        if (count >= capacity) {
            return false;
        }
        if (msg instanceof ByteBuf buf) {
            return gatherBuffer(buf);
        }
        if (msg instanceof FileRegion region) {
            return gatherRegion(region, head ? headRegionDone : 0);
        }
        // filterOutboundMessage lets nothing else in.
        throw new IllegalStateException("unexpected message " + StringUtil.simpleClassName(msg));
    }

    private boolean gatherBuffer(ByteBuf buf) throws RioException {
        long remaining = buf.readableBytes();
        if (skip >= remaining) {
            skip -= remaining;
            return true;
        }
        int offset = (int) skip;
        skip = 0;
        remaining -= offset;
        // Any buffer whose readable bytes lie in one registered slot (received, or from RioByteBufAllocator)
        // is sent as it is, the slot its own registration, so the send holds it whole; except a small one next to
        // other unsent messages (more follow it in the flush, or the ones before it are being copied), which is
        // cheaper copied into the staging slot with its neighbours (COALESCE_MAX).
        boolean coalesce = remaining <= COALESCE_MAX && (staging != null || flushedAfter > 0);
        RioSlot registered = offset == 0 && !coalesce ? channel.handler.pool().slotOf(buf) : null;
        if (registered != null) {
            closeStaging();
            if (count >= capacity) {
                return false;
            }
            // Atomic: a buffer written to two channels at once is sent from by one and copied by the other.
            if (registered.tryRequestStarted()) {
                add(channel.newSend(registered, RioSlotPool.offsetIn(registered, buf), (int) remaining,
                        buf.retain()));
                estimate -= remaining;
                channel.handler.metric().sentZeroCopy(remaining);
                return true;
            }
        } else if (buf.isDirect() && buf.nioBufferCount() > 1) {
            // A composite of direct buffers, or a slice of one (Netty's HTTP/2 flow controller coalesces DATA so).
            return gatherParts(buf, buf.readerIndex() + offset, (int) remaining);
        }
        return copy(buf, buf.readerIndex() + offset, remaining);
    }

    /**
     * Gathers {@code remaining} bytes of {@code buf} from {@code index}, a buffer of several parts (a composite): a
     * part that lies in a registered slot goes out as a send of its own, which retains {@code buf}; the others are
     * copied. Returns false when the sends ran out first.
     */
    private boolean gatherParts(ByteBuf buf, int index, int remaining) throws RioException {
        RioSlotPool pool = channel.handler.pool();
        for (ByteBuffer part : buf.nioBuffers(index, remaining)) {
            int n = part.remaining();
            RioSlot slot = pool.slotOf(part);
            if (slot != null) {
                closeStaging();
                if (count >= capacity) {
                    return false;
                }
                // Atomic: a buffer written to two channels at once is sent from by one and copied by the other.
                if (slot.tryRequestStarted()) {
                    add(channel.newSend(slot, RioSlotPool.offsetIn(slot, part), n, buf.retain()));
                    estimate -= n;
                    channel.handler.metric().sentZeroCopy(n);
                    index += n;
                    continue;
                }
            }
            if (!copy(buf, index, n)) {
                return false;
            }
            index += n;
        }
        return true;
    }

    /** Copies {@code remaining} bytes of {@code buf} from {@code index} into staging slots. */
    private boolean copy(ByteBuf buf, int index, long remaining) throws RioException {
        while (remaining > 0) {
            if (!openStaging(remaining)) {
                return false;
            }
            int n = (int) Math.min(remaining, staging.capacity() - stagingUsed);
            buf.getBytes(index, staging.memory().asSlice(stagingUsed, n).asByteBuffer());
            channel.handler.metric().copied(n);
            index += n;
            remaining -= n;
            stagingUsed += n;
            estimate -= n;
            if (stagingUsed == staging.capacity()) {
                closeStaging();
            }
        }
        return true;
    }

    private boolean gatherRegion(FileRegion region, long done) throws IOException {
        RegionState state = regionStates.get(region);
        if (state == null) {
            state = new RegionState();
            regionStates.put(region, state);
        }
        if (region.transferred() >= region.count()) {
            state.complete = true;
        }
        // Bytes staged from this region and not yet completed are exactly what is left to skip here:
        // everything after the region's staged part is unstaged.
        long inFlight = state.staged - done;
        if (skip >= inFlight && state.complete) {
            skip -= inFlight;
            return true;
        }
        skip = 0;
        while (!state.complete) {
            if (!openStaging(region.count() - region.transferred())) {
                return false;
            }
            int room = staging.capacity() - stagingUsed;
            SlotWriter writer = new SlotWriter(staging.memory().asSlice(stagingUsed, room).asByteBuffer());
            // Netty's convention: transfer from transferred(); a region is done when transferred() reaches
            // count(), and what it wrote into the slot is what goes out (as NIO counts it).
            long written = region.transferTo(writer, region.transferred());
            if (written < 0 || written > room) {
                throw new IOException("FileRegion " + region + " reported " + written + " bytes for " + room
                        + " of room");
            }
            state.staged += written;
            channel.handler.metric().copied(written);
            stagingUsed += (int) written;
            estimate -= written;
            if (region.transferred() >= region.count()) {
                state.complete = true;
            } else if (written == 0 && stagingUsed < staging.capacity()) {
                throw new IOException("FileRegion " + region + " gave no bytes at " + region.transferred()
                        + " of " + region.count());
            }
            if (stagingUsed == staging.capacity()) {
                closeStaging();
            }
        }
        return true;
    }

    private boolean openStaging(long remaining) throws RioException {
        if (staging != null) {
            return true;
        }
        if (count >= capacity) {
            return false;
        }
        RioSlotPool pool = channel.handler.pool();
        if ((count > 0 || channel.sendsInFlight() > 0) && pool.memoryWanted()) {
            // Channels wait for registered memory: this one has sends going, whose completions flush again,
            // so it leaves the next free slot to them.
            starved = true;
            return false;
        }
        long want = Math.min(MAX_STAGING_SIZE, Math.max(remaining, estimate));
        // Near the ceiling the slot may be smaller than asked for, down to the smallest class.
        staging = pool.tryAcquireStaging((int) want, RioByteBufAllocator.SMALLEST_SLOT_SIZE);
        if (staging == null) {
            // The ceiling of registered memory: what is gathered goes out, the rest waits for slots.
            starved = true;
            return false;
        }
        stagingUsed = 0;
        return true;
    }

    private void closeStaging() {
        RioSlot slot = staging;
        if (slot == null) {
            return;
        }
        staging = null;
        if (stagingUsed == 0) {
            slot.release();
            return;
        }
        slot.requestStarted();
        add(channel.newSend(slot, 0, stagingUsed, null));
        stagingUsed = 0;
    }

    private void add(RioSend record) {
        records[count++] = record;
    }

    private void discardAll() {
        if (staging != null) {
            staging.release();
            staging = null;
        }
        for (int i = 0; i < count; i++) {
            records[i].releaseData();
        }
        clear();
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            records[i] = null;
        }
        count = 0;
    }

    /** What has been staged of one FileRegion. */
    private static final class RegionState {
        long staged;
        boolean complete;
    }

    /** The target a FileRegion transfers into: a window of a staging slot. */
    private static final class SlotWriter implements java.nio.channels.WritableByteChannel {
        private final java.nio.ByteBuffer target;

        SlotWriter(java.nio.ByteBuffer target) {
            this.target = target;
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            int n = Math.min(src.remaining(), target.remaining());
            if (n == src.remaining()) {
                target.put(src);
            } else {
                java.nio.ByteBuffer part = src.duplicate();
                part.limit(part.position() + n);
                target.put(part);
                src.position(src.position() + n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
