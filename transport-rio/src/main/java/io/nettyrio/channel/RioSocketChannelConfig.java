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

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.internal.PlatformDependent;
import io.nettyrio.rio.RioSocketOption;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.TCP_NODELAY;
import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * The {@link SocketChannelConfig} of a {@link RioSocketChannel}. Socket options go straight to the socket
 * ({@code setsockopt}); the {@link RioChannelOption}s are kept and used when the request queue is created.
 */
public final class RioSocketChannelConfig extends AbstractRioDataChannelConfig<RioSocketChannelConfig>
        implements SocketChannelConfig {

    private static final RioConfigOptions<RioSocketChannelConfig> OPTIONS = DATA_OPTIONS
            .<RioSocketChannelConfig>extend()
            .with(TCP_NODELAY, RioSocketChannelConfig::isTcpNoDelay, RioSocketChannelConfig::setTcpNoDelay)
            .with(SO_KEEPALIVE, RioSocketChannelConfig::isKeepAlive, RioSocketChannelConfig::setKeepAlive)
            .with(SO_LINGER, RioSocketChannelConfig::getSoLinger, RioSocketChannelConfig::setSoLinger)
            .with(ALLOW_HALF_CLOSURE, RioSocketChannelConfig::isAllowHalfClosure,
                    RioSocketChannelConfig::setAllowHalfClosure);

    private volatile boolean allowHalfClosure;

    RioSocketChannelConfig(RioSocketChannel channel) {
        super(channel, new AdaptiveRecvByteBufAllocator(), new RioRequestQueueOptions(4, 16), OPTIONS);
        if (PlatformDependent.canEnableTcpNoDelayByDefault()) {
            try {
                setTcpNoDelay(true);
            } catch (Exception ignore) {
                // Best effort, as Netty's other transports do.
            }
        }
    }

    @Override
    public boolean isTcpNoDelay() {
        return isSocketOptionOn(RioSocketOption.TCP_NODELAY);
    }

    @Override
    public RioSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        return setSocketOption(RioSocketOption.TCP_NODELAY, tcpNoDelay);
    }

    @Override
    public int getSoLinger() {
        return getSocketOption(RioSocketOption.SO_LINGER);
    }

    @Override
    public RioSocketChannelConfig setSoLinger(int soLinger) {
        // Netty's convention: a negative value turns lingering off (the model's -1).
        if (soLinger > 65535) {
            throw new IllegalArgumentException("soLinger: " + soLinger + " (expected: <= 65535)");
        }
        return setSocketOption(RioSocketOption.SO_LINGER, soLinger < 0 ? -1 : soLinger);
    }

    @Override
    public boolean isKeepAlive() {
        return isSocketOptionOn(RioSocketOption.SO_KEEPALIVE);
    }

    @Override
    public RioSocketChannelConfig setKeepAlive(boolean keepAlive) {
        return setSocketOption(RioSocketOption.SO_KEEPALIVE, keepAlive);
    }

    @Override
    public int getTrafficClass() {
        return getSocketOption(RioSocketOption.IP_TOS);
    }

    @Override
    public RioSocketChannelConfig setTrafficClass(int trafficClass) {
        return setSocketOption(RioSocketOption.IP_TOS, checkInRange(trafficClass, 0, 255, "trafficClass"));
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
}
