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
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RioDatagramChannel} over loopback through the real provider (with RioRules when the build switches them
 * on): IPv4, IPv6 and dual-stack sockets, the largest and the empty datagram, a burst larger than the send
 * capacity, and the socket options. Only 127.0.0.1 and ::1 are ever sent to.
 */
@Timeout(30)
class RioDatagramLoopbackTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        assumeRioAvailable();
        group = new MultiThreadIoEventLoopGroup(2, RioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    // RCVBUF_ALLOCATOR is deprecated in Netty but still offered and tested there; users set it.
    @SuppressWarnings("deprecation")
    private static DatagramChannel open(SocketProtocolFamily family, InetSocketAddress local,
                                        BlockingQueue<DatagramPacket> inbound, int outstandingSends)
            throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> family == null ? new RioDatagramChannel() : new RioDatagramChannel(family))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(RioChannelOption.RIO_OUTSTANDING_SENDS, outstandingSends)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        inbound.add(msg);
                    }
                })
                .bind(local).sync().channel();
    }

    private static byte[] payload(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static void exchange(SocketProtocolFamily family, String host) throws Exception {
        BlockingQueue<DatagramPacket> a = new LinkedBlockingQueue<>();
        BlockingQueue<DatagramPacket> b = new LinkedBlockingQueue<>();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName(host), 0);
        DatagramChannel ca = open(family, any, a, 16);
        DatagramChannel cb = open(family, any, b, 16);
        try {
            InetSocketAddress to = cb.localAddress();
            assertEquals(InetAddress.getByName(host), to.getAddress(), "local address as the user bound it");
            for (int size : new int[] {1, 100, 1472, 9000, RioDatagramChannel.MAX_DATAGRAM_SIZE, 0}) {
                byte[] data = payload(size, size);
                assertTrue(ca.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(data), to))
                        .await(5, TimeUnit.SECONDS));
                DatagramPacket got = b.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "no datagram of " + size + " bytes");
                try {
                    assertArrayEquals(data, ByteBufUtil.getBytes(got.content()), "datagram of " + size + " bytes");
                    assertEquals(ca.localAddress(), got.sender(), "the sender, from RIOReceiveEx's address slot");
                } finally {
                    got.release();
                }
            }
        } finally {
            ca.close().sync();
            cb.close().sync();
        }
    }

    @Test
    void ipv4() throws Exception {
        exchange(SocketProtocolFamily.INET, "127.0.0.1");
    }

    @Test
    void ipv6() throws Exception {
        exchange(SocketProtocolFamily.INET6, "::1");
    }

    @Test
    void dualStackSocketWithIpv4Peers() throws Exception {
        exchange(null, "127.0.0.1");
    }

    @Test
    void burstLargerThanTheSendCapacityArrivesWhole() throws Exception {
        BlockingQueue<DatagramPacket> a = new LinkedBlockingQueue<>();
        BlockingQueue<DatagramPacket> b = new LinkedBlockingQueue<>();
        InetSocketAddress lo = new InetSocketAddress("127.0.0.1", 0);
        DatagramChannel ca = open(SocketProtocolFamily.INET, lo, a, 4);
        DatagramChannel cb = open(SocketProtocolFamily.INET, lo, b, 4);
        try {
            int n = 200;
            List<ChannelFuture> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(ca.write(new DatagramPacket(Unpooled.wrappedBuffer(payload(512, i)),
                        cb.localAddress())));
            }
            ca.flush();
            for (ChannelFuture f : futures) {
                assertTrue(f.await(5, TimeUnit.SECONDS) && f.isSuccess(), "a send of the burst failed");
            }
            // Loopback with a 1 MiB receive buffer keeps all 200 x 512 bytes; each one arrives intact.
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                DatagramPacket got = b.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "datagram " + i + " of " + n + " missing");
                try {
                    byte[] bytes = ByteBufUtil.getBytes(got.content());
                    int seed = -1;
                    for (int s = 0; s < n; s++) {
                        if (bytes[0] == (byte) s && java.util.Arrays.equals(bytes, payload(512, s))) {
                            seed = s;
                            break;
                        }
                    }
                    assertTrue(seed >= 0 && !seen[seed], "a corrupted or duplicated datagram");
                    seen[seed] = true;
                } finally {
                    got.release();
                }
            }
        } finally {
            ca.close().sync();
            cb.close().sync();
        }
    }

    @Test
    void allocatorBuffersAreSentWithoutACopy() throws Exception {
        BlockingQueue<DatagramPacket> a = new LinkedBlockingQueue<>();
        BlockingQueue<DatagramPacket> b = new LinkedBlockingQueue<>();
        InetSocketAddress lo = new InetSocketAddress("127.0.0.1", 0);
        DatagramChannel ca = open(SocketProtocolFamily.INET, lo, a, 16);
        DatagramChannel cb = open(SocketProtocolFamily.INET, lo, b, 16);
        try {
            assertSame(RioByteBufAllocator.defaultAllocator(), ca.config().getAllocator(),
                    "RIO's registered allocator is the default ALLOCATOR of datagram channels");
            RioIoHandlerMetric metric = ((RioDatagramChannel) ca).ioMetric();
            long zeroCopy = metric.bytesSentZeroCopy();
            long copied = metric.bytesCopied();
            int n = 20;
            int size = 1000;
            for (int i = 0; i < n; i++) {
                ByteBuf buf = ca.alloc().directBuffer(size).writeBytes(payload(size, i));
                ChannelFuture f = ca.writeAndFlush(new DatagramPacket(buf, cb.localAddress()));
                assertTrue(f.await(5, TimeUnit.SECONDS) && f.isSuccess(), "send " + i);
                DatagramPacket got = b.poll(5, TimeUnit.SECONDS);
                assertNotNull(got, "datagram " + i);
                try {
                    assertArrayEquals(payload(size, i), ByteBufUtil.getBytes(got.content()));
                } finally {
                    got.release();
                }
            }
            assertEquals(copied, metric.bytesCopied(), "a buffer of the allocator is sent as it is");
            assertEquals((long) n * size, metric.bytesSentZeroCopy() - zeroCopy);
            ChannelFuture f = ca.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(payload(size, 99)),
                    cb.localAddress()));
            assertTrue(f.await(5, TimeUnit.SECONDS) && f.isSuccess());
            assertEquals(copied + size, metric.bytesCopied(), "a heap buffer is copied");
            DatagramPacket got = b.poll(5, TimeUnit.SECONDS);
            assertNotNull(got);
            got.release();
        } finally {
            ca.close().sync();
            cb.close().sync();
        }
    }

    @Test
    // RCVBUF_ALLOCATOR is deprecated in Netty but still offered and tested there; users set it.
    @SuppressWarnings("deprecation")
    void atTheCeilingOfRegisteredMemoryEveryDatagramArrives() throws Exception {
        // Room for both channels' receives and address slots, not for the sender's burst.
        long ceiling = 64 * 1024;
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(ceiling).cacheBytesPerClass(0).build();
        EventLoopGroup small = new MultiThreadIoEventLoopGroup(1,
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(alloc)));
        BlockingQueue<DatagramPacket> inbound = new LinkedBlockingQueue<>();
        try {
            Bootstrap b = new Bootstrap().group(small).channel(RioDatagramChannel.class)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096));
            Channel receiver = b.handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                    inbound.add(msg);
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Channel sender = b.handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress to = (InetSocketAddress) receiver.localAddress();
            // 64 x 4 KiB written at once: four times the ceiling, staged as slots come back (few enough that
            // the receiver's socket buffer holds them all whatever the pace of its reads).
            int n = 64;
            int size = 4096;
            List<ChannelFuture> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(sender.write(new DatagramPacket(Unpooled.wrappedBuffer(payload(size, i)), to)));
            }
            sender.flush();
            for (ChannelFuture f : futures) {
                assertTrue(f.await(10, TimeUnit.SECONDS) && f.isSuccess(), "a send at the ceiling failed");
            }
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                DatagramPacket got = inbound.poll(10, TimeUnit.SECONDS);
                assertNotNull(got, "datagram " + i + " of " + n + " missing");
                try {
                    byte[] bytes = ByteBufUtil.getBytes(got.content());
                    int seed = Byte.toUnsignedInt(bytes[0]);
                    for (int s = seed; s < n; s += 256) {
                        if (!seen[s] && java.util.Arrays.equals(bytes, payload(size, s))) {
                            seen[s] = true;
                            seed = -1;
                            break;
                        }
                    }
                    assertEquals(-1, seed, "a corrupted or duplicated datagram");
                } finally {
                    got.release();
                }
            }
            // A datagram larger than any slot the ceiling allows fails alone, at once; the channel stays open.
            ChannelFuture tooLarge = sender.writeAndFlush(new DatagramPacket(
                    Unpooled.wrappedBuffer(payload(40_000, 1)), to));
            assertTrue(tooLarge.await(5, TimeUnit.SECONDS));
            assertInstanceOf(java.io.IOException.class, tooLarge.cause());
            assertTrue(sender.isOpen());
            assertTrue(alloc.metric().peakRegisteredBytes() <= ceiling, alloc.metric()::toString);
            assertTrue(alloc.metric().ceilingRefusals() > 0, alloc.metric()::toString);
            sender.close().sync();
            receiver.close().sync();
        } finally {
            small.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), () -> "every slot came back: " + alloc.metric());
    }

    @Test
    void echoSendsTheReceivedSlotBack() throws Exception {
        BlockingQueue<DatagramPacket> a = new LinkedBlockingQueue<>();
        InetSocketAddress lo = new InetSocketAddress("127.0.0.1", 0);
        Channel echo = new Bootstrap().group(group).channel(RioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        // The received slot (possibly in a leak-detection wrapper) goes back as it is: no copy.
                        assertNotNull(io.nettyrio.buffer.internal.RioSlotByteBuf.unwrapSlot(msg.content()));
                        ctx.writeAndFlush(new DatagramPacket(msg.content(), msg.sender()));
                    }
                }).bind(lo).sync().channel();
        DatagramChannel client = open(SocketProtocolFamily.INET, lo, a, 16);
        try {
            for (int i = 0; i < 20; i++) {
                byte[] data = payload(300, i);
                client.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(data),
                        (InetSocketAddress) echo.localAddress()));
                DatagramPacket got = a.poll(5, TimeUnit.SECONDS);
                assertNotNull(got);
                try {
                    assertArrayEquals(data, ByteBufUtil.getBytes(got.content()));
                } finally {
                    got.release();
                }
            }
        } finally {
            client.close().sync();
            echo.close().sync();
        }
    }

    @Test
    void options() throws Exception {
        DatagramChannel ch = open(SocketProtocolFamily.INET, new InetSocketAddress("127.0.0.1", 0),
                new LinkedBlockingQueue<>(), 16);
        try {
            var config = ch.config();
            config.setBroadcast(true);
            assertTrue(config.isBroadcast());
            config.setBroadcast(false);
            assertFalse(config.isBroadcast());
            config.setReuseAddress(true);
            assertTrue(config.isReuseAddress());
            config.setSendBufferSize(256 * 1024);
            assertTrue(config.getSendBufferSize() >= 256 * 1024, "SO_SNDBUF " + config.getSendBufferSize());
            config.setReceiveBufferSize(256 * 1024);
            assertTrue(config.getReceiveBufferSize() >= 256 * 1024, "SO_RCVBUF " + config.getReceiveBufferSize());
            config.setTimeToLive(7);
            assertEquals(7, config.getTimeToLive());
            config.setLoopbackModeDisabled(true);
            assertTrue(config.isLoopbackModeDisabled());
            config.setLoopbackModeDisabled(false);
            assertFalse(config.isLoopbackModeDisabled());
            assertEquals(16, ch.config().getOption(RioChannelOption.RIO_OUTSTANDING_SENDS));
            assertThrows(IllegalArgumentException.class,
                    () -> ch.config().setOption(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> ch.config().setOption(RioChannelOption.RIO_OUTSTANDING_SENDS, 1025));
            assertThrows(IllegalArgumentException.class, () -> config.setTimeToLive(256));
            assertThrows(UnsupportedOperationException.class,
                    () -> new RioDatagramChannel(SocketProtocolFamily.UNIX));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void closedChannelLeaksNothing() throws Exception {
        BlockingQueue<DatagramPacket> b = new LinkedBlockingQueue<>();
        DatagramChannel ch = open(SocketProtocolFamily.INET, new InetSocketAddress("127.0.0.1", 0), b, 16);
        ByteBuf pending = Unpooled.wrappedBuffer(payload(100, 1));
        ChannelFuture f = ch.write(new DatagramPacket(pending, new InetSocketAddress("127.0.0.1", 9)));
        ch.close().sync();
        assertTrue(f.await(5, TimeUnit.SECONDS) && !f.isSuccess());
        assertEquals(0, pending.refCnt(), "the unsent datagram was released");
    }
}
