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
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.internal.PlatformDependent;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioSocketOption;

import java.util.Map;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_NODELAY;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_RECEIVES;
import static io.nettyrio.channel.RioChannelOption.RIO_OUTSTANDING_SENDS;
import static io.nettyrio.channel.RioChannelOption.RIO_RECEIVE_SLOT_SIZE;

/**
 * The {@link SocketChannelConfig} of a {@link RioSocketChannel}. Socket options go straight to the socket
 * ({@code setsockopt}); the {@link RioChannelOption}s are kept and used when the request queue is created.
 */
public final class RioSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {

    private final RioSocketChannel channel;
    private volatile boolean allowHalfClosure;
    private final RioRequestQueueOptions queueOptions = new RioRequestQueueOptions(4, 16);

    RioSocketChannelConfig(RioSocketChannel channel) {
        super(channel);
        this.channel = channel;
        if (Rio.isAvailable()) {
            // Buffers in registered memory: what the user allocates is sent without a copy (option ALLOCATOR
            // overrides it).
            setAllocator(RioByteBufAllocator.defaultAllocator());
        }
        if (PlatformDependent.canEnableTcpNoDelayByDefault()) {
            try {
                setTcpNoDelay(true);
            } catch (Exception ignore) {
                // Best effort, as Netty's other transports do.
            }
        }
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR,
                SO_LINGER, IP_TOS, ALLOW_HALF_CLOSURE, RIO_OUTSTANDING_RECEIVES, RIO_OUTSTANDING_SENDS,
                RIO_RECEIVE_SLOT_SIZE);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == TCP_NODELAY) {
            return (T) Boolean.valueOf(isTcpNoDelay());
        }
        if (option == SO_KEEPALIVE) {
            return (T) Boolean.valueOf(isKeepAlive());
        }
        if (option == SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == SO_LINGER) {
            return (T) Integer.valueOf(getSoLinger());
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        T queueOption = queueOptions.get(option);
        if (queueOption != null) {
            return queueOption;
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (queueOptions.set(option, value)) {
            return true;
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    /** The request-queue options, read when the channel creates its request queue. */
    RioRequestQueueOptions queueOptions() {
        return queueOptions;
    }

    private int get(RioSocketOption option) {
        return RioSocketOptions.get(channel.sockets, channel.socket, option);
    }

    private void set(RioSocketOption option, int value) {
        RioSocketOptions.set(channel.sockets, channel.socket, option, value);
    }

    @Override
    public boolean isTcpNoDelay() {
        return get(RioSocketOption.TCP_NODELAY) != 0;
    }

    @Override
    public RioSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        set(RioSocketOption.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        return this;
    }

    @Override
    public int getSoLinger() {
        return get(RioSocketOption.SO_LINGER);
    }

    @Override
    public RioSocketChannelConfig setSoLinger(int soLinger) {
        // Netty's convention: a negative value turns lingering off (the model's -1).
        if (soLinger > 65535) {
            throw new IllegalArgumentException("soLinger: " + soLinger + " (expected: <= 65535)");
        }
        set(RioSocketOption.SO_LINGER, soLinger < 0 ? -1 : soLinger);
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return get(RioSocketOption.SO_SNDBUF);
    }

    @Override
    public RioSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        RioSocketOptions.checkRange("sendBufferSize", sendBufferSize, 0, Integer.MAX_VALUE);
        set(RioSocketOption.SO_SNDBUF, sendBufferSize);
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return get(RioSocketOption.SO_RCVBUF);
    }

    @Override
    public RioSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        RioSocketOptions.checkRange("receiveBufferSize", receiveBufferSize, 0, Integer.MAX_VALUE);
        set(RioSocketOption.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        return get(RioSocketOption.SO_KEEPALIVE) != 0;
    }

    @Override
    public RioSocketChannelConfig setKeepAlive(boolean keepAlive) {
        set(RioSocketOption.SO_KEEPALIVE, keepAlive ? 1 : 0);
        return this;
    }

    @Override
    public int getTrafficClass() {
        return get(RioSocketOption.IP_TOS);
    }

    @Override
    public RioSocketChannelConfig setTrafficClass(int trafficClass) {
        RioSocketOptions.checkRange("trafficClass", trafficClass, 0, 255);
        set(RioSocketOption.IP_TOS, trafficClass);
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return get(RioSocketOption.SO_REUSEADDR) != 0;
    }

    @Override
    public RioSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        set(RioSocketOption.SO_REUSEADDR, reuseAddress ? 1 : 0);
        return this;
    }

    @Override
    public RioSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        // Like NIO on most platforms: no effect.
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public RioSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public RioSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public RioSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public RioSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public RioSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public RioSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public RioSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public RioSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public RioSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    public RioSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public RioSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public RioSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }
}
