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
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that resets the connection (SO_LINGER 0, then close: an RST) in the middle of a transfer, against a RIO
 * server channel and a RIO client channel. The RIO side must see an IOException (a failed write, or
 * {@code exceptionCaught}), close, complete every write it was given (failed), give back every registered slot,
 * and its event loop must keep serving other connections (an echo through the same single loop before and after).
 */
@Timeout(60)
class ResetMidTransferTest {
    /** 4 MiB in 64 KiB writes: far more than loopback's socket buffers hold, so sends are in flight at the RST. */
    private static final int CHUNKS = 64;
    private static final int CHUNK = 64 * 1024;

    @RegisterExtension
    final HostileChecks checks = new HostileChecks();

    private RioByteBufAllocator allocator;
    private EventLoopGroup group;
    private Channel echo;

    @BeforeEach
    void setUp() throws Exception {
        allocator = Hostile.newAllocator();
        // One loop: the echo server, the channel under attack and the check connections all share it.
        group = Hostile.newGroup(1, allocator);
        echo = Hostile.echoServer(group, allocator);
        Hostile.assertEchoes(echo, 1);
    }

    @AfterEach
    void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void assertSurvived() throws Exception {
        Hostile.assertEchoes(echo, 2);
        Hostile.assertRioClientEchoes(group, (InetSocketAddress) echo.localAddress(), 3);
        Hostile.await("every registered slot back (in use: " + Hostile.slotsInUse(allocator) + ')', 10_000,
                () -> Hostile.slotsInUse(allocator) == 0);
    }

    private static void assertWritesFailedWithIoException(Blaster blaster, Channel ch) throws Exception {
        Hostile.await("the RIO channel closed", 10_000, () -> !ch.isOpen());
        ch.closeFuture().await(10, TimeUnit.SECONDS);
        Hostile.await("every write promise done (" + blaster.done() + " of " + CHUNKS + ')', 10_000,
                () -> blaster.done() == CHUNKS);
        assertTrue(blaster.failed() > 0, "no write failed although the peer reset mid-transfer");
        Throwable cause = blaster.caught.isEmpty() ? blaster.firstWriteFailure() : blaster.caught.get(0);
        assertNotNull(cause);
        // The first failure says why: a reset (the later writes fail because the channel is closed by then).
        Throwable first = blaster.firstWriteFailure();
        assertTrue(cause instanceof IOException || first instanceof IOException,
                "expected an IOException, got " + cause + " / " + first);
    }

    private static void resetAfterReading(Socket peer, int bytes) throws IOException {
        InputStream in = peer.getInputStream();
        Hostile.readFully(in, bytes);
        peer.setSoLinger(true, 0);
        peer.close();
    }

    @ParameterizedTest
    @EnumSource(Blaster.Kind.class)
    void rioServerWritingToPeerThatResets(Blaster.Kind kind) throws Exception {
        Blaster blaster = new Blaster(kind, CHUNKS, CHUNK, 10);
        Promise<Channel> accepted = group.next().newPromise();
        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        accepted.trySuccess(ctx.channel());
                        ctx.pipeline().addLast(blaster);
                    }
                })
                .bind(Hostile.loopback(), 0).sync().channel();
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(16 * 1024);
            peer.connect(server.localAddress(), 10_000);
            resetAfterReading(peer, CHUNK);
        }
        Channel child = accepted.get(10, TimeUnit.SECONDS);
        assertWritesFailedWithIoException(blaster, child);
        server.close().sync();
        assertSurvived();
    }

    @ParameterizedTest
    @EnumSource(Blaster.Kind.class)
    void rioClientWritingToPeerThatResets(Blaster.Kind kind) throws Exception {
        Blaster blaster = new Blaster(kind, CHUNKS, CHUNK, 11);
        try (ServerSocket listener = new ServerSocket(0, 50, Hostile.loopback())) {
            listener.setReceiveBufferSize(16 * 1024);
            Channel client = new Bootstrap().group(group).channel(RioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, allocator)
                    .handler(blaster)
                    .connect(listener.getLocalSocketAddress()).sync().channel();
            try (Socket peer = listener.accept()) {
                resetAfterReading(peer, CHUNK);
            }
            assertWritesFailedWithIoException(blaster, client);
        }
        assertSurvived();
    }

    @Test
    void rioServerReadingFromPeerThatResets() throws Exception {
        Promise<Channel> accepted = group.next().newPromise();
        Promise<Throwable> caught = group.next().newPromise();
        Promise<Long> firstBytes = group.next().newPromise();
        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    private long received;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.trySuccess(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received += ((io.netty.buffer.ByteBuf) msg).readableBytes();
                        ReferenceCountUtil.release(msg);
                        if (received >= CHUNK) {
                            firstBytes.trySuccess(received);
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        caught.trySuccess(cause);
                        ctx.close();
                    }
                })
                .bind(Hostile.loopback(), 0).sync().channel();
        byte[] chunk = Hostile.payload(12, CHUNK);
        try (Socket peer = new Socket()) {
            peer.connect(server.localAddress(), 10_000);
            OutputStream out = peer.getOutputStream();
            out.write(chunk);
            firstBytes.get(10, TimeUnit.SECONDS);
            // More bytes in flight, then the reset: the RST arrives while receives are posted.
            out.write(chunk);
            peer.setSoLinger(true, 0);
        }
        Channel child = accepted.get(10, TimeUnit.SECONDS);
        Hostile.await("the RIO channel closed", 10_000, () -> !child.isOpen());
        assertInstanceOf(IOException.class, caught.get(10, TimeUnit.SECONDS));
        assertFalse(child.isActive());
        server.close().sync();
        assertSurvived();
        assertEquals(0, Hostile.slotsInUse(allocator));
    }
}
