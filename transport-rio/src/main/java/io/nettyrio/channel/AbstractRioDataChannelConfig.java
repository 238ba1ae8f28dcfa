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

import io.netty.channel.RecvByteBufAllocator;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioSocketOption;

import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.util.internal.ObjectUtil.checkInRange;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_RECEIVES;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_SENDS;
import static io.nettyrio.channel.RioChannelOption.RIO_RECEIVE_SLOT_SIZE;

/**
 * What the configs of the channels that carry data ({@link RioSocketChannelConfig}, {@link RioDatagramChannelConfig})
 * add to {@link AbstractRioChannelConfig}, as {@link AbstractRioDataChannel} does for the channels: the
 * {@link RioChannelOption}s of the request queue, {@code SO_SNDBUF}, the {@code IP_TOS} option (each leaf says how
 * it maps to the socket), the default allocator in registered memory and the autoRead hook.
 *
 * @param <C> the public config type
 */
abstract class AbstractRioDataChannelConfig<C extends AbstractRioDataChannelConfig<C>>
        extends AbstractRioChannelConfig<C> {
    /** {@link AbstractRioChannelConfig#CHANNEL_OPTIONS} and the options of the channels that carry data. */
    static final RioConfigOptions<AbstractRioDataChannelConfig<?>> DATA_OPTIONS = CHANNEL_OPTIONS
            .<AbstractRioDataChannelConfig<?>>extend()
            .with(SO_SNDBUF, AbstractRioDataChannelConfig::getSendBufferSize,
                    AbstractRioDataChannelConfig::setSendBufferSize)
            .with(IP_TOS, AbstractRioDataChannelConfig::getTrafficClass, AbstractRioDataChannelConfig::setTrafficClass)
            .with(RIO_OUTSTANDING_RECEIVES, c -> c.queueOptions.outstandingReceives(),
                    (c, v) -> c.queueOptions.outstandingReceives(v))
            .with(RIO_OUTSTANDING_SENDS, c -> c.queueOptions.outstandingSends(),
                    (c, v) -> c.queueOptions.outstandingSends(v))
            .with(RIO_RECEIVE_SLOT_SIZE, c -> c.queueOptions.receiveSlotSize(),
                    (c, v) -> c.queueOptions.receiveSlotSize(v));

    private final AbstractRioDataChannel dataChannel;
    private final RioRequestQueueOptions queueOptions;

    AbstractRioDataChannelConfig(AbstractRioDataChannel channel, RecvByteBufAllocator allocator,
                                 RioRequestQueueOptions queueOptions, RioConfigOptions<C> options) {
        super(channel, allocator, options);
        this.dataChannel = channel;
        this.queueOptions = queueOptions;
        if (Rio.isAvailable()) {
            // Buffers in registered memory: what the user allocates is sent without a copy (option ALLOCATOR
            // overrides it).
            setAllocator(RioByteBufAllocator.defaultAllocator());
        }
    }

    /** The request-queue options, read when the channel creates its request queue. */
    final RioRequestQueueOptions queueOptions() {
        return queueOptions;
    }

    /** Returns {@code SO_SNDBUF}, the socket's send buffer size in bytes. */
    public int getSendBufferSize() {
        return getSocketOption(RioSocketOption.SO_SNDBUF);
    }

    /** Sets {@code SO_SNDBUF}, the socket's send buffer size in bytes (0 or more). */
    public C setSendBufferSize(int sendBufferSize) {
        return setSocketOption(RioSocketOption.SO_SNDBUF,
                checkInRange(sendBufferSize, 0, Integer.MAX_VALUE, "sendBufferSize"));
    }

    /** Returns the traffic class (type of service) of the packets the socket sends. */
    public abstract int getTrafficClass();

    /** Sets the traffic class (type of service, 0 to 255) of the packets the socket sends. */
    public abstract C setTrafficClass(int trafficClass);

    @Override
    public C setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return self();
    }

    @Override
    protected final void autoReadCleared() {
        dataChannel.autoReadCleared();
    }
}
