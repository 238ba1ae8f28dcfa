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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.testkit.EchoHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An abrupt close during a TLS handshake, with Netty's {@link SslHandler} on RIO channels (JDK and OpenSSL
 * providers): a plain-socket client sends half a ClientHello and then resets (SO_LINGER 0) or closes (FIN) the
 * connection to a RIO server; or a RIO client connects to a plain-socket server that reads a few bytes of its
 * ClientHello and then resets or closes. The handshake future must fail, the RIO channel close, every registered
 * slot come back, no buffer leak, and the event loop must still carry a full TLS handshake and echo afterwards.
 */
@Timeout(60)
class TlsHandshakeAbortTest {
    private static X509Bundle root;
    private static X509Bundle serverCert;

    @RegisterExtension
    final HostileLoop loop = new HostileLoop();

    @BeforeAll
    static void certificates() throws Exception {
        root = new CertificateBuilder().ecp256().subject("cn=root.rio.test")
                .setIsCertificateAuthority(true).buildSelfSigned();
        serverCert = new CertificateBuilder().ecp256().subject("cn=localhost").addSanDnsName("localhost")
                .addExtendedKeyUsageServerAuth().buildIssuedBy(root);
    }


    static List<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (SslProvider provider : new SslProvider[] {SslProvider.JDK, SslProvider.OPENSSL}) {
            for (String role : new String[] {"server", "client"}) {
                for (String abort : new String[] {"resets", "closes"}) {
                    list.add(Arguments.of(provider, role, abort));
                }
            }
        }
        return list;
    }

    private static SslContext serverContext(SslProvider provider) throws Exception {
        return SslContextBuilder.forServer(serverCert.toKeyManagerFactory()).sslProvider(provider).build();
    }

    private static SslContext clientContext(SslProvider provider) throws Exception {
        return SslContextBuilder.forClient().sslProvider(provider).trustManager(root.toTrustManagerFactory())
                .endpointIdentificationAlgorithm("HTTPS").build();
    }

    /** The first TLS record a JDK client sends: a ClientHello. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static void abort(Socket peer, boolean reset) throws Exception {
        if (reset) {
            peer.setSoLinger(true, 0);
        }
        peer.close();
    }

    /** A RIO TLS server that echoes, on the same loop: proves the loop still serves TLS after the abort. */
    private void assertTlsEchoes(SslProvider provider) throws Exception {
        SslContext server = serverContext(provider);
        SslContext client = clientContext(provider);
        Channel listener = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(server.newHandler(ch.alloc()), new EchoHandler());
                    }
                })
                .bind(Hostile.loopback(), 0).sync().channel();
        byte[] sent = Hostile.payload(60, 4096);
        Promise<byte[]> echoed = loop.group().next().newPromise();
        Channel ch = new Bootstrap().group(loop.group()).channel(RioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, loop.allocator())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler ssl = client.newHandler(ch.alloc(), "localhost", 0);
                        ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                            private final ByteBuf received = Unpooled.buffer();

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ssl.handshakeFuture().addListener(f -> {
                                    if (f.isSuccess()) {
                                        ctx.writeAndFlush(Unpooled.wrappedBuffer(sent));
                                    } else {
                                        echoed.tryFailure(f.cause());
                                    }
                                });
                                ctx.fireChannelActive();
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                try {
                                    received.writeBytes((ByteBuf) msg);
                                } finally {
                                    ReferenceCountUtil.release(msg);
                                }
                                if (received.readableBytes() >= sent.length) {
                                    byte[] bytes = new byte[received.readableBytes()];
                                    received.readBytes(bytes);
                                    echoed.trySuccess(bytes);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                echoed.tryFailure(cause);
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(listener.localAddress()).sync().channel();
        try {
            assertArrayEquals(sent, echoed.get(10, TimeUnit.SECONDS), "TLS echo after the abort");
        } finally {
            ch.close().sync();
            listener.close().sync();
        }
    }

    @ParameterizedTest(name = "{0}, RIO {1}, peer {2}")
    @MethodSource("cases")
    void handshakeFailsChannelClosesLoopSurvives(SslProvider provider, String role, String abort) throws Exception {
        boolean reset = "resets".equals(abort);
        assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "OpenSSL (netty-tcnative) is missing");
        Promise<Future<Channel>> handshake = loop.group().next().newPromise();
        Channel rio;
        if ("server".equals(role)) {
            SslContext context = serverContext(provider);
            Promise<Channel> accepted = loop.group().next().newPromise();
            Channel listener = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            SslHandler ssl = context.newHandler(ch.alloc());
                            ch.pipeline().addLast(ssl, new ClosingOnError());
                            handshake.trySuccess(ssl.handshakeFuture());
                            accepted.trySuccess(ch);
                        }
                    })
                    .bind(Hostile.loopback(), 0).sync().channel();
            byte[] hello = clientHello();
            try (Socket peer = new Socket()) {
                peer.connect(listener.localAddress(), 10_000);
                peer.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
                peer.getOutputStream().flush();
                // Let the server take the partial record in before the connection goes.
                Thread.sleep(100);
                abort(peer, reset);
            }
            rio = accepted.get(10, TimeUnit.SECONDS);
            listener.close().sync();
        } else {
            SslContext context = clientContext(provider);
            try (ServerSocket listener = new ServerSocket(0, 50, Hostile.loopback())) {
                rio = new Bootstrap().group(loop.group()).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, loop.allocator())
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                SslHandler ssl = context.newHandler(ch.alloc(), "localhost", 0);
                                ch.pipeline().addLast(ssl, new ClosingOnError());
                                handshake.trySuccess(ssl.handshakeFuture());
                            }
                        })
                        .connect(new InetSocketAddress(Hostile.loopback(), listener.getLocalPort())).sync()
                        .channel();
                try (Socket peer = listener.accept()) {
                    InputStream in = peer.getInputStream();
                    Hostile.readFully(in, 10); // a few bytes of the ClientHello
                    abort(peer, reset);
                }
            }
        }
        Future<Channel> handshakeFuture = handshake.get(10, TimeUnit.SECONDS);
        assertTrue(handshakeFuture.await(10, TimeUnit.SECONDS), "the handshake ended");
        assertFalse(handshakeFuture.isSuccess(), "the handshake failed");
        assertNotNull(handshakeFuture.cause());
        assertTrue(rio.closeFuture().await(10, TimeUnit.SECONDS), "the RIO channel closed");
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(loop.allocator()) == 0);
        assertTlsEchoes(provider);
        Hostile.await("every registered slot back after the echo", 10_000,
                () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }

    /** Closes the channel on any error (the handshake failure included). */
    private static final class ClosingOnError extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
