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
package io.nettyrio.apitest;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.RioByteBufAllocatorMetric;
import io.nettyrio.channel.RioChannelOption;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioDatagramChannelConfig;
import io.nettyrio.channel.RioEventLoop;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerConfig;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioServerSocketChannelConfig;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.channel.RioSocketChannelConfig;
import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guard of the public API: this test lives outside {@code io.nettyrio.channel} and {@code io.nettyrio.buffer},
 * as a user's code does, and compiles and calls every entry point a user reaches: the three channels' {@code config()}
 * types and their setters (chained, so each returns the public type), {@link RioChannelOption},
 * {@link RioIoHandler#newFactory}, {@link RioIoHandlerConfig}, {@link RioEventLoopGroup} and {@link RioEventLoop},
 * {@link RioByteBufAllocator} and its metric, and the handler's metric. If a type on that path stops being public,
 * this file stops compiling.
 */
@Timeout(60)
class PublicApiTest {

    @BeforeAll
    static void rioAvailable() {
        assumeTrue(Rio.isAvailable(), () -> "RIO not available: " + Rio.unavailabilityCause());
    }

    @Test
    void handlerConfigAndAllocator() throws Exception {
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(8L << 20)
                .cacheBytesPerClass(64 * 1024)
                .useCacheForAllThreads(false)
                .build();
        RioIoHandlerConfig config = new RioIoHandlerConfig()
                .setCompletionQueueSize(4096)
                .setCompletionBatchSize(64)
                .setPortBatchSize(16)
                .setAllocator(alloc);
        assertEquals(4096, config.getCompletionQueueSize());
        assertEquals(64, config.getCompletionBatchSize());
        assertEquals(16, config.getPortBatchSize());
        assertSame(alloc, config.getAllocator());
        assertEquals(8L << 20, alloc.maxRegisteredBytes());

        ByteBuf buf = alloc.directBuffer(100);
        try {
            RioByteBufAllocatorMetric metric = alloc.metric();
            assertTrue(metric.usedDirectMemory() > 0, metric::toString);
            assertTrue(metric.registeredBytes() > 0, metric::toString);
            int sizeClass = RioByteBufAllocator.sizeClassOf(100);
            assertTrue(metric.slotsInUse(sizeClass) > 0 && metric.slotsInUse()[sizeClass] > 0, metric::toString);
            assertEquals(8L << 20, metric.maxRegisteredBytes());
            assertTrue(metric.allocations() > 0, metric::toString);
            assertTrue(metric.peakRegisteredBytes() >= metric.registeredBytes());
            assertTrue(metric.cacheHits() >= 0 && metric.fallbacks() >= 0 && metric.ceilingRefusals() >= 0
                    && metric.dedicatedAllocations() >= 0 && metric.usedHeapMemory() >= 0);
        } finally {
            buf.release();
        }

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(config));
        EventLoopGroup defaults = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
        RioEventLoopGroup rioGroup = new RioEventLoopGroup(1);
        try {
            assertTrue(group.next().submit(() -> true).get(5, TimeUnit.SECONDS));
            assertTrue(defaults.next().submit(() -> true).get(5, TimeUnit.SECONDS));
            RioEventLoop loop = (RioEventLoop) rioGroup.next();
            RioIoHandlerMetric metric = loop.metric();
            assertEquals(0, metric.requestsInFlight());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            defaults.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            rioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void tcpConfigsFromUserCode() throws Exception {
        RioEventLoopGroup group = new RioEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                    .childOption(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 8)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            RioServerSocketChannel rioServer = (RioServerSocketChannel) server;
            RioServerSocketChannelConfig serverConfig = rioServer.config()
                    .setBacklog(64)
                    .setReuseAddress(true)
                    .setReceiveBufferSize(64 * 1024)
                    .setConnectTimeoutMillis(5000)
                    .setWriteBufferWaterMark(new WriteBufferWaterMark(8 * 1024, 32 * 1024))
                    .setAutoRead(true);
            assertEquals(64, serverConfig.getBacklog());
            assertTrue(serverConfig.isReuseAddress());

            BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
            RioSocketChannel client = (RioSocketChannel) new Bootstrap().group(group).channel(RioSocketChannel.class)
                    .option(RioChannelOption.RIO_OUTSTANDING_SENDS, 8)
                    .option(RioChannelOption.RIO_RECEIVE_SLOT_SIZE, 4096)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            echoed.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                            ReferenceCountUtil.release(msg);
                        }
                    }).connect(rioServer.localAddress()).sync().channel();
            RioSocketChannelConfig config = client.config()
                    .setTcpNoDelay(true)
                    .setKeepAlive(true)
                    .setSoLinger(1)
                    .setSendBufferSize(128 * 1024)
                    .setReceiveBufferSize(128 * 1024)
                    .setTrafficClass(0)
                    .setReuseAddress(true)
                    .setAllowHalfClosure(false)
                    .setRecvByteBufAllocator(new FixedRecvByteBufAllocator(2048))
                    .setWriteBufferHighWaterMark(64 * 1024)
                    .setWriteBufferLowWaterMark(32 * 1024)
                    .setAutoClose(true);
            assertTrue(config.isTcpNoDelay());
            assertTrue(config.isKeepAlive());
            assertEquals(1, config.getSoLinger());
            assertFalse(config.isAllowHalfClosure());
            assertEquals(8, config.getOption(RioChannelOption.RIO_OUTSTANDING_SENDS));
            assertEquals(4096, config.getOption(RioChannelOption.RIO_RECEIVE_SLOT_SIZE));

            client.writeAndFlush(client.alloc().directBuffer().writeBytes("hello".getBytes(StandardCharsets.US_ASCII)))
                    .sync();
            StringBuilder got = new StringBuilder();
            while (got.length() < 5) {
                String part = echoed.poll(10, TimeUnit.SECONDS);
                assertNotNull(part, "the echo arrives");
                got.append(part);
            }
            assertEquals("hello", got.toString());
            RioIoHandlerMetric metric = client.ioMetric();
            assertTrue(metric.completionsDequeued() > 0 && metric.dequeues() > 0, metric::toString);
            assertTrue(metric.requestsIssued() > 0 && metric.bytesSentZeroCopy() + metric.bytesCopied() >= 5,
                    metric::toString);
            assertTrue(metric.completionsPerDequeue() > 0 && metric.maxCompletionsPerDequeue() > 0);
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    // setMaxMessagesPerRead is deprecated in Netty but still offered and tested there; user code calls it.
    @SuppressWarnings("deprecation")
    void datagramConfigFromUserCode() throws Exception {
        RioEventLoopGroup group = new RioEventLoopGroup(1);
        try {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            RioDatagramChannel receiver = (RioDatagramChannel) new Bootstrap().group(group)
                    .channel(RioDatagramChannel.class)
                    .option(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 4)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            received.add(((DatagramPacket) msg).content().toString(StandardCharsets.US_ASCII));
                            ReferenceCountUtil.release(msg);
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            RioDatagramChannel sender = (RioDatagramChannel) new Bootstrap().group(group)
                    .channel(RioDatagramChannel.class).handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            RioDatagramChannelConfig config = sender.config()
                    .setBroadcast(false)
                    .setTimeToLive(16)
                    .setTrafficClass(0)
                    .setLoopbackModeDisabled(false)
                    .setSendBufferSize(64 * 1024)
                    .setReceiveBufferSize(64 * 1024)
                    .setReuseAddress(true)
                    .setMaxMessagesPerRead(4)
                    .setAutoRead(true);
            assertEquals(16, config.getTimeToLive());
            assertFalse(config.isBroadcast());
            assertEquals(4, receiver.config().getOption(RioChannelOption.RIO_OUTSTANDING_RECEIVES));
            sender.writeAndFlush(new DatagramPacket(sender.alloc().directBuffer()
                    .writeBytes("ping".getBytes(StandardCharsets.US_ASCII)), receiver.localAddress())).sync();
            assertEquals("ping", received.poll(10, TimeUnit.SECONDS));
            sender.close().sync();
            receiver.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
