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
package io.nettyrio.testsuite.stress;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.examples.stress.StressReport;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event loop groups of a stress test class (its own, so that the RIO handlers' requests in flight are only its
 * channels') and the transport pairs it runs, as Netty's testsuite permutations pair them: RIO server with RIO
 * client, RIO server with NIO client, NIO server with RIO client.
 */
final class StressTransports implements AutoCloseable {
    /** A server transport and a client transport. */
    enum Pair {
        RIO_RIO(true, true), RIO_SERVER_NIO_CLIENT(true, false), NIO_SERVER_RIO_CLIENT(false, true);

        final boolean rioServer;
        final boolean rioClient;

        Pair(boolean rioServer, boolean rioClient) {
            this.rioServer = rioServer;
            this.rioClient = rioClient;
        }
    }

    private final EventLoopGroup rioBoss;
    private final EventLoopGroup rioWorkers;
    private final EventLoopGroup nio;

    StressTransports(String name) {
        rioBoss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-rio-boss", true),
                RioIoHandler.newFactory());
        rioWorkers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name + "-rio", true),
                RioIoHandler.newFactory());
        nio = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name + "-nio", true),
                NioIoHandler.newFactory());
    }

    ServerBootstrap server(Pair pair) {
        return pair.rioServer
                ? new ServerBootstrap().group(rioBoss, rioWorkers).channel(RioServerSocketChannel.class)
                : new ServerBootstrap().group(nio, nio).channel(NioServerSocketChannel.class);
    }

    Bootstrap client(Pair pair) {
        return pair.rioClient
                ? new Bootstrap().group(rioWorkers).channel(RioSocketChannel.class)
                : new Bootstrap().group(nio).channel(NioSocketChannel.class);
    }

    @Override
    public void close() {
        rioBoss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        rioWorkers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        nio.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The end-of-run checks every stress test makes: nothing left open, in flight, in use or leaked. */
    static void assertClean(StressReport report) {
        String text = report.describe();
        assertFalse(report.timedOut(), text);
        assertEquals(0, report.openChannels(), "channels left open\n" + text);
        assertEquals(0, report.requestsInFlight(), "RIO requests left in flight\n" + text);
        assertEquals(0, report.slotsInUse(), "registered slots left in use\n" + text);
        assertEquals(0, report.leaks(), "leaks reported\n" + text);
        assertTrue(report.bytesVerified() > 0, text);
    }
}
