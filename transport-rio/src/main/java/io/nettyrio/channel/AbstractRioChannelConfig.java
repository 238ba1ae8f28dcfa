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

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;

import java.util.Map;

import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * What the configs of all RIO channels share: the socket options every socket has ({@code SO_RCVBUF},
 * {@code SO_REUSEADDR}), the socket option calls, {@link ChannelOption} dispatch through the config class's
 * {@link RioConfigOptions} table, and {@link DefaultChannelConfig}'s setters with the config's own
 * return type. Netty's epoll transport layers its configs the same way ({@code EpollChannelConfig} under
 * {@code EpollSocketChannelConfig}); here the type parameter {@code C} (the public config itself) lets one
 * declaration of each setter return the public type, so that {@code config().setAutoRead(false).setX(..)} chains in
 * user code as on Netty's configs.
 *
 * @param <C> the public config type
 */
abstract class AbstractRioChannelConfig<C extends AbstractRioChannelConfig<C>> extends DefaultChannelConfig {
    /** The options every RIO channel has; each config class extends this table with its own. */
    static final RioConfigOptions<AbstractRioChannelConfig<?>> CHANNEL_OPTIONS = RioConfigOptions
            .<AbstractRioChannelConfig<?>>empty()
            .with(SO_RCVBUF, AbstractRioChannelConfig::getReceiveBufferSize,
                    AbstractRioChannelConfig::setReceiveBufferSize)
            .with(SO_REUSEADDR, AbstractRioChannelConfig::isReuseAddress, AbstractRioChannelConfig::setReuseAddress);

    final AbstractRioChannel channel;
    private final RioConfigOptions<C> options;

    AbstractRioChannelConfig(AbstractRioChannel channel, RioConfigOptions<C> options) {
        super(channel);
        this.channel = channel;
        this.options = options;
    }

    AbstractRioChannelConfig(AbstractRioChannel channel, RecvByteBufAllocator allocator, RioConfigOptions<C> options) {
        super(channel, allocator);
        this.channel = channel;
        this.options = options;
    }

    @SuppressWarnings("unchecked")
    final C self() {
        return (C) this;
    }

    @Override
    public final Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), options.options());
    }

    @Override
    public final <T> T getOption(ChannelOption<T> option) {
        return options.has(option) ? options.get(self(), option) : super.getOption(option);
    }

    @Override
    public final <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        return options.set(self(), option, value) || super.setOption(option, value);
    }

    /** Reads a socket option ({@code getsockopt}); a {@link RioException} becomes Netty's {@link ChannelException}. */
    final int getSocketOption(RioSocketOption option) {
        try {
            return channel.sockets.getOption(channel.socket, option);
        } catch (RioException e) {
            throw new ChannelException(e);
        }
    }

    /**
     * Sets a socket option ({@code setsockopt}) and returns this config, for a typed setter to return; a
     * {@link RioException} becomes Netty's {@link ChannelException}. The caller has checked the value's range.
     */
    final C setSocketOption(RioSocketOption option, int value) {
        try {
            channel.sockets.setOption(channel.socket, option, value);
        } catch (RioException e) {
            throw new ChannelException(e);
        }
        return self();
    }

    /** Reads an on/off socket option: any value but 0 is on, as {@code getsockopt} reports it. */
    final boolean isSocketOptionOn(RioSocketOption option) {
        return getSocketOption(option) != 0;
    }

    /** Turns an on/off socket option on (1) or off (0) and returns this config. */
    final C setSocketOption(RioSocketOption option, boolean on) {
        return setSocketOption(option, on ? 1 : 0);
    }

    /** Returns {@code SO_RCVBUF}, the socket's receive buffer size in bytes. */
    public int getReceiveBufferSize() {
        return getSocketOption(RioSocketOption.SO_RCVBUF);
    }

    /** Sets {@code SO_RCVBUF}, the socket's receive buffer size in bytes (0 or more). */
    public C setReceiveBufferSize(int receiveBufferSize) {
        return setSocketOption(RioSocketOption.SO_RCVBUF,
                checkInRange(receiveBufferSize, 0, Integer.MAX_VALUE, "receiveBufferSize"));
    }

    /** Returns whether {@code SO_REUSEADDR} is on. */
    public boolean isReuseAddress() {
        return isSocketOptionOn(RioSocketOption.SO_REUSEADDR);
    }

    /** Turns {@code SO_REUSEADDR} on or off. */
    public C setReuseAddress(boolean reuseAddress) {
        return setSocketOption(RioSocketOption.SO_REUSEADDR, reuseAddress);
    }

    @Override
    public C setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return self();
    }

    @Override
    @Deprecated
    public C setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return self();
    }

    @Override
    public C setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return self();
    }

    @Override
    public C setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return self();
    }

    @Override
    public C setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return self();
    }

    @Override
    public C setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return self();
    }

    @Override
    public C setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return self();
    }

    @Override
    public C setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return self();
    }

    @Override
    public C setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return self();
    }

    @Override
    public C setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return self();
    }
}
