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
package io.nettyrio.examples.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reactor-netty server kind, in this JVM: on each transport it runs on that transport's channels (what its
 * bind-time check found is what the row says), answers the plain Netty server's exact bytes, and its check does
 * reject a server of another transport.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReactorHttpHelloTest {

    @ParameterizedTest
    @EnumSource(ServerTransport.class)
    void runsOnTheRowsTransportAndAnswersAsTheNettyServer(ServerTransport transport) throws Exception {
        // Epoll and io_uring need their native libraries; RIO and NIO always run here (ServerBenchmarkCiTest
        // asserts which transports may be missing).
        Assumptions.assumeTrue(transport.unavailability() == null, () -> transport.unavailability());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        EventLoopGroup netty = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        ReactorHttpHello kind = new ReactorHttpHello();
        Channel listener = kind.bind(transport, group);
        Channel plain = new ServerKinds.HttpHello().bind(transport, netty);
        try {
            String said = kind.describe();
            assertNotNull(said);
            assertTrue(said.contains("server channel " + transport.serverChannelClass().getName()), said);
            assertTrue(said.contains("accepted channel " + transport.socketChannelClass().getName()), said);
            assertNull(ReactorHttpHello.mismatch(transport, listener, kind.probeChannel(), kind.loop()));

            byte[] reactor = LoadGenerator.probeHttp(port(listener));
            byte[] expected = LoadGenerator.probeHttp(port(plain));
            assertArrayEquals(expected, reactor, () -> new String(reactor, StandardCharsets.US_ASCII));

            // Any other transport's row must be refused.
            ServerTransport other = transport == ServerTransport.NIO ? ServerTransport.RIO : ServerTransport.NIO;
            String refused = ReactorHttpHello.mismatch(other, listener, kind.probeChannel(), kind.loop());
            assertNotNull(refused);
            assertTrue(refused.contains(other.serverChannelClass().getName()), refused);
            // ... and so must a group of more than one loop.
            EventLoopGroup two = new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
            try {
                String many = ReactorHttpHello.mismatch(transport, listener, kind.probeChannel(), two);
                assertNotNull(many);
                assertTrue(many.contains("more than one event loop"), many);
            } finally {
                two.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        } finally {
            listener.close().sync();
            plain.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        if (transport != ServerTransport.EPOLL) {
            // The kind made its own loop resources: closing the listener must end their thread.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!kind.loop().isTerminated() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(kind.loop().isTerminated(), "the reactor-netty loop outlived its server");
        }
    }

    private static int port(Channel listener) {
        return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
    }
}
