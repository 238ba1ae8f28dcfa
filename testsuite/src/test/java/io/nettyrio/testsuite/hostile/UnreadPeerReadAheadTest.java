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
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioServerSocketChannel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that sends more than the kernel's buffers can take to a RIO stream channel nobody reads (auto-read off, no
 * {@code read()}): in 64 KiB writes, or trickled in 1-byte writes with {@code TCP_NODELAY} (a slot per byte unless the
 * bound counts slots). The channel keeps one receive posted to see the peer's close (docs/transport.md, "Read
 * path"), but holds at most 64 KiB of registered memory in what it read ahead: nothing is delivered, and the peer is
 * held back by TCP. Once the channel reads, every byte arrives in order, then the peer's close.
 */
@Timeout(120)
class UnreadPeerReadAheadTest {
    /**
     * What the peer sends in 64 KiB writes: more than the largest send and receive buffers the kernel may give the
     * two sockets (the maxima of /proc/sys/net/ipv4/tcp_wmem and tcp_rmem, see tcp(7)), so that it must stall.
     */
    private static final long BULK = Math.max(16L << 20, 2 * (tcpMemMax("tcp_wmem") + tcpMemMax("tcp_rmem")));
    /** What the peer trickles a byte a write: enough for thousands of receives if nothing bounded them. */
    private static final long TRICKLE = 256 * 1024;
    /**
     * What the unread channel may hold in slots: the 64 KiB bound, one more receive's slot that crossed it, and the
     * receive in flight (at most a 64 KiB slot each). Unbounded, it would hold what the peer sent less the kernel's
     * buffers: megabytes, or a slot per trickled byte.
     */
    private static final long MAX_HELD_SLOT_BYTES = 3 * 64 * 1024;

    @RegisterExtension
    final HostileLoop loop = new HostileLoop();

    private static long tcpMemMax(String name) {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4", name)).trim().split("\\s+");
            return Long.parseLong(f[f.length - 1]);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read /proc/sys/net/ipv4/" + name, e);
        }
    }

    private long slotBytesInUse() {
        long[] counts = loop.allocator().metric().slotsInUse();
        long bytes = 0;
        for (int i = 0; i < counts.length; i++) {
            bytes += counts[i] * RioByteBufAllocator.slotSize(i);
        }
        return bytes;
    }

    private static byte patternAt(long at) {
        return (byte) (at * 31 >>> 7);
    }

    @ParameterizedTest(name = "writes of {0} B")
    @ValueSource(ints = {64 * 1024, 1})
    void anUnreadChannelHoldsAtMost64KiBAndThenEveryByteArrives(int writeSize) throws Exception {
        long total = writeSize == 1 ? TRICKLE : BULK;
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
                            // One bulk copy: at PARANOID every access of a leak-aware buffer records a stack
                            // trace, and a getByte per byte of the bulk case would take minutes.
                            byte[] bytes = ByteBufUtil.getBytes(buf);
                            long at = received.get();
                            for (int i = 0; i < bytes.length; i++, at++) {
                                if (bytes[i] != patternAt(at) && wrong.get() == null) {
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
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(server.localAddress());
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[writeSize];
                for (long at = 0; at < total; at += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = patternAt(at + i);
                    }
                    out.write(chunk);
                    written.set(at + chunk.length);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        Channel ch = child.get(10, TimeUnit.SECONDS);
        // Meanwhile the channel reads ahead what it may, and then no more: wait until the registered memory it
        // holds has not moved for a while (for the trickle, until the writer is done or that).
        long heldBefore = -1;
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(500);
            long held = slotBytesInUse();
            quiet = held == heldBefore ? quiet + 1 : 0;
            heldBefore = held;
        }
        // Unbounded, the channel would take everything, see the close and deliver it all: these fail first.
        assertEquals(0, received.get(), "nothing is delivered before read()");
        if (writeSize > 1) {
            assertTrue(!sent.isDone(), "the peer is held back: it cannot have sent " + total + " bytes");
        }
        assertTrue(heldBefore > 0, "the channel keeps a receive posted while nobody reads");
        assertTrue(heldBefore <= MAX_HELD_SLOT_BYTES, "registered bytes held by an unread channel: " + heldBefore
                + " (peer wrote " + written.get() + " bytes)");

        ch.config().setAutoRead(true);
        sent.get(60, TimeUnit.SECONDS);
        assertTrue(closed.await(30, TimeUnit.SECONDS), "the peer's close is seen after its bytes");
        assertNull(wrong.get(), "bytes in order");
        assertEquals(total, received.get(), "every byte arrives");
        server.close().sync();
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }
}
