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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-closure against a plain-socket peer, with the RIO channel as server and as client: after one side shuts its
 * output down, the other direction keeps going. Either the peer sends a request and shuts its output down, and the
 * RIO side (with {@code ALLOW_HALF_CLOSURE}) sees {@link ChannelInputShutdownEvent} after the whole request and then
 * writes a large response the peer receives whole; or the RIO side writes its request and calls
 * {@code shutdownOutput()}, the peer reads to end of stream and answers with a large response that the RIO side
 * receives whole. Every byte is checked (SHA-256 of seeded payloads).
 */
@Timeout(60)
class HalfCloseTest {
    private static final int REQUEST = 1 << 20;
    private static final int RESPONSE = 8 << 20;
    private static final int CHUNK = 64 * 1024;

    @RegisterExtension
    final HostileLoop loop = new HostileLoop();


    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** The RIO side of one exchange. */
    private final class RioSide extends ChannelInboundHandlerAdapter {
        final boolean rioHalfCloses;
        final byte[] request = Hostile.payload(20, REQUEST);
        final byte[] response = Hostile.payload(21, RESPONSE);
        final MessageDigest digest;
        long received;
        final Promise<long[]> requestSeen = loop.group().next().newPromise();
        final Promise<byte[]> responseSeen = loop.group().next().newPromise();
        final Promise<Void> responseWritten = loop.group().next().newPromise();

        RioSide(boolean rioHalfCloses) throws Exception {
            this.rioHalfCloses = rioHalfCloses;
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (rioHalfCloses) {
                ChannelFuture last = null;
                for (int off = 0; off < REQUEST; off += CHUNK) {
                    last = ctx.write(Unpooled.wrappedBuffer(request, off, CHUNK));
                }
                ctx.flush();
                last.addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        ((DuplexChannel) f.channel()).shutdownOutput();
                    } else {
                        responseSeen.tryFailure(f.cause());
                    }
                });
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                received += buf.readableBytes();
                digest.update(buf.nioBuffer());
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                byte[] hash = digest.digest();
                if (rioHalfCloses) {
                    // Our output was shut down first; the peer's whole response came in after it.
                    if (received == RESPONSE) {
                        responseSeen.trySuccess(hash);
                    } else {
                        responseSeen.tryFailure(new AssertionError("received " + received + " of " + RESPONSE));
                    }
                    ctx.close();
                } else {
                    requestSeen.trySuccess(new long[] {received});
                    try {
                        assertArrayEquals(sha256(request), hash, "request bytes");
                    } catch (Throwable t) {
                        requestSeen.tryFailure(t);
                    }
                    // The input is shut down; the output keeps going.
                    ChannelFuture last = null;
                    for (int off = 0; off < RESPONSE; off += CHUNK) {
                        last = ctx.write(Unpooled.wrappedBuffer(response, off, CHUNK));
                    }
                    ctx.flush();
                    last.addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            responseWritten.trySuccess(null);
                        } else {
                            responseWritten.tryFailure(f.cause());
                        }
                        f.channel().close();
                    });
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            requestSeen.tryFailure(cause);
            responseSeen.tryFailure(cause);
            responseWritten.tryFailure(cause);
            ctx.close();
        }

        /** The peer's half of the exchange, on the test thread. */
        void peer(Socket socket) throws Exception {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (rioHalfCloses) {
                byte[] got = in.readAllBytes();
                assertEquals(REQUEST, got.length, "request bytes before the RIO side's FIN");
                assertArrayEquals(sha256(request), sha256(got));
                out.write(response);
                out.flush();
                socket.shutdownOutput();
                byte[] hash = responseSeen.get(30, TimeUnit.SECONDS);
                assertArrayEquals(sha256(response), hash, "response bytes received by the RIO side");
            } else {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
                byte[] got = in.readAllBytes();
                assertEquals(REQUEST, requestSeen.get(30, TimeUnit.SECONDS)[0]);
                responseWritten.get(30, TimeUnit.SECONDS);
                assertEquals(RESPONSE, got.length, "response bytes after the peer's FIN");
                assertArrayEquals(sha256(response), sha256(got));
            }
        }
    }

    @ParameterizedTest(name = "RIO {0}, {1} half-closes")
    @CsvSource({"server, peer", "server, rio", "client, peer", "client, rio"})
    void otherDirectionKeepsGoing(String role, String halfCloser) throws Exception {
        RioSide rio = new RioSide("rio".equals(halfCloser));
        Channel ch;
        if ("server".equals(role)) {
            Promise<Channel> accepted = loop.group().next().newPromise();
            Channel server = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void handlerAdded(ChannelHandlerContext ctx) {
                            accepted.trySuccess(ctx.channel());
                            ctx.pipeline().addLast(rio);
                        }
                    })
                    .bind(Hostile.loopback(), 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.connect(server.localAddress(), 10_000);
                rio.peer(peer);
            }
            ch = accepted.get(10, TimeUnit.SECONDS);
            server.close().sync();
        } else {
            try (ServerSocket listener = new ServerSocket(0, 50, Hostile.loopback())) {
                ch = new Bootstrap().group(loop.group()).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .option(ChannelOption.ALLOCATOR, loop.allocator())
                        .handler(rio)
                        .connect(listener.getLocalSocketAddress()).sync().channel();
                try (Socket peer = listener.accept()) {
                    rio.peer(peer);
                }
            }
        }
        assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS), "the RIO channel closed at the end");
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }
}
