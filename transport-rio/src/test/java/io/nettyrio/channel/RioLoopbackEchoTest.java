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

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.testkit.ByteCollector;
import io.nettyrio.testkit.EchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * An echo over loopback through the real provider: the smallest end-to-end check of the event loop, accept,
 * connect, send and receive.
 */
@Timeout(30)
class RioLoopbackEchoTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        assumeRioAvailable();
        group = new MultiThreadIoEventLoopGroup(2, RioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void echoesBytes() throws Exception {
        byte[] payload = new byte[100_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Channel server = EchoServer.start(group);
        ByteCollector collector = new ByteCollector(payload.length);
        Channel client = new Bootstrap().group(group).channel(RioSocketChannel.class)
                .handler(collector).connect(server.localAddress()).sync().channel();
        client.writeAndFlush(Unpooled.wrappedBuffer(payload)).sync();
        assertArrayEquals(payload, collector.received().get(20, TimeUnit.SECONDS));
        client.close().sync();
        server.close().sync();
    }
}
