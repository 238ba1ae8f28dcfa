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
package io.nettyrio.testsuite.hostile;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A RIO client connecting to a loopback port nobody listens on: the connect fails promptly with
 * {@link ConnectException}, the channel closes, and nothing is left behind. Repeated 100 times one after the other
 * and 100 times at once: the process's file descriptors (the provider's sockets, and so its handle table) come
 * back to their count before, no request stays in flight on the event loop, and no registered slot stays in use.
 */
@Timeout(60)
class ConnectRefusedTest {
    private static final int REPEATS = 100;

    @RegisterExtension
    final HostileChecks checks = new HostileChecks();

    private RioByteBufAllocator allocator;
    private EventLoopGroup group;
    /**
     * A socket bound to {@link #closedPort} that never listens, held for the whole test: a SYN to a port with no
     * listening socket is answered with a reset, and the port stays taken. A port closed right after it was bound
     * could be bound by another process meanwhile, or be the ephemeral port the kernel gives one of the test's own
     * 200 connects: a socket connecting to its own address succeeds (TCP's simultaneous open, RFC 9293). Linux
     * picks no ephemeral port for connect() that a bound socket holds.
     */
    private SocketChannel portHolder;
    private InetSocketAddress closedPort;

    @BeforeEach
    void setUp() throws Exception {
        allocator = Hostile.newAllocator();
        group = Hostile.newGroup(1, allocator);
        portHolder = SocketChannel.open().bind(new InetSocketAddress(Hostile.loopback(), 0));
        closedPort = (InetSocketAddress) portHolder.getLocalAddress();
    }

    @AfterEach
    void tearDown() throws IOException {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        portHolder.close();
    }

    private ChannelFuture connect() {
        return new Bootstrap().group(group).channel(RioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(closedPort);
    }

    private static void assertRefused(ChannelFuture f) throws InterruptedException {
        assertTrue(f.await(5, TimeUnit.SECONDS), "the connect did not fail within 5 s");
        assertInstanceOf(ConnectException.class, f.cause(), "the connect's failure");
        assertTrue(f.channel().closeFuture().await(5, TimeUnit.SECONDS), "the channel closed");
        assertFalse(f.channel().isOpen());
    }

    @Test
    void refusedPromptlyAndNothingLeaks() throws Exception {
        // One first, so that what is created once (the loop's ring, the allocator's first slab) is in the baseline.
        ChannelFuture first = connect();
        long start = System.nanoTime();
        assertRefused(first);
        long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        RioIoHandlerMetric metric = ((RioSocketChannel) first.channel()).ioMetric();
        Hostile.await("no request in flight", 5_000, () -> metric.requestsInFlight() == 0);
        int fdsBefore = Hostile.openSocketsAndRings();

        long sequentialStart = System.nanoTime();
        for (int i = 0; i < REPEATS; i++) {
            assertRefused(connect());
        }
        long sequentialMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sequentialStart);

        List<ChannelFuture> all = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            all.add(connect());
        }
        for (ChannelFuture f : all) {
            assertRefused(f);
        }
        Hostile.await("no request in flight (" + metric.requestsInFlight() + ')', 5_000,
                () -> metric.requestsInFlight() == 0);
        Hostile.await("sockets and rings back to " + fdsBefore + " (now " + Hostile.openSocketsAndRings() + ')',
                5_000,
                () -> Hostile.openSocketsAndRings() <= fdsBefore);
        assertEquals(0, Hostile.slotsInUse(allocator), "registered slots in use");
        System.out.printf("connect to a closed port: first refused in %d ms, %d sequential refusals in %d ms, "
                + "sockets and rings %d before and %d after%n", firstMillis, REPEATS, sequentialMillis, fdsBefore,
                Hostile.openSocketsAndRings());
        // The loop still connects where someone listens.
        Channel echo = Hostile.echoServer(group, allocator);
        Hostile.assertRioClientEchoes(group, (InetSocketAddress) echo.localAddress(), 50);
        echo.close().sync();
    }
}
