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
package io.nettyrio.testsuite.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.testsuite.transport.AbstractSingleThreadEventLoopTest;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerConfig;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executor;

/**
 * Netty's event loop tests (registration counts, shutdown, scheduling, auto-scaling) over {@link RioIoHandler}.
 * Every test is inherited as Netty declares it, with its {@code @Timeout}, but the three channel-iteration tests,
 * which are disabled here with their reason instead of being skipped by the base class's silent assumption.
 */
public class RioEventLoopTest extends AbstractSingleThreadEventLoopTest {
    @Override
    protected EventLoopGroup newEventLoopGroup() {
        return new RioEventLoopGroup();
    }

    @Override
    protected EventLoopGroup newAutoScalingEventLoopGroup() {
        // Suspension moves a loop to another thread, which a port owned by its first thread forbids: the
        // auto-scaling tests run with ports any thread may wait on, as Netty's own io_uring tests do.
        return new MultiThreadIoEventLoopGroup(SCALING_MAX_THREADS, (Executor) null, AUTO_SCALING_CHOOSER_FACTORY,
                RioIoHandler.newFactory(new RioIoHandlerConfig().setSingleIssuer(false)));
    }

    @Override
    protected Channel newChannel() {
        return new RioSocketChannel();
    }

    @Override
    protected Class<? extends ServerChannel> serverChannelClass() {
        return RioServerSocketChannel.class;
    }

    private static final String NO_CHANNEL_ITERATION = "Netty's SingleThreadIoEventLoop, the loop of every IoHandler "
            + "(RIO's, io_uring's), does not implement registeredChannelsIterator(): the base class would skip this "
            + "test through supportsChannelIteration() = false, as it does for Netty's io_uring transport";

    @Test
    @Disabled(NO_CHANNEL_ITERATION)
    @Override
    public void testChannelsIterator() {
    }

    @Test
    @Disabled(NO_CHANNEL_ITERATION)
    @Override
    public void testChannelsIteratorRemoveThrows() {
    }

    @Test
    @Disabled(NO_CHANNEL_ITERATION)
    @Override
    public void testChannelsIteratorEmpty() {
    }
}
