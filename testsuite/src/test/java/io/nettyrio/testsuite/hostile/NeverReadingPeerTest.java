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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that never reads (a plain socket with a small SO_RCVBUF), against a RIO channel, as server and as client,
 * that writes while it is writable (at most 64 MiB, far more than the kernel's buffers take). The writes must
 * stall: writability false, write promises pending, and nothing grows any more: the outbound bytes and the
 * registered memory in use stay within the bounds {@link SlowReaderTest} documents, and are the same a while later.
 * Then the RIO channel is closed: every pending promise fails and every registered slot comes back.
 */
@Timeout(60)
class NeverReadingPeerTest {
    private static final int TOTAL = 64 << 20;

    @RegisterExtension
    final HostileLoop loop = new HostileLoop();


    /**
     * Waits until the writer has made no progress for three seconds in a row: the stall. One quiet second was not
     * proof on a loaded machine, where the event loop itself may wait that long for a CPU; the checks that follow
     * (nothing grows in the next half second) would then see the writer carry on.
     */
    private static void awaitStall(Streamer streamer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lastDone = -1;
        int lastWritten = -1;
        int quietSeconds = 0;
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(1000);
            long done = streamer.done();
            int written = streamer.written();
            if (done == lastDone && written == lastWritten && streamer.channel != null
                    && !streamer.channel.isWritable()) {
                if (++quietSeconds == 3) {
                    return;
                }
            } else {
                quietSeconds = 0;
            }
            lastDone = done;
            lastWritten = written;
        }
        throw new AssertionError("the writes never stalled: " + streamer.written() + " bytes written");
    }

    private void checkStalledThenClose(Streamer streamer) throws Exception {
        awaitStall(streamer);
        Channel ch = streamer.channel;
        assertTrue(ch.isActive(), "the channel is still open while the peer does not read");
        assertFalse(ch.isWritable(), "writability false while the peer does not read");
        assertTrue(streamer.written() < TOTAL, "the writer stopped before the end: " + streamer.written());
        long pendingWrites = streamer.writes.size() - streamer.done();
        assertTrue(pendingWrites > 0, "write promises pending");
        ch.eventLoop().submit(() -> streamer.sample(ch)).sync();
        long inUse = loop.allocator().metric().usedDirectMemory();
        long registered = loop.allocator().metric().registeredBytes();
        Thread.sleep(500);
        ch.eventLoop().submit(() -> streamer.sample(ch)).sync();
        System.out.printf("never-reading peer: %d bytes accepted by the kernel (%d writes done), %d writes pending, "
                        + "max outbound bytes %d (bound %d), registered in use %d (max %d, bound %d), "
                        + "registered %d%n",
                streamer.succeeded() * SlowReaderTest.CHUNK, streamer.done(), pendingWrites,
                streamer.maxPendingBytes.get(), SlowReaderTest.PENDING_BOUND, inUse,
                streamer.maxRegisteredInUse.get(), SlowReaderTest.REGISTERED_BOUND, registered);
        assertEquals(inUse, loop.allocator().metric().usedDirectMemory(), "registered memory in use grew while stalled");
        assertEquals(registered, loop.allocator().metric().registeredBytes(), "registered bytes grew while stalled");
        assertTrue(streamer.maxPendingBytes.get() <= SlowReaderTest.PENDING_BOUND,
                "outbound bytes " + streamer.maxPendingBytes.get() + " above " + SlowReaderTest.PENDING_BOUND);
        assertTrue(streamer.maxRegisteredInUse.get() <= SlowReaderTest.REGISTERED_BOUND,
                "registered memory in use " + streamer.maxRegisteredInUse.get() + " above "
                        + SlowReaderTest.REGISTERED_BOUND);

        ch.close().sync();
        Hostile.await("every write promise done", 10_000, () -> streamer.done() == streamer.writes.size());
        long failed = streamer.writes.stream().filter(f -> !f.isSuccess()).count();
        assertEquals(pendingWrites, failed, "the writes pending at close failed, and only those");
        for (ChannelFuture f : streamer.writes) {
            assertTrue(f.isSuccess() || f.cause() != null);
        }
        Hostile.await("every registered slot back (in use: " + Hostile.slotsInUse(loop.allocator()) + ')', 10_000,
                () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }

    @ParameterizedTest(name = "RIO {0}, {1} buffers")
    @MethodSource("io.nettyrio.testsuite.hostile.SlowReaderTest#cases")
    void writesStallWithBoundedMemoryThenFailOnClose(String role, Blaster.Kind kind) throws Exception {
        Streamer streamer = new Streamer(kind, TOTAL, SlowReaderTest.CHUNK, 40, loop.allocator());
        WriteBufferWaterMark marks = new WriteBufferWaterMark(SlowReaderTest.LOW, SlowReaderTest.HIGH);
        if ("server".equals(role)) {
            Channel server = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                    .childHandler(streamer)
                    .bind(Hostile.loopback(), 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(8 * 1024);
                peer.connect(server.localAddress(), 10_000);
                checkStalledThenClose(streamer);
            }
            server.close().sync();
        } else {
            try (ServerSocket listener = new ServerSocket()) {
                listener.setReceiveBufferSize(8 * 1024);
                listener.bind(new InetSocketAddress(Hostile.loopback(), 0));
                new Bootstrap().group(loop.group()).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, loop.allocator())
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                        .handler(streamer)
                        .connect(listener.getLocalSocketAddress()).sync();
                try (Socket _ = listener.accept()) { // the peer: connected, never reading
                    checkStalledThenClose(streamer);
                }
            }
        }
    }
}
