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
package io.nettyrio.testsuite.frameworks;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.examples.frameworks.grpc.EchoService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioConnections;
import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gRPC-java's Netty server and client on RIO, with no glue: {@code channelType}/{@code channelFactory} and the RIO
 * event loop groups on {@link NettyServerBuilder} and {@link NettyChannelBuilder}. A unary call and a
 * server-streaming call of 10,000 messages (order and content checked), in plaintext and over TLS with a
 * certificate made here; and the allocator: gRPC sets its own pooled allocator, so its sends are copied into
 * registered memory, and the RIO allocator given as a (child) channel option replaces it (what that saves is in
 * {@code docs/frameworks.md}: little yet, as most of what gRPC writes reaches the channel in composite buffers).
 * The service is the example's {@link EchoService}, written by hand: no code generation.
 */
@Timeout(120)
class GrpcRioTest {
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private Server server;
    private ManagedChannel channel;
    private RioServerSocketChannel serverChannel;
    private final Set<Channel> serverConnections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> clientConnections = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        for (EventLoopGroup group : new EventLoopGroup[] {clientGroup, serverGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void unary(boolean tls) throws Exception {
        start(tls, false);
        byte[] request = "Hello, RIO".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] answer = ClientCalls.blockingUnaryCall(channel, EchoService.ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
        assertArrayEquals(request, answer);
        assertOnRio();
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void serverStreamingTenThousandMessages(boolean tls) throws Exception {
        start(tls, false);
        int count = 10_000;
        int size = 100;
        Iterator<byte[]> messages = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                EchoService.streamRequest(count, size));
        int received = 0;
        while (messages.hasNext()) {
            byte[] message = messages.next();
            assertArrayEquals(EchoService.message(received, size), message, "message " + received);
            received++;
        }
        assertEquals(count, received);
        assertOnRio();
    }

    /**
     * gRPC sets its own pooled allocator, whose memory is not registered: every byte the server sends is copied into
     * registered memory. {@code withChildOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator())}
     * is applied after gRPC's own option and wins: the accepted channels allocate registered memory, and what gRPC
     * writes as one buffer goes out without a copy. (Most DATA bytes still reach the channel inside composite
     * buffers that Netty's HTTP/2 flow controller builds, which the channel copies: see the README and
     * GrpcAllocatorMeasurement for the figures.)
     */
    @Test
    void rioAllocatorUnderGrpcTakesEffect() throws Exception {
        start(false, false);
        RioIoHandlerMetric grpcAllocator = streamAndMeasure();
        assertFalse(serverConnections.iterator().next().config().getAllocator() instanceof RioByteBufAllocator);
        assertEquals(0, grpcAllocator.bytesSentZeroCopy(), () -> "gRPC's allocator: " + grpcAllocator);
        assertTrue(grpcAllocator.bytesCopied() >= 1000 * 1024, () -> "gRPC's allocator: " + grpcAllocator);
        stop();
        channel = null;
        server = null;
        serverGroup = null;
        clientGroup = null;
        serverConnections.clear();
        clientConnections.clear();

        start(false, true);
        RioIoHandlerMetric rioAllocator = streamAndMeasure();
        assertSame(RioByteBufAllocator.defaultAllocator(),
                serverConnections.iterator().next().config().getAllocator());
        assertSame(RioByteBufAllocator.defaultAllocator(),
                clientConnections.iterator().next().config().getAllocator());
        assertTrue(rioAllocator.bytesSentZeroCopy() > 0, () -> "RIO allocator: " + rioAllocator);
    }

    /** Streams 1,000 messages of 1 KiB and returns the metric of the server's one event loop. */
    private RioIoHandlerMetric streamAndMeasure() {
        Iterator<byte[]> messages = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), EchoService.streamRequest(1000, 1024));
        int received = 0;
        while (messages.hasNext()) {
            assertArrayEquals(EchoService.message(received, 1024), messages.next());
            received++;
        }
        assertEquals(1000, received);
        assertOnRio();
        return ((RioSocketChannel) serverConnections.iterator().next()).ioMetric();
    }

    private void start(boolean tls, boolean rioAllocator) throws Exception {
        // One thread each, and separate groups: the server loop's counters then count the server's sends only.
        serverGroup = new RioEventLoopGroup(1);
        clientGroup = new RioEventLoopGroup(1);
        ConnectionRecorder recorder = new ConnectionRecorder(serverConnections);
        NettyServerBuilder serverBuilder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .channelFactory(() -> {
                    // The factory is the only hook on the server channel: the recorder sees each accepted channel
                    // on its way to the ServerBootstrap's acceptor.
                    RioServerSocketChannel ch = new RioServerSocketChannel();
                    ch.pipeline().addLast(recorder);
                    serverChannel = ch;
                    return ch;
                })
                .bossEventLoopGroup(serverGroup)
                .workerEventLoopGroup(serverGroup)
                .addService(EchoService.definition());
        X509Bundle certificate = null;
        if (tls) {
            certificate = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .setIsCertificateAuthority(true).algorithm(CertificateBuilder.Algorithm.ecp256)
                    .buildSelfSigned();
            serverBuilder.sslContext(GrpcSslContexts.configure(
                    SslContextBuilder.forServer(certificate.toKeyManagerFactory())).build());
        }
        if (rioAllocator) {
            serverBuilder.withChildOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator());
        }
        server = serverBuilder.build().start();

        NettyChannelBuilder channelBuilder = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .channelFactory(() -> {
                    RioSocketChannel ch = new RioSocketChannel();
                    clientConnections.add(ch);
                    return ch;
                })
                .eventLoopGroup(clientGroup);
        if (rioAllocator) {
            channelBuilder.withOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator());
        }
        if (tls) {
            channelBuilder.sslContext(GrpcSslContexts.forClient()
                    .trustManager(certificate.toTrustManagerFactory()).build()).overrideAuthority("localhost");
        } else {
            channelBuilder.usePlaintext();
        }
        channel = channelBuilder.build();
    }

    private void assertOnRio() {
        assertRioServer("gRPC server", serverChannel);
        assertRioConnections("gRPC server side", serverConnections);
        assertRioConnections("gRPC client side", clientConnections);
    }

    /** Sees the accepted channels, which a server channel passes up its pipeline to the acceptor. */
    @ChannelHandler.Sharable
    static final class ConnectionRecorder extends ChannelInboundHandlerAdapter {
        private final Set<Channel> accepted;

        ConnectionRecorder(Set<Channel> accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                accepted.add(child);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
