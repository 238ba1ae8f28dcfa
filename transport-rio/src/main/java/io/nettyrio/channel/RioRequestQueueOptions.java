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

import io.netty.channel.ChannelOption;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlotPool;

import static io.netty.util.internal.ObjectUtil.checkInRange;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_RECEIVES;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_SENDS;
import static io.nettyrio.channel.RioChannelOption.RIO_RECEIVE_SLOT_SIZE;

/**
 * The request-queue options every RIO data channel has ({@link RioChannelOption}): how many receives and sends it
 * keeps outstanding and how large a receive slot is. One place for their defaults, ranges and option plumbing, used
 * by the socket and datagram channel configs. Read when the channel creates its request queue.
 */
final class RioRequestQueueOptions {
    /** The largest outstanding receive or send count a channel may ask for. */
    static final int MAX_OUTSTANDING = 1024;

    private volatile int outstandingReceives;
    private volatile int outstandingSends;
    private volatile int receiveSlotSize = 65536;

    RioRequestQueueOptions(int outstandingReceives, int outstandingSends) {
        this.outstandingReceives = outstandingReceives;
        this.outstandingSends = outstandingSends;
    }

    /** Returns the value of {@code option} if it is one of these, else {@code null}. */
    @SuppressWarnings("unchecked")
    <T> T get(ChannelOption<T> option) {
        if (option == RIO_OUTSTANDING_RECEIVES) {
            return (T) Integer.valueOf(outstandingReceives);
        }
        if (option == RIO_OUTSTANDING_SENDS) {
            return (T) Integer.valueOf(outstandingSends);
        }
        if (option == RIO_RECEIVE_SLOT_SIZE) {
            return (T) Integer.valueOf(receiveSlotSize);
        }
        return null;
    }

    /**
     * Sets {@code option} if it is one of these and returns true, else returns false.
     *
     * @throws IllegalArgumentException if the value is out of range
     */
    boolean set(ChannelOption<?> option, Object value) {
        if (option == RIO_OUTSTANDING_RECEIVES) {
            outstandingReceives = checkInRange((Integer) value, 1, MAX_OUTSTANDING, "RIO_OUTSTANDING_RECEIVES");
        } else if (option == RIO_OUTSTANDING_SENDS) {
            outstandingSends = checkInRange((Integer) value, 1, MAX_OUTSTANDING, "RIO_OUTSTANDING_SENDS");
        } else if (option == RIO_RECEIVE_SLOT_SIZE) {
            receiveSlotSize = checkInRange((Integer) value, RioSlotPool.MIN_RECEIVE_SLOT_SIZE,
                    RioByteBufAllocator.LARGEST_SLOT_SIZE, "RIO_RECEIVE_SLOT_SIZE");
        } else {
            return false;
        }
        return true;
    }

    int outstandingReceives() {
        return outstandingReceives;
    }

    int outstandingSends() {
        return outstandingSends;
    }

    int receiveSlotSize() {
        return receiveSlotSize;
    }
}
