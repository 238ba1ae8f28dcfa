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

import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlotPool;

import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * The request-queue options every RIO data channel has ({@link RioChannelOption}): how many receives and sends it
 * keeps outstanding and how large a receive slot is. One place for their defaults and ranges, used by the socket and
 * datagram channel configs (whose {@link RioConfigOptions} table maps the options here). Read when the channel
 * creates its request queue.
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

    int outstandingReceives() {
        return outstandingReceives;
    }

    /** Sets {@link RioChannelOption#RIO_OUTSTANDING_RECEIVES} (1 to {@link #MAX_OUTSTANDING}). */
    void outstandingReceives(int value) {
        outstandingReceives = checkInRange(value, 1, MAX_OUTSTANDING, "RIO_OUTSTANDING_RECEIVES");
    }

    int outstandingSends() {
        return outstandingSends;
    }

    /** Sets {@link RioChannelOption#RIO_OUTSTANDING_SENDS} (1 to {@link #MAX_OUTSTANDING}). */
    void outstandingSends(int value) {
        outstandingSends = checkInRange(value, 1, MAX_OUTSTANDING, "RIO_OUTSTANDING_SENDS");
    }

    int receiveSlotSize() {
        return receiveSlotSize;
    }

    /** Sets {@link RioChannelOption#RIO_RECEIVE_SLOT_SIZE}: from a receive slot's minimum to the largest slot. */
    void receiveSlotSize(int value) {
        receiveSlotSize = checkInRange(value, RioSlotPool.MIN_RECEIVE_SLOT_SIZE, RioByteBufAllocator.LARGEST_SLOT_SIZE,
                "RIO_RECEIVE_SLOT_SIZE");
    }
}
