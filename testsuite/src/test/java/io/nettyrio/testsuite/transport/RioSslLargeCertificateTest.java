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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What Netty's {@code SocketSslLargeCertificateTest} checks, over {@link RioServerSocketChannel} and
 * {@link RioSocketChannel}: a TLS 1.3 handshake with mutual authentication in which the client's certificate is so
 * large that its Certificate handshake message spans more than one 16 KiB TLS record (RFC 8446 5.1: a record
 * holds at most 2^14 bytes, so the message is fragmented and reassembled across reads), then an echo over the
 * secured connection. Netty's class cannot be pointed at RIO (see {@link RioSocketSslLargeCertificateTest}), so
 * this is its RIO counterpart, with the JDK provider and, when netty-tcnative is available, OpenSSL.
 */
public class RioSslLargeCertificateTest {
    /** Room for the large certificate: OpenSSL's default limit on the peer's certificate list is lower. */
    private static final int MAX_CERTIFICATE_LIST_BYTES = 64 * 1024;

    private static EventLoopGroup group;
    private static X509Bundle root;
    private static X509Bundle server;

    @BeforeAll
    static void setUp() throws Exception {
        group = new RioEventLoopGroup(2);
        root = new CertificateBuilder().ecp256().subject("cn=root.rio.test")
                .setIsCertificateAuthority(true).buildSelfSigned();
        server = new CertificateBuilder().ecp256().subject("cn=localhost").addSanDnsName("localhost")
                .addExtendedKeyUsageServerAuth().buildIssuedBy(root);
    }

    @AfterAll
    static void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static List<Arguments> parameters() {
        List<Arguments> list = new ArrayList<>();
        for (SslProvider provider : new SslProvider[] {SslProvider.JDK, SslProvider.OPENSSL}) {
            // Just over one record, and well over it.
            for (int extensionBytes : new int[] {16 * 1024, 24 * 1024}) {
                list.add(Arguments.of(provider, extensionBytes));
            }
        }
        return list;
    }

    @ParameterizedTest(name = "{0}, {1} extension bytes")
    @MethodSource("parameters")
    @Timeout(30)
    void handshakeWithLargeClientCertificateThenEcho(SslProvider provider, int extensionBytes) throws Exception {
        assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable() && OpenSsl.supportsKeyManagerFactory(),
                "OpenSSL (netty-tcnative) with KeyManagerFactory support is not available");
        assumeTrue(SslProvider.isTlsv13Supported(provider), provider + " does not support TLSv1.3");

        byte[] filler = new byte[extensionBytes];
        ThreadLocalRandom.current().nextBytes(filler);
        // A private, non-critical extension whose only purpose is size.
        X509Bundle client = new CertificateBuilder().ecp256().subject("cn=client")
                .addExtendedKeyUsageClientAuth()
                .addExtensionOctetString("1.3.6.1.4.1.32473.1", false, filler)
                .buildIssuedBy(root);
        assertTrue(client.getCertificate().getEncoded().length > 16 * 1024,
                "the client certificate must not fit in one TLS record");

        SslContext serverContext = withLimit(SslContextBuilder.forServer(server.toKeyManagerFactory())
                .sslProvider(provider).trustManager(root.toTrustManagerFactory()).protocols("TLSv1.3")
                .clientAuth(ClientAuth.REQUIRE), provider).build();
        SslContext clientContext = withLimit(SslContextBuilder.forClient().sslProvider(provider)
                .keyManager(client.toKeyManagerFactory()).trustManager(root.toTrustManagerFactory())
                .protocols("TLSv1.3").endpointIdentificationAlgorithm("HTTPS"), provider).build();

        Promise<Certificate> peerSeenByServer = group.next().newPromise();
        Promise<byte[]> echoed = group.next().newPromise();
        byte[] payload = new byte[4096];
        ThreadLocalRandom.current().nextBytes(payload);

        Channel serverChannel = null;
        Channel clientChannel = null;
        try {
            serverChannel = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            SslHandler ssl = serverContext.newHandler(ch.alloc());
                            ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof SslHandshakeCompletionEvent done) {
                                        if (done.isSuccess()) {
                                            try {
                                                peerSeenByServer.trySuccess(
                                                        ssl.engine().getSession().getPeerCertificates()[0]);
                                            } catch (Exception e) {
                                                peerSeenByServer.tryFailure(e);
                                            }
                                        } else {
                                            peerSeenByServer.tryFailure(done.cause());
                                        }
                                    }
                                    ctx.fireUserEventTriggered(evt);
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    peerSeenByServer.tryFailure(cause);
                                    ctx.close();
                                }
                            });
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            SocketAddress address = serverChannel.localAddress();

            clientChannel = new Bootstrap().group(group).channel(RioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(clientContext.newHandler(ch.alloc(), "localhost", 0),
                                    new ChannelInboundHandlerAdapter() {
                                        private final ByteBuf received = Unpooled.buffer(payload.length);

                                        @Override
                                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                            if (evt instanceof SslHandshakeCompletionEvent done) {
                                                if (done.isSuccess()) {
                                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(payload));
                                                } else {
                                                    echoed.tryFailure(done.cause());
                                                }
                                            }
                                            ctx.fireUserEventTriggered(evt);
                                        }

                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            try {
                                                received.writeBytes((ByteBuf) msg);
                                            } finally {
                                                ReferenceCountUtil.release(msg);
                                            }
                                            if (received.readableBytes() >= payload.length) {
                                                echoed.trySuccess(ByteBufUtil.getBytes(received));
                                            }
                                        }

                                        @Override
                                        public void handlerRemoved(ChannelHandlerContext ctx) {
                                            received.release();
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            echoed.tryFailure(new IllegalStateException(
                                                    "closed after " + received.readableBytes() + " echoed bytes"));
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            echoed.tryFailure(cause);
                                            ctx.close();
                                        }
                                    });
                        }
                    })
                    .connect(address).sync().channel();

            assertEquals(client.getCertificate(), peerSeenByServer.get(20, TimeUnit.SECONDS),
                    "the server must have authenticated the client's large certificate");
            assertArrayEquals(payload, echoed.get(20, TimeUnit.SECONDS));
        } finally {
            if (clientChannel != null) {
                clientChannel.close().sync();
            }
            if (serverChannel != null) {
                serverChannel.close().sync();
            }
            ReferenceCountUtil.release(serverContext);
            ReferenceCountUtil.release(clientContext);
        }
    }

    private static SslContextBuilder withLimit(SslContextBuilder builder, SslProvider provider) {
        // OpenSSL refuses a peer's certificate list above this limit; the JDK's own limit
        // (jdk.tls.maxHandshakeMessageSize, 32 KiB by default) is already large enough.
        return provider == SslProvider.OPENSSL
                ? builder.option(OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES, MAX_CERTIFICATE_LIST_BYTES)
                : builder;
    }
}
