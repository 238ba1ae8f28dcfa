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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotByteBuf;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.channel.FakeRio.await;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * The write/flush mapping onto {@code RIOSend}, over a mocked {@link io.nettyrio.rio.RegisteredIo}: exactly which
 * sends are issued, with which flags and bytes, and when promises complete.
 */
@Timeout(30)
class RioSocketChannelWriteTest {
    private FakeRio fake;
    private EventLoopGroup group;
    private RioSocketChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeRio();
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()));
    }

    @AfterEach
    void tearDown() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private RioSocketChannel connect(int outstandingSends) throws Exception {
        Channel ch = new Bootstrap().group(group)
                .channelFactory(() -> new RioSocketChannel(fake.sockets))
                .option(RioChannelOption.RIO_OUTSTANDING_SENDS, outstandingSends)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress("127.0.0.1", 9)).sync().channel();
        channel = (RioSocketChannel) ch;
        return channel;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void oneWriteAndFlushIsOneCommittedSend() throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] data = bytes(100, 1);
        ChannelFuture f = ch.writeAndFlush(Unpooled.wrappedBuffer(data));
        await(() -> fake.sends.size() == 1, "one send");
        FakeRio.SendCall send = fake.sends.get(0);
        assertEquals(0, send.flags(), "a lone send commits itself: no RIO_MSG_DEFER");
        assertArrayEquals(data, send.bytes());
        assertFalse(f.isDone(), "the promise waits for the completion");
        fake.completeSend(0, 100);
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        assertEquals(1, fake.sends.size());
    }

    @Test
    void manyWritesThenOneFlushAreCoalescedIntoOneSend() throws Exception {
        RioSocketChannel ch = connect(16);
        List<ChannelFuture> futures = new ArrayList<>();
        byte[][] parts = new byte[10][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = bytes(10 + i, i);
            futures.add(ch.write(Unpooled.wrappedBuffer(parts[i])));
        }
        Thread.sleep(50);
        assertTrue(fake.sends.isEmpty(), "write() alone sends nothing");
        ch.flush();
        await(() -> fake.sends.size() == 1, "one send");
        assertEquals(0, fake.sends.get(0).flags());
        assertArrayEquals(concat(parts), fake.sends.get(0).bytes());
        fake.completeSend(0, fake.sends.get(0).length());
        for (ChannelFuture f : futures) {
            assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        }
    }

    @Test
    void moreWritesThanTheCapacityWaitForCompletions() throws Exception {
        RioSocketChannel ch = connect(4);
        int size = RioSocketChannel.MAX_STAGING_SIZE;
        List<ChannelFuture> futures = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            parts.add(bytes(size, i));
            futures.add(ch.write(Unpooled.wrappedBuffer(parts.get(i))));
        }
        ch.flush();
        await(() -> fake.sends.size() == 4, "four sends");
        Thread.sleep(50);
        assertEquals(4, fake.sends.size(), "never more sends than RIO_OUTSTANDING_SENDS");
        for (int i = 0; i < 4; i++) {
            assertEquals(i < 3 ? RIO_MSG_DEFER : 0, fake.sends.get(i).flags(), "send " + i);
            assertArrayEquals(parts.get(i), fake.sends.get(i).bytes(), "send " + i);
        }
        fake.completeSend(0, size);
        assertTrue(futures.get(0).await(10, TimeUnit.SECONDS) && futures.get(0).isSuccess());
        await(() -> fake.sends.size() == 5, "a fifth send after one completion");
        assertEquals(0, fake.sends.get(4).flags());
        assertArrayEquals(parts.get(4), fake.sends.get(4).bytes());
        assertFalse(futures.get(1).isDone());
        for (int i = 1; i < 5; i++) {
            fake.completeSend(0, size);
        }
        await(() -> fake.sends.size() == 6, "the sixth send");
        assertArrayEquals(parts.get(5), fake.sends.get(5).bytes());
        fake.completeSend(0, size);
        for (ChannelFuture f : futures) {
            assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        }
        await(ch::isWritable, "writable again");
    }

    @Test
    void sendRefusedWithNoBufsWaitsForACompletionAndRetries() throws Exception {
        // RIOSend fails with WSAENOBUFS when the completion queue is full ("RIOSend function (mswsock.h)"): that is
        // backpressure, not an error of the channel. The writes wait for a completion and go out after it.
        RioSocketChannel ch = connect(16);
        int size = RioSocketChannel.MAX_STAGING_SIZE;
        byte[][] parts = {bytes(size, 1), bytes(size, 2), bytes(size, 3)};
        fake.refuseSendAt = 1;
        List<ChannelFuture> futures = new ArrayList<>();
        for (byte[] p : parts) {
            futures.add(ch.write(Unpooled.wrappedBuffer(p)));
        }
        ch.flush();
        // The first send was deferred, the second refused: the first is committed on its own.
        await(() -> fake.refusedSends.get() == 1 && fake.sends.size() == 2, "a refused send and a commit");
        assertEquals(RIO_MSG_DEFER, fake.sends.get(0).flags());
        assertArrayEquals(parts[0], fake.sends.get(0).bytes());
        assertEquals(io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY, fake.sends.get(1).flags());
        Thread.sleep(50);
        assertTrue(ch.isOpen(), "WSAENOBUFS must not close the channel");
        assertFalse(futures.get(1).isDone(), "the refused write waits");
        fake.completeSend(0, size);
        await(() -> fake.sends.size() == 4, "the refused writes are sent after the completion");
        assertArrayEquals(parts[1], fake.sends.get(2).bytes());
        assertArrayEquals(parts[2], fake.sends.get(3).bytes());
        fake.completeSend(0, size);
        fake.completeSend(0, size);
        for (ChannelFuture f : futures) {
            assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        }
    }

    @Test
    void sendRefusedWithNoBufsAndNothingInFlightIsRetried() throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] data = bytes(100, 9);
        fake.refuseSendAt = 0;
        ChannelFuture f = ch.writeAndFlush(Unpooled.wrappedBuffer(data));
        await(() -> fake.refusedSends.get() == 1, "a refused send");
        // No completion will come to flush again: the channel retries by itself.
        await(() -> fake.sends.size() == 1, "the send is retried");
        assertArrayEquals(data, fake.sends.get(0).bytes());
        assertTrue(ch.isOpen());
        fake.completeSend(0, 100);
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
    }

    @Test
    void compositeBufferIsGatheredIntoOneSlot() throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] a = bytes(300, 1);
        byte[] b = bytes(500, 2);
        byte[] c = bytes(7, 3);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        ByteBuf direct = Unpooled.directBuffer(b.length).writeBytes(b);
        composite.addComponents(true, Unpooled.wrappedBuffer(a), direct, Unpooled.wrappedBuffer(c));
        ChannelFuture f = ch.writeAndFlush(composite);
        await(() -> fake.sends.size() == 1, "one send");
        assertEquals(0, fake.sends.get(0).flags());
        assertArrayEquals(concat(a, b, c), fake.sends.get(0).bytes());
        fake.completeSend(0, 807);
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        assertEquals(0, composite.refCnt());
    }

    @Test
    void fileRegionIsStagedAndSentInOrder(@TempDir Path dir) throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] content = bytes(100_000, 5);
        Path file = Files.write(dir.resolve("region"), content);
        DefaultFileRegion region = new DefaultFileRegion(file.toFile(), 10, content.length - 10);
        ChannelFuture f = ch.writeAndFlush(region);
        await(() -> fake.sends.size() == 2, "two sends");
        assertEquals(RIO_MSG_DEFER, fake.sends.get(0).flags());
        assertEquals(0, fake.sends.get(1).flags());
        assertArrayEquals(Arrays.copyOfRange(content, 10, content.length),
                concat(fake.sends.get(0).bytes(), fake.sends.get(1).bytes()));
        fake.completeSend(0, fake.sends.get(0).length());
        Thread.sleep(50);
        assertFalse(f.isDone(), "half of the region is not the region");
        fake.completeSend(0, fake.sends.get(1).length());
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        assertEquals(0, region.refCnt());
    }

    @Test
    void writeWhileASendIsInFlightIsSentBehindIt() throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(2000, 2);
        ChannelFuture fa = ch.writeAndFlush(Unpooled.wrappedBuffer(a));
        await(() -> fake.sends.size() == 1, "first send");
        ChannelFuture fb = ch.writeAndFlush(Unpooled.wrappedBuffer(b));
        await(() -> fake.sends.size() == 2, "second send");
        assertEquals(0, fake.sends.get(1).flags());
        assertArrayEquals(a, fake.sends.get(0).bytes(), "the bytes in flight are not sent twice");
        assertArrayEquals(b, fake.sends.get(1).bytes());
        fake.completeSend(0, 1000);
        assertTrue(fa.await(10, TimeUnit.SECONDS) && fa.isSuccess());
        assertFalse(fb.isDone());
        fake.completeSend(0, 2000);
        assertTrue(fb.await(10, TimeUnit.SECONDS) && fb.isSuccess());
    }

    @Test
    void registeredBufferIsSentWithoutACopy() throws Exception {
        RioSocketChannel ch = connect(16);
        RioSlotByteBuf[] holder = new RioSlotByteBuf[1];
        ch.eventLoop().submit(() -> {
            RioSlot slot = ch.handler.pool().acquire(4096);
            holder[0] = new RioSlotByteBuf(ch.alloc(), slot, 0);
            holder[0].writeBytes(bytes(64, 9));
            return null;
        }).sync();
        RioSlotByteBuf buf = holder[0];
        ChannelFuture f = ch.writeAndFlush(buf);
        await(() -> fake.sends.size() == 1, "one send");
        assertEquals(buf.slot().bufferId(), fake.sends.get(0).bufferId(), "sent from its own registration");
        assertArrayEquals(bytes(64, 9), fake.sends.get(0).bytes());
        fake.completeSend(0, 64);
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        await(() -> buf.refCnt() == 0, "buffer released");
    }

    @Test
    void closeWithSendsInFlightKeepsTheirSlotsUntilTheyComplete() throws Exception {
        fake.completeOnClose = false;
        RioSocketChannel ch = connect(16);
        ChannelFuture f = ch.writeAndFlush(Unpooled.wrappedBuffer(bytes(5000, 1)));
        await(() -> fake.sends.size() == 1, "one send");
        int inUse = ch.eventLoop().submit(() -> ch.handler.pool().slotsInUse()).get();
        ChannelFuture closed = ch.close();
        verify(fake.sockets, timeout(10_000)).close(anyLong());
        assertFalse(ch.isOpen(), "the socket is closed at once");
        assertEquals(inUse, (int) ch.eventLoop().submit(() -> ch.handler.pool().slotsInUse()).get(),
                "the kernel may still read the slot: it stays out of the pool");
        assertFalse(f.isDone(), "the write fails once its send is back");
        assertFalse(closed.isDone(), "the close waits for the send in flight");
        // closesocket completes the pending requests with an error; they are still dequeued.
        fake.completeSend(WsaError.WSA_OPERATION_ABORTED, 0);
        fake.completePendingReceives(WsaError.WSA_OPERATION_ABORTED);
        closed.sync();
        assertTrue(f.await(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, f.cause());
        await(() -> {
            try {
                return ch.eventLoop().submit(() -> ch.handler.pool().slotsInUse()).get() == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "slots back in the pool");
        assertEquals(1, fake.sends.size(), "nothing sent after close");
    }

    @Test
    void closeWithAZeroCopySendInFlightReleasesTheBufferBeforeFailingItsPromise() throws Exception {
        // Netty's SocketBufReleaseTest: a listener on the failed write sees only the reference its writer kept.
        fake.completeOnClose = false;
        RioSocketChannel ch = connect(16);
        java.util.concurrent.CountDownLatch inactive = new java.util.concurrent.CountDownLatch(1);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
                inactive.countDown();
            }
        });
        RioSlotByteBuf[] holder = new RioSlotByteBuf[1];
        ch.eventLoop().submit(() -> {
            RioSlot slot = ch.handler.pool().acquire(4096);
            holder[0] = new RioSlotByteBuf(ch.alloc(), slot, 0);
            holder[0].writeBytes(bytes(64, 3));
            return null;
        }).sync();
        RioSlotByteBuf buf = holder[0];
        buf.retain();
        // The promise wakes its waiters before it runs its listeners, so the test waits for the listener itself.
        CompletableFuture<Integer> refCntSeen = new CompletableFuture<>();
        ChannelFuture f = ch.writeAndFlush(buf).addListener(future -> refCntSeen.complete(buf.refCnt()));
        await(() -> fake.sends.size() == 1, "one send");
        assertEquals(buf.slot().bufferId(), fake.sends.get(0).bufferId(), "sent without a copy");
        ChannelFuture closed = ch.close();
        verify(fake.sockets, timeout(10_000)).close(anyLong());
        assertFalse(f.isDone(), "the write fails once its send is back");
        assertEquals(3, buf.refCnt(), "the writer's, the outbound buffer's and the send's: RIO may still read it");
        assertTrue(buf.slot().isInRequest());
        fake.completeSend(WsaError.WSA_OPERATION_ABORTED, 0);
        fake.completePendingReceives(WsaError.WSA_OPERATION_ABORTED);
        closed.sync();
        assertTrue(f.await(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, f.cause());
        assertEquals(1, refCntSeen.get(10, TimeUnit.SECONDS), "the listener sees the buffer released by the channel");
        assertTrue(inactive.await(10, TimeUnit.SECONDS), "channelInactive fired");
        assertFalse(ch.isActive());
        assertFalse(buf.slot().isInRequest());
        assertTrue(buf.release());
    }

    @Test
    void secondCloseWhileTheFirstWaitsCompletesWithIt() throws Exception {
        fake.completeOnClose = false;
        RioSocketChannel ch = connect(16);
        ChannelFuture f = ch.writeAndFlush(Unpooled.wrappedBuffer(bytes(100, 2)));
        await(() -> fake.sends.size() == 1, "one send");
        ChannelFuture first = ch.close();
        verify(fake.sockets, timeout(10_000)).close(anyLong());
        ChannelFuture second = ch.close();
        ChannelFuture late = ch.writeAndFlush(Unpooled.wrappedBuffer(bytes(10, 4)));
        Thread.sleep(50);
        assertFalse(first.isDone());
        assertFalse(second.isDone());
        assertFalse(late.isDone(), "a write queued meanwhile fails with the close");
        fake.completeSend(WsaError.WSA_OPERATION_ABORTED, 0);
        fake.completePendingReceives(WsaError.WSA_OPERATION_ABORTED);
        assertTrue(first.await(10, TimeUnit.SECONDS) && first.isSuccess());
        assertTrue(second.await(10, TimeUnit.SECONDS) && second.isSuccess());
        assertTrue(f.await(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, f.cause());
        assertTrue(late.await(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, late.cause());
        verify(fake.sockets).close(anyLong());
        assertEquals(1, fake.sends.size(), "nothing sent after close");
    }

    @Test
    void listenerThatFlushesOnCompletionDoesNotResendCompletedBytes() throws Exception {
        // Regression: completing a promise runs listeners; one that writes and flushes must not gather while the
        // completed bytes are still at the head of the outbound buffer (TLS saw bad_record_mac from this).
        RioSocketChannel ch = connect(16);
        byte[] a = bytes(3000, 1);
        byte[] b = bytes(70, 2);
        byte[] c = bytes(500, 3);
        ch.eventLoop().submit(() -> {
            ch.write(Unpooled.wrappedBuffer(a)).addListener(f -> ch.writeAndFlush(Unpooled.wrappedBuffer(c)));
            ch.write(Unpooled.wrappedBuffer(b));
            ch.flush();
        }).sync();
        await(() -> fake.sends.size() == 1, "one send");
        assertArrayEquals(concat(a, b), fake.sends.get(0).bytes());
        fake.completeSend(0, a.length + b.length);
        await(() -> fake.sends.size() == 2, "the listener's send");
        Thread.sleep(50);
        assertEquals(2, fake.sends.size());
        assertArrayEquals(c, fake.sends.get(1).bytes(), "only the new bytes, nothing sent twice");
        fake.completeSend(0, c.length);
    }

    @Test
    void listenerFlushingBetweenTwoSendsInFlight() throws Exception {
        RioSocketChannel ch = connect(16);
        byte[] a = bytes(RioSocketChannel.MAX_STAGING_SIZE, 1);
        byte[] b = bytes(100, 2);
        byte[] c = bytes(200, 3);
        ch.eventLoop().submit(() -> {
            ch.write(Unpooled.wrappedBuffer(a)).addListener(f -> ch.writeAndFlush(Unpooled.wrappedBuffer(c)));
            ch.write(Unpooled.wrappedBuffer(b));
            ch.flush();
        }).sync();
        await(() -> fake.sends.size() == 2, "two sends");
        assertEquals(RIO_MSG_DEFER, fake.sends.get(0).flags());
        assertArrayEquals(a, fake.sends.get(0).bytes());
        assertArrayEquals(b, fake.sends.get(1).bytes());
        fake.completeSend(0, a.length);
        await(() -> fake.sends.size() == 3, "the listener's send");
        assertArrayEquals(c, fake.sends.get(2).bytes(), "b is in flight: only c is new");
        fake.completeSend(0, b.length);
        fake.completeSend(0, c.length);
        Thread.sleep(50);
        assertEquals(3, fake.sends.size());
    }

    @Test
    void unsupportedMessageFailsItsPromise() throws Exception {
        RioSocketChannel ch = connect(16);
        ChannelFuture f = ch.writeAndFlush("not a buffer");
        assertTrue(f.await(10, TimeUnit.SECONDS));
        assertInstanceOf(UnsupportedOperationException.class, f.cause());
        assertTrue(fake.sends.isEmpty());
    }
}
