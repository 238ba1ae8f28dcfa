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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every failure a user can meet gives on RIO the exception type Netty's NIO transport gives, so that what a
 * framework recognises (Spring Boot's "Port 8080 was already in use" analysis of a {@link BindException}, retry
 * policies on {@link ConnectException}) works the same: each case runs on NIO and on RIO, and the JDK types are
 * compared (the nearest {@code java.*} class: NIO's are often Netty's annotated subclasses or the JDK's internal
 * ones, such as {@code sun.net.ConnectionResetException}). On RIO a failure the provider reported also keeps the
 * {@link RioException} as its cause. Loopback only; the unreachable case connects to the limited broadcast address,
 * which a TCP connect refuses locally ({@code ENETUNREACH}, connect(2)) without sending a packet.
 */
@Timeout(60)
class RioExceptionTypesTest {
    private static EventLoopGroup nio;
    private static EventLoopGroup rio;

    /** One transport's channel classes and loop. */
    private record Transport(String name, EventLoopGroup group, Class<? extends ServerSocketChannel> server,
                             Class<? extends SocketChannel> socket, Class<? extends DatagramChannel> datagram) {
        boolean isRio() {
            return server == RioServerSocketChannel.class;
        }
    }

    /** What one case gives: the exception (never null), on one transport. */
    private interface Case {
        Throwable run(Transport t) throws Exception;
    }

    @BeforeAll
    static void groups() {
        assumeTrue(Rio.isAvailable(), () -> "RIO not available: " + Rio.unavailabilityCause());
        nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        rio = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
    }

    @AfterAll
    static void shutdown() throws InterruptedException {
        if (nio != null) {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            rio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Transport nioTransport() {
        return new Transport("NIO", nio, NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class);
    }

    private static Transport rioTransport() {
        return new Transport("RIO", rio, RioServerSocketChannel.class, RioSocketChannel.class,
                RioDatagramChannel.class);
    }

    /** The nearest class of {@code t} in a {@code java.*} package: what a framework's instanceof sees. */
    private static Class<?> jdkType(Throwable t) {
        Class<?> c = t.getClass();
        while (!c.getName().startsWith("java.")) {
            c = c.getSuperclass();
        }
        return c;
    }

    /**
     * Runs {@code c} on NIO and on RIO: both give {@code expected} (or a subclass) with the same JDK type, and RIO's
     * keeps a {@link RioException} as its cause when {@code rioCause}.
     */
    private static void compare(Class<? extends Throwable> expected, boolean rioCause, Case c) throws Exception {
        Throwable onNio = c.run(nioTransport());
        Throwable onRio = c.run(rioTransport());
        assertNotNull(onNio, "NIO fails");
        assertNotNull(onRio, "RIO fails");
        assertInstanceOf(expected, onNio, () -> "NIO: " + onNio);
        assertEquals(jdkType(onNio), jdkType(onRio), () -> "NIO gave " + onNio + ", RIO gave " + onRio);
        if (rioCause) {
            assertInstanceOf(RioException.class, onRio.getCause(), () -> "RIO's cause: " + onRio);
        }
    }

    private static Throwable failure(ChannelFuture f) throws InterruptedException {
        f.await(20, TimeUnit.SECONDS);
        Throwable cause = f.cause();
        if (f.channel() != null) {
            f.channel().close().await(5, TimeUnit.SECONDS);
        }
        return cause;
    }

    /** A port that was free a moment ago: nothing listens on it now. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpBindInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            compare(BindException.class, true, t -> failure(new ServerBootstrap().group(t.group).channel(t.server)
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))));
        }
    }

    @Test
    void udpBindInUse() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new InetSocketAddress("127.0.0.1", 0))) {
            compare(BindException.class, true, t -> failure(new Bootstrap().group(t.group).channel(t.datagram)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))));
        }
    }

    @Test
    void connectRefused() throws Exception {
        // A socket bound to the port and never listening, held while the connects run: the SYN is answered with a
        // reset, and neither another process nor the connect's own ephemeral port (a socket connecting to its own
        // address succeeds) can take the port meanwhile, as they could a port closed right after it was bound.
        try (java.nio.channels.SocketChannel holder = java.nio.channels.SocketChannel.open()
                .bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) holder.getLocalAddress()).getPort();
            compare(ConnectException.class, true, t -> failure(new Bootstrap().group(t.group).channel(t.socket)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new InetSocketAddress("127.0.0.1", port))));
        }
    }

    @Test
    void networkUnreachable() throws Exception {
        compare(SocketException.class, true, t -> failure(new Bootstrap().group(t.group).channel(t.socket)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress("255.255.255.255", 9))));
    }

    /**
     * A listener whose accept queue is full (backlog 1, never accepting) drops further SYNs on Linux, so a connect
     * to it times out on the channel's {@code CONNECT_TIMEOUT_MILLIS}: Netty's {@code ConnectTimeoutException}.
     */
    @Test
    void connectTimeout() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the full-backlog trick is Linux's");
        try (java.nio.channels.ServerSocketChannel full = java.nio.channels.ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<java.nio.channels.SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.nio.channels.SocketChannel filler = java.nio.channels.SocketChannel.open();
                    filler.configureBlocking(false);
                    filler.connect(full.getLocalAddress());
                    fillers.add(filler);
                }
                Thread.sleep(200);
                compare(io.netty.channel.ConnectTimeoutException.class, false,
                        t -> failure(new Bootstrap().group(t.group).channel(t.socket)
                                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300)
                                .handler(new ChannelInboundHandlerAdapter()).connect(full.getLocalAddress())));
            } finally {
                for (java.nio.channels.SocketChannel filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** The peer closes with SO_LINGER 0 (an RST): the reading side's {@code exceptionCaught}. */
    @Test
    void resetByPeer() throws Exception {
        compare(SocketException.class, true, t -> {
            CompletableFuture<Throwable> caught = new CompletableFuture<>();
            try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Channel ch = new Bootstrap().group(t.group).channel(t.socket)
                        .handler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                caught.complete(cause);
                            }
                        }).connect(server.getLocalSocketAddress()).sync().channel();
                try (java.net.Socket accepted = server.accept()) {
                    accepted.setSoLinger(true, 0);
                }
                Throwable cause = caught.get(10, TimeUnit.SECONDS);
                ch.close().sync();
                return cause;
            }
        });
    }

    @Test
    void writeAfterClose() throws Exception {
        compare(ClosedChannelException.class, false, t -> {
            try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Channel ch = new Bootstrap().group(t.group).channel(t.socket)
                        .handler(new ChannelInboundHandlerAdapter()).connect(server.getLocalSocketAddress())
                        .sync().channel();
                ch.close().sync();
                return failure(ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            }
        });
    }

    /** A connected UDP channel writes to a port nobody listens on: the ICMP error reaches the next read. */
    @Test
    void udpPortUnreachable() throws Exception {
        int port = closedPort();
        compare(PortUnreachableException.class, true, t -> {
            CompletableFuture<Throwable> caught = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(t.group).channel(t.datagram)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            caught.complete(cause);
                        }
                    }).connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            Throwable cause = null;
            for (int i = 0; i < 50 && cause == null; i++) {
                ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).await(5, TimeUnit.SECONDS);
                try {
                    cause = caught.get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // Not yet: NIO reports it on a read, which the next datagram's round triggers.
                }
            }
            ch.close().sync();
            return cause;
        });
    }

    @Test
    void tooLargeDatagram() throws Exception {
        compare(SocketException.class, true, t -> {
            Channel ch = new Bootstrap().group(t.group).channel(t.datagram)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            ByteBuf big = Unpooled.buffer(65508).writeZero(65508);
            Throwable cause = failure(ch.writeAndFlush(new DatagramPacket(big,
                    new InetSocketAddress("127.0.0.1", 9))));
            ch.close().sync();
            return cause;
        });
    }
}
