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
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenarios of Netty's {@code DetectPeerCloseWithoutReadTest} over the RIO transport. That class lives in
 * {@code netty-transport-native-unix-common-tests}, which Netty's epoll and io_uring transports run and which is not
 * served for 4.2.17 by the repository this build resolves from, so the scenarios are written here: one peer writes
 * 100 bytes and closes at once; the other has auto-read off and takes at most one 10-byte buffer per read.
 *
 * <p>Netty's own scenarios have the reader never call {@code read()}: epoll and io_uring still see the close
 * through a readiness event ({@code EPOLLRDHUP}, a poll request) and then read what is left. RIO has no readiness
 * event: a peer's close is seen only as a receive completing with 0 bytes ("RIOReceive function (mswsock.h)"), so a
 * RIO stream channel with auto-read off keeps one receive posted while it holds less than
 * {@code READ_AHEAD_BYTES} unread, and delivers what it holds with the close. The second test runs them; the first
 * runs a reader that asks to read: every byte arrives and then the close, with or without further {@code read()}
 * calls.
 */
@Timeout(30)
class RioDetectPeerCloseWithoutReadTest {
    private static final int BYTES = 100;
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        assumeRioAvailable();
        group = new MultiThreadIoEventLoopGroup(2, RioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** The reader calls {@code read()} once when the connection is up and again from each {@code channelRead}. */
    @ParameterizedTest(name = "{0} closes")
    @CsvSource({"client", "server"})
    void aCloseAfterDataIsSeenOnceTheReaderReads(String closer) throws Exception {
        run("client".equals(closer), new Counter(true, true));
    }

    /** Netty's scenarios: the reader never calls {@code read()} first; with {@code readOnRead} it reads on. */
    @ParameterizedTest(name = "{0} closes, reader calls read() from channelRead: {1}")
    @CsvSource({"client, false", "client, true", "server, false", "server, true"})
    void aCloseAfterDataIsSeenWithoutARead(String closer, boolean readOnRead) throws Exception {
        run("client".equals(closer), new Counter(false, readOnRead));
    }

    private static void run(boolean clientCloses, Counter reader) throws Exception {
        ServerBootstrap sb = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(clientCloses ? reader : new WriteAndClose());
                    }
                });
        Bootstrap cb = new Bootstrap().group(group).channel(RioSocketChannel.class)
                .handler(clientCloses ? new ChannelInboundHandlerAdapter() : reader);
        if (clientCloses) {
            slowReader(sb);
        } else {
            slowReader(cb);
        }
        Channel server = sb.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Channel client = null;
        try {
            client = cb.connect(server.localAddress()).sync().channel();
            if (clientCloses) {
                writeAndClose(client);
            }
            assertTrue(reader.closed.await(20, TimeUnit.SECONDS), () -> "the close was seen; bytes read: "
                    + reader.bytes.get());
            assertEquals(BYTES, reader.bytes.get(), "bytes read before the close");
        } finally {
            if (client != null) {
                client.close().sync();
            }
            server.close().sync();
        }
    }

    /** Auto-read off, one message per read() of at most a tenth of the data: the close needs several reads. */
    // MAX_MESSAGES_PER_READ is deprecated, but Netty still offers it and its DetectPeerCloseWithoutReadTest sets it.
    @SuppressWarnings("deprecation")
    private static void slowReader(ServerBootstrap sb) {
        sb.childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.MAX_MESSAGES_PER_READ, 1)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BYTES / 10));
    }

    // MAX_MESSAGES_PER_READ is deprecated, but Netty still offers it and its DetectPeerCloseWithoutReadTest sets it.
    @SuppressWarnings("deprecation")
    private static void slowReader(Bootstrap cb) {
        cb.option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 1)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BYTES / 10));
    }

    private static void writeAndClose(Channel ch) {
        ByteBuf data = ch.alloc().buffer(BYTES);
        data.writerIndex(BYTES);
        ch.writeAndFlush(data).addListener(ChannelFutureListener.CLOSE);
    }

    /** The writing server side: writes and closes as soon as the connection is up. */
    private static final class WriteAndClose extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            writeAndClose(ctx.channel());
            ctx.fireChannelActive();
        }
    }

    /** The reading side: counts bytes, asks for reads as told, and notes the close. */
    @ChannelHandler.Sharable
    private static final class Counter extends SimpleChannelInboundHandler<ByteBuf> {
        final AtomicInteger bytes = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        private final boolean readOnActive;
        private final boolean readOnRead;

        Counter(boolean readOnActive, boolean readOnRead) {
            this.readOnActive = readOnActive;
            this.readOnRead = readOnRead;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (readOnActive) {
                ctx.read();
            }
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            bytes.addAndGet(msg.readableBytes());
            if (readOnRead) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.countDown();
            ctx.fireChannelInactive();
        }
    }
}
