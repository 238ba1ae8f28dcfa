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
package io.nettyrio.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.nettyrio.channel.RioServerSocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The tests' echo servers: a RIO server channel on loopback whose children echo what they read. */
public final class EchoServer {
    private EchoServer() {
    }

    /** Binds a RIO echo server on an ephemeral loopback port, with the channels' default allocator. */
    public static Channel start(EventLoopGroup group) throws InterruptedException {
        return start(group, null, new EchoHandler());
    }

    /**
     * Binds a RIO echo server on an ephemeral loopback port.
     *
     * @param group     the server's (and its children's) event loops
     * @param allocator the children's {@code ALLOCATOR}, or null for the channels' default
     * @param echo      the children's handler, for a test that reads its errors
     */
    public static Channel start(EventLoopGroup group, ByteBufAllocator allocator, EchoHandler echo)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childHandler(echo);
        if (allocator != null) {
            b.childOption(ChannelOption.ALLOCATOR, allocator);
        }
        return b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }
}
