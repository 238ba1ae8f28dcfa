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
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.channel.FakeRio.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * The datagram write and read paths over a mocked {@link io.nettyrio.rio.RegisteredIo}: which RIOSendEx / RIOSend /
 * RIOReceiveEx calls are made, with which flags, bytes and address slots, when promises complete, and what bad input
 * does. The mock reads every {@code RIO_BUF} at the call, as RIO may when it runs the request.
 */
@Timeout(30)
class RioDatagramChannelWriteTest {
    /** One RIOSend(Ex) call: flags, the data (null for pData NULL), the destination (null for RIOSend). */
    record Call(boolean ex, int flags, int count, long dataBufferId, byte[] data, long addressRioBuf,
                long addressBufferId, InetSocketAddress address, long context) {
    }

    /** One RIOReceiveEx call. */
    record ReceiveCall(int flags, long dataBufferId, MemorySegment data, long addressRioBuf, MemorySegment address,
                       long context) {
    }

    private FakeRio fake;
    private EventLoopGroup group;
    private final List<Call> sends = new CopyOnWriteArrayList<>();
    private final List<ReceiveCall> receives = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    /** Contexts of the requests issued and not completed yet. */
    private final Set<Long> outstanding = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean abortOnClose = true;

    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeRio();
        doAnswer(inv -> {
            record(false, inv.getArgument(1), inv.getArgument(2), null, inv.getArgument(3), inv.getArgument(4));
            return null;
        }).when(fake.rio).send(anyLong(), any(), anyInt(), anyInt(), anyLong());
        doAnswer(inv -> {
            record(true, inv.getArgument(1), inv.getArgument(2), inv.getArgument(4), inv.getArgument(7),
                    inv.getArgument(8));
            return null;
        }).when(fake.rio).sendEx(anyLong(), any(), anyInt(), any(), any(), any(), any(), anyInt(), anyLong());
        doAnswer(inv -> {
            MemorySegment pData = ((MemorySegment) inv.getArgument(1)).reinterpret(16);
            MemorySegment pRemote = ((MemorySegment) inv.getArgument(4)).reinterpret(16);
            // Outstanding before it is recorded: a test that sees the receive may complete it at once.
            outstanding.add(inv.getArgument(8));
            receives.add(new ReceiveCall(inv.getArgument(7), (long) RioLayouts.RIO_BUF_BufferId.get(pData, 0L),
                    slice(pData), pRemote.address(), slice(pRemote), inv.getArgument(8)));
            return null;
        }).when(fake.rio).receiveEx(anyLong(), any(), anyInt(), any(), any(), any(), any(), anyInt(), anyLong());
        doAnswer(inv -> {
            int max = inv.getArgument(2);
            MemorySegment array = ((MemorySegment) inv.getArgument(1))
                    .reinterpret(RioLayouts.RIORESULT.byteSize() * max);
            int n = 0;
            long[] r;
            while (n < max && (r = results.poll()) != null) {
                long base = n * RioLayouts.RIORESULT.byteSize();
                RioLayouts.RIORESULT_Status.set(array, base, (int) r[0]);
                RioLayouts.RIORESULT_BytesTransferred.set(array, base, (int) r[1]);
                RioLayouts.RIORESULT_SocketContext.set(array, base, fake.socketContext);
                RioLayouts.RIORESULT_RequestContext.set(array, base, r[2]);
                n++;
            }
            return n;
        }).when(fake.rio).dequeueCompletion(anyLong(), any(), anyInt());
        // closesocket completes the pending requests with WSA_OPERATION_ABORTED (unless a test completes them).
        doAnswer(inv -> {
            if (abortOnClose) {
                abortOutstanding();
            }
            return null;
        }).when(fake.sockets).close(anyLong());
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()));
    }

    @AfterEach
    void tearDown() throws Exception {
        abortOnClose = true;
        abortOutstanding();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private MemorySegment slice(MemorySegment rioBuf) {
        long id = (long) RioLayouts.RIO_BUF_BufferId.get(rioBuf, 0L);
        int offset = (int) RioLayouts.RIO_BUF_Offset.get(rioBuf, 0L);
        int length = (int) RioLayouts.RIO_BUF_Length.get(rioBuf, 0L);
        return fake.registered.get(id).asSlice(offset, length);
    }

    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    private void record(boolean ex, MemorySegment pData, int count, MemorySegment pRemote, int flags, long context) {
        long dataId = 0;
        byte[] data = null;
        if (pData != null && !MemorySegment.NULL.equals(pData)) {
            MemorySegment buf = pData.reinterpret(16);
            dataId = (long) RioLayouts.RIO_BUF_BufferId.get(buf, 0L);
            data = slice(buf).toArray(ValueLayout.JAVA_BYTE);
        }
        long addressRioBuf = 0;
        long addressId = 0;
        InetSocketAddress address = null;
        if (pRemote != null && !MemorySegment.NULL.equals(pRemote)) {
            MemorySegment buf = pRemote.reinterpret(16);
            addressRioBuf = buf.address();
            addressId = (long) RioLayouts.RIO_BUF_BufferId.get(buf, 0L);
            MemorySegment sockaddr = slice(buf);
            assertEquals(SockaddrInet.SIZE, sockaddr.byteSize(), "pRemoteAddress must describe a SOCKADDR_INET");
            address = SockaddrInet.read(sockaddr, 0);
        }
        // Outstanding before it is recorded: a test that sees the send in {@link #sends} may complete it at once,
        // and complete() drops a completion of a request it does not know as outstanding.
        outstanding.add(context);
        sends.add(new Call(ex, flags, count, dataId, data, addressRioBuf, addressId, address, context));
    }

    private void abortOutstanding() {
        for (long context : outstanding) {
            complete(context, WsaError.WSA_OPERATION_ABORTED, 0);
        }
    }

    /**
     * Completes the request once: the test thread's tear-down and the event loop's socket close may both abort
     * what is outstanding, and a second completion of one request is one RIO never makes (the handler warns of it).
     */
    private void complete(long context, int status, int bytes) {
        if (!outstanding.remove(context)) {
            return;
        }
        results.add(new long[] {status, bytes, context});
        fake.port.complete(RioIoHandler.KEY_CQ, 0, 0, 0);
    }

    private RioDatagramChannel bind(int outstandingSends) throws Exception {
        return (RioDatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> new RioDatagramChannel(fake.sockets, SocketProtocolFamily.INET6))
                .option(RioChannelOption.RIO_OUTSTANDING_SENDS, outstandingSends)
                .option(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 4)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        inbound.add(msg.sender() + " "
                                + msg.content().toString(java.nio.charset.StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        inbound.add(cause);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The IPv4 address as the dual-stack socket speaks it: IPv4-mapped. */
    private static InetSocketAddress mapped(int port) throws Exception {
        byte[] ip = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        return new InetSocketAddress(java.net.Inet6Address.getByAddress(null, ip, 0), port);
    }

    @Test
    void datagramsOfOneFlushAreDeferredButTheLastEachWithItsOwnAddressSlot() throws Exception {
        RioDatagramChannel ch = bind(16);
        List<ChannelFuture> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(ch.write(new DatagramPacket(bytes("datagram-" + i), new InetSocketAddress("127.0.0.1",
                    5000 + i))));
        }
        Thread.sleep(50);
        assertTrue(sends.isEmpty(), "write() alone sends nothing");
        ch.flush();
        await(() -> sends.size() == 5, "five sends");
        Set<Long> addressBufs = new HashSet<>();
        Set<Long> dataRegistrations = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Call call = sends.get(i);
            assertTrue(call.ex(), "a DatagramPacket goes with RIOSendEx");
            assertEquals(i < 4 ? RioConstants.RIO_MSG_DEFER : 0, call.flags(), "all but the last deferred");
            assertArrayEquals(("datagram-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), call.data());
            assertEquals(mapped(5000 + i), call.address());
            assertTrue(addressBufs.add(call.addressRioBuf()), "each send has its own address RIO_BUF");
            assertTrue(dataRegistrations.add(call.dataBufferId()), "each send has its own data registration");
            assertNotEquals(call.dataBufferId(), call.addressBufferId());
        }
        // One commit per flush: no COMMIT_ONLY needed, the last call committed.
        assertTrue(futures.stream().noneMatch(ChannelFuture::isDone), "promises wait for their completions");
        // Completions out of order: promises still complete in order, each when all before it are done.
        complete(sends.get(1).context(), 0, 10);
        Thread.sleep(50);
        assertFalse(futures.get(0).isDone());
        assertFalse(futures.get(1).isDone(), "the second waits for the first");
        complete(sends.get(0).context(), 0, 10);
        assertTrue(futures.get(1).await(10, TimeUnit.SECONDS) && futures.get(0).isSuccess()
                && futures.get(1).isSuccess());
        for (int i = 2; i < 5; i++) {
            complete(sends.get(i).context(), 0, 10);
        }
        for (ChannelFuture f : futures) {
            assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        }
        ch.close().sync();
        assertPoolDrained(ch);
    }

    @Test
    void moreDatagramsThanTheCapacityWaitForCompletions() throws Exception {
        RioDatagramChannel ch = bind(2);
        List<ChannelFuture> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(ch.write(new DatagramPacket(bytes("d" + i), new InetSocketAddress("127.0.0.1", 6000))));
        }
        ch.flush();
        await(() -> sends.size() == 2, "two sends");
        Thread.sleep(50);
        assertEquals(2, sends.size(), "never more sends in flight than RIO_OUTSTANDING_SENDS");
        assertEquals(RioConstants.RIO_MSG_DEFER, sends.get(0).flags());
        assertEquals(0, sends.get(1).flags());
        complete(sends.get(0).context(), 0, 2);
        await(() -> sends.size() == 3, "a third send after a completion");
        assertEquals(0, sends.get(2).flags(), "a lone send commits itself");
        assertArrayEquals("d2".getBytes(java.nio.charset.StandardCharsets.US_ASCII), sends.get(2).data());
        complete(sends.get(1).context(), 0, 2);
        complete(sends.get(2).context(), 0, 2);
        await(() -> sends.size() == 5, "the rest");
        complete(sends.get(3).context(), 0, 2);
        complete(sends.get(4).context(), 0, 2);
        for (ChannelFuture f : futures) {
            assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
        }
    }

    @Test
    void emptyDatagramIsSentWithNullData() throws Exception {
        RioDatagramChannel ch = bind(16);
        ChannelFuture f = ch.writeAndFlush(new DatagramPacket(Unpooled.EMPTY_BUFFER,
                new InetSocketAddress("127.0.0.1", 7000)));
        await(() -> sends.size() == 1, "one send");
        Call call = sends.get(0);
        assertNull(call.data(), "pData NULL for an empty datagram (RIOSend allows it on a bound UDP socket)");
        assertEquals(0, call.count(), "DataBufferCount 0 with pData NULL");
        assertEquals(mapped(7000), call.address());
        complete(call.context(), 0, 0);
        assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess());
    }

    @Test
    void connectedChannelSendsPlainBuffersWithRioSend() throws Exception {
        RioDatagramChannel ch = bind(16);
        ch.connect(new InetSocketAddress("127.0.0.1", 9)).sync();
        assertTrue(ch.isConnected());
        ChannelFuture f1 = ch.write(bytes("plain"));
        ChannelFuture f2 = ch.write(new DefaultAddressedEnvelope<>(bytes("other"),
                new InetSocketAddress("127.0.0.1", 8000)));
        ch.flush();
        await(() -> sends.size() == 2, "two sends");
        assertFalse(sends.get(0).ex(), "a connected channel's plain buffer goes with RIOSend");
        assertNull(sends.get(0).address());
        assertEquals(RioConstants.RIO_MSG_DEFER, sends.get(0).flags());
        assertTrue(sends.get(1).ex(), "an envelope to another address goes with RIOSendEx");
        assertEquals(mapped(8000), sends.get(1).address());
        complete(sends.get(0).context(), 0, 5);
        complete(sends.get(1).context(), 0, 5);
        assertTrue(f1.await(10, TimeUnit.SECONDS) && f1.isSuccess());
        assertTrue(f2.await(10, TimeUnit.SECONDS) && f2.isSuccess());
    }

    @Test
    void badInputFailsItsPromiseAndLeavesTheChannelOpen() throws Exception {
        RioDatagramChannel ch = bind(16);
        ByteBuf big = Unpooled.buffer(RioDatagramChannel.MAX_DATAGRAM_SIZE + 1)
                .writeZero(RioDatagramChannel.MAX_DATAGRAM_SIZE + 1);
        ChannelFuture tooBig = ch.writeAndFlush(new DatagramPacket(big, new InetSocketAddress("127.0.0.1", 1)));
        assertTrue(tooBig.await(10, TimeUnit.SECONDS));
        assertInstanceOf(java.net.SocketException.class, tooBig.cause());
        assertInstanceOf(io.nettyrio.rio.RioException.class, tooBig.cause().getCause());
        assertTrue(tooBig.cause().getCause().getMessage().contains("65507"), tooBig.cause().getCause().getMessage());
        assertEquals(0, big.refCnt(), "the refused datagram is released");

        ByteBuf plain = bytes("unconnected");
        ChannelFuture notConnected = ch.writeAndFlush(plain);
        assertTrue(notConnected.await(10, TimeUnit.SECONDS));
        assertInstanceOf(NotYetConnectedException.class, notConnected.cause());
        assertEquals(0, plain.refCnt());

        ChannelFuture unresolved = ch.writeAndFlush(new DatagramPacket(bytes("x"),
                InetSocketAddress.createUnresolved("no.such.host", 1)));
        assertTrue(unresolved.await(10, TimeUnit.SECONDS));
        assertInstanceOf(UnresolvedAddressException.class, unresolved.cause());

        ChannelFuture unsupported = ch.writeAndFlush("a string");
        assertTrue(unsupported.await(10, TimeUnit.SECONDS));
        assertInstanceOf(UnsupportedOperationException.class, unsupported.cause());

        // A good datagram between bad ones: the bad ones fail, the good one is sent, in order.
        ChannelFuture bad = ch.write(bytes("bad"));
        ChannelFuture good = ch.write(new DatagramPacket(bytes("good"), new InetSocketAddress("127.0.0.1", 2)));
        ch.flush();
        await(() -> sends.size() == 1, "the good datagram sent");
        assertTrue(bad.await(10, TimeUnit.SECONDS));
        assertInstanceOf(NotYetConnectedException.class, bad.cause());
        complete(sends.get(0).context(), 0, 4);
        assertTrue(good.await(10, TimeUnit.SECONDS) && good.isSuccess());
        assertTrue(ch.isOpen() && ch.isActive(), "bad input does not close the channel");
    }

    @Test
    void receivesCarryTheSenderFromTheirOwnAddressSlot() throws Exception {
        RioDatagramChannel ch = bind(16);
        await(() -> receives.size() == 4, "four receives posted");
        Set<Long> addressBufs = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ReceiveCall r = receives.get(i);
            assertEquals(i < 3 ? RioConstants.RIO_MSG_DEFER : 0, r.flags(), "all but the last receive deferred");
            assertTrue(addressBufs.add(r.addressRioBuf()), "each receive has its own address RIO_BUF");
            assertEquals(SockaddrInet.SIZE, r.address().byteSize());
        }
        // RIO fills the second receive: data and the sender's SOCKADDR_INET (IPv4 from a dual-stack socket).
        ReceiveCall r = receives.get(1);
        MemorySegment.copy("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, r.data(),
                ValueLayout.JAVA_BYTE, 0, 5);
        SockaddrInet.write(r.address(), 0, new InetSocketAddress("127.0.0.1", 4321));
        complete(r.context(), 0, 5);
        assertEquals("/127.0.0.1:4321 hello", inbound.poll(10, TimeUnit.SECONDS));
        await(() -> receives.size() == 5, "the receive is replaced");
        // A port unreachable is reported and the channel stays open, as NIO does.
        complete(receives.get(0).context(), WsaError.WSAECONNRESET, 0);
        assertInstanceOf(java.net.PortUnreachableException.class, inbound.poll(10, TimeUnit.SECONDS));
        assertTrue(ch.isOpen());
        ch.close().sync();
        assertPoolDrained(ch);
    }

    @Test
    void closeKeepsMemoryOfSendsInFlightUntilTheyComplete() throws Exception {
        RioDatagramChannel ch = bind(16);
        ChannelFuture f = ch.writeAndFlush(new DatagramPacket(bytes("in flight"),
                new InetSocketAddress("127.0.0.1", 3)));
        await(() -> sends.size() == 1, "one send");
        abortOnClose = false;
        ChannelFuture closed = ch.close();
        verify(fake.sockets, timeout(10_000)).close(anyLong());
        assertFalse(ch.isOpen(), "the socket is closed at once");
        for (ReceiveCall r : receives) {
            complete(r.context(), WsaError.WSA_OPERATION_ABORTED, 0);
        }
        Thread.sleep(100);
        RioIoHandler handler = ch.handler;
        // The staging slot and both address blocks' slots are still referenced by the send in flight.
        assertTrue(handler.pool().slotsInUse() >= 2, "slots came back while a send referenced them: "
                + handler.pool().slotsInUse());
        // Netty's close (which fails the write) waits for the send in flight.
        assertFalse(f.isDone(), "the write fails once its send is back");
        assertFalse(closed.isDone(), "the close waits for the send in flight");
        complete(sends.get(0).context(), WsaError.WSA_OPERATION_ABORTED, 0);
        closed.sync();
        assertTrue(f.await(10, TimeUnit.SECONDS) && !f.isSuccess(), "close fails the pending write");
        assertPoolDrained(ch);
    }

    @Test
    void receivedSlotIsSentBackWithoutACopyAndCopiedWhenWrittenTwice() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1111);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 2222);
        RioDatagramChannel ch = (RioDatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> new RioDatagramChannel(fake.sockets, SocketProtocolFamily.INET6))
                .option(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 4)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        // The same registered buffer twice in one flush: only one request may use it at a time.
                        ctx.write(new DatagramPacket(msg.content().retain(), a));
                        ctx.write(new DatagramPacket(msg.content(), b));
                        ctx.flush();
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        await(() -> receives.size() == 4, "four receives posted");
        ReceiveCall r = receives.get(0);
        MemorySegment.copy("echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, r.data(),
                ValueLayout.JAVA_BYTE, 0, 4);
        SockaddrInet.write(r.address(), 0, new InetSocketAddress("127.0.0.1", 4321));
        complete(r.context(), 0, 4);
        await(() -> sends.size() == 2, "two sends");
        assertEquals(r.dataBufferId(), sends.get(0).dataBufferId(), "the received slot is sent as it is");
        assertNotEquals(r.dataBufferId(), sends.get(1).dataBufferId(), "the second write of it is copied");
        assertArrayEquals("echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII), sends.get(1).data());
        assertEquals(RioConstants.RIO_MSG_DEFER, sends.get(0).flags());
        assertEquals(0, sends.get(1).flags());
        assertEquals(mapped(1111), sends.get(0).address());
        assertEquals(mapped(2222), sends.get(1).address());
        assertTrue(ch.isActive());
        complete(sends.get(0).context(), 0, 4);
        complete(sends.get(1).context(), 0, 4);
        ch.close().sync();
        assertPoolDrained(ch);
    }

    private static void assertPoolDrained(RioDatagramChannel ch) throws InterruptedException {
        await(() -> ch.handler.pool().slotsInUse() == 0, "every slot back in the pool, got "
                + ch.handler.pool().slotsInUse());
    }
}
