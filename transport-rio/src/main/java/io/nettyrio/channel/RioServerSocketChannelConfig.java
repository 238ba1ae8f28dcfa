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

import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.NetUtil;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * The {@link ServerSocketChannelConfig} of a {@link RioServerSocketChannel}.
 */
public final class RioServerSocketChannelConfig extends AbstractRioChannelConfig<RioServerSocketChannelConfig>
        implements ServerSocketChannelConfig {
    private static final RioConfigOptions<RioServerSocketChannelConfig> OPTIONS = CHANNEL_OPTIONS
            .<RioServerSocketChannelConfig>extend()
            .with(SO_BACKLOG, RioServerSocketChannelConfig::getBacklog, RioServerSocketChannelConfig::setBacklog);

    private volatile int backlog = NetUtil.SOMAXCONN;

    RioServerSocketChannelConfig(RioServerSocketChannel channel) {
        super(channel, OPTIONS);
    }

    @Override
    public int getBacklog() {
        return backlog;
    }

    @Override
    public RioServerSocketChannelConfig setBacklog(int backlog) {
        checkInRange(backlog, 0, Integer.MAX_VALUE, "backlog");
        this.backlog = backlog;
        return this;
    }

    @Override
    public RioServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }
}
