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
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelOutboundBuffer;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotPool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;

/**
 * The datagram channel's send gatherer: walks the flushed messages past those already taken and prepares one
 * {@link RioSend} for each, within the free send capacity: its data in a registered slot (the content's own, or a
 * staging slot that holds the whole datagram), its destination in an address slot. One per channel, reused by
 * every flush. Event loop only.
 */
final class RioDatagramGatherer implements ChannelOutboundBuffer.MessageProcessor {
    private final RioDatagramChannel channel;
    private int skip;
    private int seen;
    /** The sends to issue: {@code batch[0..count)}. */
    RioSend[] batch = new RioSend[0];
    int count;
    /** No staging slot was to be had under the ceiling of registered memory. */
    boolean starved;

    RioDatagramGatherer(RioDatagramChannel channel) {
        this.channel = channel;
    }

    /** Prepares the flushed messages of {@code in} past the first {@code taken}, within {@code capacity} sends. */
    void gather(ChannelOutboundBuffer in, int taken, int capacity) throws Exception {
        if (batch.length < capacity) {
            batch = new RioSend[capacity];
        }
        skip = taken;
        seen = 0;
        count = 0;
        starved = false;
        in.forEachFlushedMessage(this);
    }

    @Override
    public boolean processMessage(Object msg) {
        if (seen++ < skip) {
            return true;
        }
        if (count >= batch.length || channel.sendsInFlight() + count >= channel.maxSends) {
            return false;
        }
        RioSend record = prepare(msg);
        if (record == null) {
            starved = true;
            return false;
        }
        channel.taken(record);
        if (record.failure == null) {
            batch[count++] = record;
        }
        return true;
    }

    /**
     * Turns one flushed message into a send record: its data staged (or not), its destination in an address slot.
     * Returns null if the datagram needs a staging slot and the ceiling of registered memory allows none now.
     */
    private RioSend prepare(Object msg) {
        ByteBuf content;
        InetSocketAddress recipient;
        if (msg instanceof AddressedEnvelope<?, ?> envelope) {
            content = (ByteBuf) envelope.content();
            recipient = (InetSocketAddress) envelope.recipient();
        } else {
            content = (ByteBuf) msg;
            recipient = null;
        }
        RioSend record = channel.newSend(null, 0, 0, null);
        InetSocketAddress peer = channel.remote;
        if (recipient != null && channel.connected && recipient.equals(peer)) {
            // The connected peer: RIOSend without an address, as a connected socket's send.
            recipient = null;
        }
        if (recipient == null && !channel.connected) {
            record.failure = new NotYetConnectedException();
            return record;
        }
        int index = channel.sendAddresses.acquire();
        if (index < 0) {
            // Cannot happen: records are only prepared within the free send capacity.
            record.failure = new IllegalStateException("no free address slot");
            return record;
        }
        record.index = index;
        try {
            if (recipient != null) {
                record.address = channel.sendAddresses.write(index, recipient, channel);
            }
            int length = content.readableBytes();
            record.length = length;
            if (length > 0) {
                RioSlotPool pool = channel.handler.pool();
                RioSlot registered = pool.slotOf(content);
                // Claimed now (atomically), not when issued: the same registered buffer written twice in one flush,
                // or to two channels at once, must not go out in two requests at once (the second is copied).
                if (registered != null && registered.tryRequestStarted()) {
                    // Registered memory of the loop's allocator (a received datagram, or a buffer of the
                    // RioByteBufAllocator): sent as is. The content itself is retained (it may be a leak-detection
                    // wrapper, which must see the last release).
                    record.slot = registered;
                    record.retained = content.retain();
                    record.offset = RioSlotPool.offsetIn(registered, content);
                    channel.handler.metric().sentZeroCopy(length);
                } else if (length > pool.largestTransportSlot()) {
                    // A datagram goes out whole, from one slot; this one is larger than any slot the ceiling of
                    // registered memory allows: it fails rather than wait for ever.
                    record.failure = new IOException("a datagram of " + length + " bytes cannot be staged under "
                            + "a ceiling of " + pool.allocator().maxRegisteredBytes() + " registered bytes");
                    channel.releaseResources(record);
                    return record;
                } else {
                    // A datagram goes out whole: its staging slot holds all of it.
                    RioSlot staging = pool.tryAcquireStaging(length, length);
                    if (staging == null) {
                        channel.releaseResources(record);
                        return null;
                    }
                    record.slot = staging;
                    content.getBytes(content.readerIndex(), staging.memory().asSlice(0, length).asByteBuffer());
                    channel.handler.metric().copied(length);
                    staging.requestStarted();
                }
            }
        } catch (Throwable t) {
            record.failure = t;
            channel.releaseResources(record);
        }
        return record;
    }
}
