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

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketConnectionAttemptTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Netty's {@link SocketConnectionAttemptTest} over the RIO transport.
 *
 * <p>Netty's timeout and cancellation cases connect to 198.51.100.254, an address off this machine. This project's
 * machines may send traffic only to loopback, so those two cases are replaced by the same checks against a
 * loopback listener whose accept queue is full: Linux drops the SYNs such a listener receives, so a connect to it
 * stays pending until it times out or is cancelled.
 */
public class RioSocketConnectionAttemptTest extends SocketConnectionAttemptTest {
    @Override
    protected List<BootstrapFactory<Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.clientSocketRioOnly();
    }

    @Override
    @Test
    @Disabled("connects to 198.51.100.254: only loopback may be a target here; see connectTimesOutOnLoopback")
    public void testConnectTimeout(TestInfo testInfo) {
    }

    @Override
    @Test
    @Disabled("connects to 198.51.100.254: only loopback may be a target here; see connectIsCancelledOnLoopback")
    public void testConnectCancellation(TestInfo testInfo) {
    }

    @Test
    @Timeout(30)
    void connectTimesOutOnLoopback() throws Exception {
        try (UnansweredListener listener = UnansweredListener.open()) {
            Bootstrap cb = newClient().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300);
            ChannelFuture future = cb.connect(listener.address());
            assertTrue(future.await(10, TimeUnit.SECONDS), "the connect attempt never ended");
            assertFalse(future.isSuccess(), "a connect to a full accept queue must not succeed");
            assertInstanceOf(ConnectTimeoutException.class, future.cause());
            assertTrue(future.channel().closeFuture().await(5, TimeUnit.SECONDS), "the channel was not closed");
        }
    }

    @Test
    @Timeout(30)
    void connectIsCancelledOnLoopback() throws Exception {
        try (UnansweredListener listener = UnansweredListener.open()) {
            Bootstrap cb = newClient().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            ChannelFuture future = cb.connect(listener.address());
            // Let the connect reach the provider before cancelling it.
            Thread.sleep(100);
            assertTrue(future.cancel(true), "the pending connect could not be cancelled");
            assertTrue(future.isCancelled());
            Channel channel = future.channel();
            assertTrue(channel.closeFuture().await(5, TimeUnit.SECONDS), "a cancelled connect must close its channel");
            assertFalse(channel.isActive());
        }
    }

    private static Bootstrap newClient() {
        return RioSocketTestPermutation.INSTANCE.clientSocketRioOnly().get(0).newInstance()
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // The failure is asserted on the connect future.
                    }
                });
    }

    /** A loopback listener that never accepts, with its accept queue filled so that new SYNs are dropped. */
    private static final class UnansweredListener implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        private UnansweredListener(ServerSocket server) {
            this.server = server;
        }

        static UnansweredListener open() throws IOException {
            UnansweredListener listener = new UnansweredListener(
                    new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            boolean full = false;
            // Bounded: a backlog of 1 holds two connections on Linux; stop at the first connect that hangs.
            for (int i = 0; i < 16 && !full; i++) {
                Socket s = new Socket();
                try {
                    s.connect(listener.address(), 200);
                    listener.fillers.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    full = true;
                }
            }
            assumeTrue(full, "this kernel answered every connect to a full accept queue");
            return listener;
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }

    /** Netty's allocators and the transport's registered memory: {@link RioSocketTestPermutation#allocators()}. */
    @Override
    protected List<ByteBufAllocator> newAllocators() {
        return RioSocketTestPermutation.INSTANCE.allocators();
    }
}
