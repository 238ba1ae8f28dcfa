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
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-copy paths: an echo server writing each received buffer back copies nothing, and a client writing
 * buffers from the channel's default allocator ({@link RioByteBufAllocator}) copies nothing either. The
 * {@link RioIoHandlerMetric} counters of each side's event loop prove it.
 */
@Timeout(60)
class RioZeroCopyEchoTest {
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;

    @BeforeEach
    void setUp() {
        assumeRioAvailable();
        // One loop per side: each side's counters are then its own.
        serverGroup = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
        clientGroup = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (serverGroup != null) {
            serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static byte pattern(long i) {
        return (byte) (i * 7 + i / 4093);
    }

    @Test
    void echoOfReceivedBuffersCopiesNothing() throws Exception {
        int total = 1_000_000;
        int chunk = 4000;
        AtomicReference<Channel> accepted = new AtomicReference<>();
        // Received buffers of at most COALESCE_MAX bytes may be copied, coalesced with their neighbours in a
        // flush; the echo server counts their bytes (event loop only).
        long[] smallReceived = new long[1];
        Channel server = new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.set(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        int n = ((ByteBuf) msg).readableBytes();
                        if (n <= RioSendGatherer.COALESCE_MAX) {
                            smallReceived[0] += n;
                        }
                        ctx.write(msg);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        ctx.flush();
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel client = new Bootstrap().group(clientGroup).channel(RioSocketChannel.class)
                .handler(new PatternCheck(total, done)).connect(server.localAddress()).sync().channel();
        try {
            RioByteBufAllocator alloc = assertInstanceOf(RioByteBufAllocator.class, client.config().getAllocator(),
                    "RioByteBufAllocator is the default ALLOCATOR of RIO channels");
            assertSame(RioByteBufAllocator.defaultAllocator(), alloc);
            // The client writes buffers from the channel's allocator: in registered memory, so not copied either.
            client.eventLoop().submit(() -> {
                for (long sent = 0; sent < total; sent += chunk) {
                    int n = (int) Math.min(chunk, total - sent);
                    byte[] bytes = new byte[n];
                    for (int i = 0; i < n; i++) {
                        bytes[i] = pattern(sent + i);
                    }
                    client.write(client.alloc().directBuffer(n).writeBytes(bytes));
                }
                client.flush();
            }).sync();
            done.get(30, TimeUnit.SECONDS);

            RioIoHandlerMetric serverMetric = ((RioSocketChannel) accepted.get()).ioMetric();
            RioIoHandlerMetric clientMetric = ((RioSocketChannel) client).ioMetric();
            assertNotNull(serverMetric);
            long small = accepted.get().eventLoop().submit(() -> smallReceived[0]).get();
            assertTrue(small < total, "most receives are larger than COALESCE_MAX: " + small);
            assertTrue(serverMetric.bytesCopied() <= small, "the echo server copied more than its small receives ("
                    + small + " bytes): " + serverMetric);
            assertEquals(total, serverMetric.bytesSentZeroCopy() + serverMetric.bytesCopied(),
                    serverMetric.toString());
            // The client's 4000-byte writes are above COALESCE_MAX: each goes out from its own slot.
            assertEquals(0, clientMetric.bytesCopied(), "the client copied: " + clientMetric);
            assertEquals(total, clientMetric.bytesSentZeroCopy(), clientMetric.toString());
            assertTrue(serverMetric.dequeues() > 0 && serverMetric.completionsPerDequeue() >= 1,
                    serverMetric.toString());
            assertTrue(serverMetric.requestsInFlight() > 0, "receives stay posted: " + serverMetric);
            assertTrue(alloc.metric().allocations() > 0 && alloc.metric().registeredBytes() > 0,
                    alloc.metric().toString());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void smallRegisteredBuffersFlushedTogetherAreCoalescedAndOneAloneIsNot() throws Exception {
        int messages = 16;
        int size = 200;
        long total = (long) (messages + 1) * size;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel server = patternCheckServer(total, done);
        Channel client = clientOf(server);
        try {
            RioIoHandlerMetric metric = ((RioSocketChannel) client).ioMetric();
            long[] offset = new long[1];
            // Sixteen small buffers of the channel's allocator in one flush: copied side by side into one slot.
            client.eventLoop().submit(() -> {
                for (int m = 0; m < messages; m++) {
                    client.write(patterned(client, offset, size));
                }
                client.flush();
            }).sync();
            while (metric.bytesCopied() + metric.bytesSentZeroCopy() < (long) messages * size) {
                Thread.sleep(1);
            }
            assertEquals((long) messages * size, metric.bytesCopied(), metric.toString());
            assertEquals(0, metric.bytesSentZeroCopy(), metric.toString());
            // One small buffer alone in its flush: sent from its own slot.
            client.eventLoop().submit(() -> client.writeAndFlush(patterned(client, offset, size))).sync();
            done.get(30, TimeUnit.SECONDS);
            assertEquals(size, metric.bytesSentZeroCopy(), metric.toString());
            assertEquals((long) messages * size, metric.bytesCopied(), metric.toString());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    /** A server whose connections check that {@code total} bytes of {@link #pattern} arrive, then complete done. */
    private Channel patternCheckServer(long total, CompletableFuture<Void> done) throws InterruptedException {
        return new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                .childHandler(new PatternCheck(total, done))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A RIO client connected to {@code server}, on the client group, that ignores what it reads. */
    private Channel clientOf(Channel server) throws InterruptedException {
        return new Bootstrap().group(clientGroup).channel(RioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
    }

    /** A buffer of {@code channel}'s allocator holding the next {@code size} bytes of {@link #pattern}. */
    private static ByteBuf patterned(Channel channel, long[] offset, int size) {
        ByteBuf buf = channel.alloc().directBuffer(size);
        for (int i = 0; i < size; i++) {
            buf.writeByte(pattern(offset[0]++));
        }
        return buf;
    }

    @Test
    void heapBuffersAreCopiedAndCounted() throws Exception {
        CompletableFuture<Long> got = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    private long n;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        n += ((ByteBuf) msg).readableBytes();
                        ReferenceCountUtil.release(msg);
                        if (n == 10_000) {
                            got.complete(n);
                        }
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Channel client = clientOf(server);
        try {
            client.writeAndFlush(client.alloc().heapBuffer(10_000).writeZero(10_000)).sync();
            assertEquals(10_000L, got.get(30, TimeUnit.SECONDS));
            RioIoHandlerMetric metric = ((RioSocketChannel) client).ioMetric();
            assertEquals(10_000, metric.bytesCopied(), metric.toString());
            assertEquals(0, metric.bytesSentZeroCopy(), metric.toString());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void compositeOfRegisteredBuffersIsSentComponentByComponent() throws Exception {
        int messages = 200;
        int part = 1000;
        long total = (long) messages * 3 * part;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel server = patternCheckServer(total, done);
        Channel client = clientOf(server);
        try {
            client.eventLoop().submit(() -> {
                long offset = 0;
                for (int m = 0; m < messages; m++) {
                    // Three components, each a buffer of the channel's allocator, so each in a slot of its own.
                    CompositeByteBuf composite = client.alloc().compositeDirectBuffer();
                    for (int c = 0; c < 3; c++) {
                        ByteBuf component = client.alloc().directBuffer(part);
                        for (int i = 0; i < part; i++) {
                            component.writeByte(pattern(offset++));
                        }
                        composite.addComponent(true, component);
                    }
                    client.write(composite);
                }
                client.flush();
            }).sync();
            done.get(30, TimeUnit.SECONDS);
            RioIoHandlerMetric metric = ((RioSocketChannel) client).ioMetric();
            assertEquals(0, metric.bytesCopied(), "a component in a registered slot was copied: " + metric);
            assertEquals(total, metric.bytesSentZeroCopy(), metric.toString());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void twoSlicesOfOneSlotInACompositeSendOneAndCopyTheOther() throws Exception {
        int part = 1000;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel server = patternCheckServer(2L * part, done);
        Channel client = clientOf(server);
        try {
            client.eventLoop().submit(() -> {
                ByteBuf whole = client.alloc().directBuffer(2 * part);
                for (int i = 0; i < 2 * part; i++) {
                    whole.writeByte(pattern(i));
                }
                CompositeByteBuf composite = client.alloc().compositeDirectBuffer();
                composite.addComponent(true, whole.retainedSlice(0, part));
                composite.addComponent(true, whole.retainedSlice(part, part));
                whole.release();
                client.writeAndFlush(composite);
            }).sync();
            done.get(30, TimeUnit.SECONDS);
            RioIoHandlerMetric metric = ((RioSocketChannel) client).ioMetric();
            // One request per registered slot at a time: the first slice goes out from the slot, the second,
            // in the same slot while that send is pending, is copied.
            assertEquals(part, metric.bytesSentZeroCopy(), metric.toString());
            assertEquals(part, metric.bytesCopied(), metric.toString());
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    /** Checks that {@code total} bytes of {@link #pattern} arrive in order, then completes {@code done}. */
    private static final class PatternCheck extends ChannelInboundHandlerAdapter {
        private final long total;
        private final CompletableFuture<Void> done;
        private long received;

        PatternCheck(long total, CompletableFuture<Void> done) {
            this.total = total;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                // Bulk reads: with PARANOID leak detection every access is recorded.
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                for (byte actual : bytes) {
                    byte expected = pattern(received);
                    if (actual != expected) {
                        done.completeExceptionally(new AssertionError("byte " + received + " is " + actual
                                + ", expected " + expected));
                        return;
                    }
                    received++;
                }
            } finally {
                ReferenceCountUtil.release(buf);
            }
            if (received == total) {
                done.complete(null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
