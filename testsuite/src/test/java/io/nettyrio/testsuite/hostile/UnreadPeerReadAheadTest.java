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

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that sends 16 MiB to a RIO stream channel nobody reads (auto-read off, no {@code read()}). The channel keeps
 * one receive posted to see the peer's close (docs/transport.md, "Read path"), but reads ahead at most 64 KiB: the
 * registered memory it holds stays bounded and nothing is delivered, and the peer is held back by TCP. Once the
 * channel reads, every byte arrives in order, then the peer's close.
 */
@Timeout(60)
class UnreadPeerReadAheadTest {
    private static final int TOTAL = 16 << 20;
    /**
     * What the unread channel may hold in slots: the 64 KiB of read-ahead, each receive in a slot of at least 4 KiB
     * for the allocator's first guess of 2 KiB (twice the bytes), and the receive in flight (at most a 64 KiB
     * slot). Unbounded, it would hold what the peer sent less the kernel's buffers: megabytes.
     */
    private static final long MAX_HELD_SLOT_BYTES = 2 * 64 * 1024 + 64 * 1024;

    @RegisterExtension
    @Order(1)
    final HostileChecks checks = new HostileChecks();
    @RegisterExtension
    @Order(2)
    final HostileLoop loop = new HostileLoop();


    private long slotBytesInUse() {
        long[] counts = loop.allocator().metric().slotsInUse();
        long bytes = 0;
        for (int i = 0; i < counts.length; i++) {
            bytes += counts[i] * RioByteBufAllocator.slotSize(i);
        }
        return bytes;
    }

    @Test
    void anUnreadChannelReadsAheadAtMost64KiBAndThenEveryByteArrives() throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicReference<String> wrong = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<Channel> child = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        child.complete(ctx.channel());
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        try {
                            long at = received.get();
                            for (int i = buf.readerIndex(); i < buf.writerIndex(); i++, at++) {
                                if (buf.getByte(i) != (byte) (at * 31 >>> 7) && wrong.get() == null) {
                                    wrong.set("byte " + at);
                                }
                            }
                            received.set(at);
                        } finally {
                            ReferenceCountUtil.release(msg);
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closed.countDown();
                    }
                })
                .bind(Hostile.loopback(), 0).sync().channel();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try (Socket s = new Socket()) {
                s.connect(server.localAddress());
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (long at = 0; at < TOTAL; ) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ((at + i) * 31 >>> 7);
                    }
                    out.write(chunk);
                    at += chunk.length;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        Channel ch = child.get(10, TimeUnit.SECONDS);
        // The writer stalls against TCP's window; meanwhile the channel read ahead what it may, and then no more.
        long heldBefore = -1;
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(500);
            long held = slotBytesInUse();
            quiet = held == heldBefore ? quiet + 1 : 0;
            heldBefore = held;
        }
        // Unbounded, the channel would take all 16 MiB, see the close and deliver it all: these fail first.
        assertEquals(0, received.get(), "nothing is delivered before read()");
        assertTrue(!sent.isDone(), "the peer is held back: it cannot have sent 16 MiB");
        assertTrue(heldBefore > 0, "the channel keeps a receive posted while nobody reads");
        assertTrue(heldBefore <= MAX_HELD_SLOT_BYTES, "registered bytes held by an unread channel: " + heldBefore);

        ch.config().setAutoRead(true);
        sent.get(30, TimeUnit.SECONDS);
        assertTrue(closed.await(30, TimeUnit.SECONDS), "the peer's close is seen after its bytes");
        assertNull(wrong.get(), "bytes in order");
        assertEquals(TOTAL, received.get(), "every byte arrives");
        server.close().sync();
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }
}
