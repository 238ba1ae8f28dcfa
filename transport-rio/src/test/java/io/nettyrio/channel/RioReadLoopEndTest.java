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

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.testkit.EchoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receive that fills its buffer leaves the allocator wanting more, but when the next receive was already in the
 * kernel and did not complete, the socket had nothing more: the read loop ends in that run, as NIO's ends when a
 * read returns nothing, rather than being carried over runs that poll without blocking (docs/transport.md, "Read
 * path"). Measured as the event loop's runs (port calls) per echo of a message that exactly fills the receive: one
 * wait per echo, where carrying the loop adds a polling run per carried run.
 */
@Timeout(60)
class RioReadLoopEndTest {
    private static final int SIZE = 256;
    private static final int ECHOES = 300;

    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        assumeRioAvailable();
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    // ChannelOption.RCVBUF_ALLOCATOR is how Netty's own transports are given a RecvByteBufAllocator.
    @SuppressWarnings("deprecation")
    void aFullReceiveWithTheNextOneWaitingEndsTheReadLoopInItsRun() throws Exception {
        // Writes in channelRead, flushes at channelReadComplete: the echo goes out only when the read loop ends.
        EchoHandler echoHandler = new EchoHandler();
        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                // Receives of SIZE bytes, and (unlike a new allocator's default of one) several messages per read loop,
                // as the channel's own default allocator allows: a full receive then leaves it wanting more.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SIZE).maxMessagesPerRead(16))
                .childHandler(echoHandler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        // The group's one loop serves the server channel and the connection alike.
        RioIoHandler loop = ((AbstractRioChannel) server).handler;
        // A blocking JDK socket as the peer, outside the event loop.
        try (Socket peer = new Socket()) {
            peer.setTcpNoDelay(true);
            peer.setSoTimeout(10_000);
            peer.connect(server.localAddress());
            OutputStream out = peer.getOutputStream();
            DataInputStream in = new DataInputStream(peer.getInputStream());
            byte[] message = new byte[SIZE];
            byte[] echo = new byte[SIZE];
            // Warm up: the connection accepted, its receives posted.
            for (int i = 0; i < 20; i++) {
                out.write(message);
                in.readFully(echo);
            }
            long runs = group.submit(loop::runs).get();
            for (int i = 0; i < ECHOES; i++) {
                Arrays.fill(message, (byte) i);
                out.write(message);
                in.readFully(echo);
                assertArrayEquals(message, echo, "echo " + i);
            }
            double perEcho = (double) (group.submit(loop::runs).get() - runs) / ECHOES;
            // One wait per echo (the echo's send goes with it), a little more when a task wakes the loop; carried
            // over two polling runs, every echo costs three.
            assertTrue(perEcho < 2.0, "event loop runs per echo: " + perEcho);
            assertTrue(echoHandler.errors().isEmpty(), () -> "echo errors: " + echoHandler.errors());
        } finally {
            server.close().sync();
        }
    }
}
