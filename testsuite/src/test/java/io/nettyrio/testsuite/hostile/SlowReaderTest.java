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
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A slow reader (a plain socket with a small SO_RCVBUF that reads 2 KiB at a time with a pause after each read)
 * against a RIO channel that writes 2 MiB while it is writable, as server and as client, with heap buffers (copied
 * into registered staging slots) and with buffers from the RIO allocator (sent without a copy). Writability must
 * flip to false and back; the channel's outbound bytes and the registered memory in use must stay within the
 * documented bounds (below); every byte must arrive intact.
 *
 * <p>Bounds. The RIO transport removes a message from the {@code ChannelOutboundBuffer} only when its send
 * completes, so the bytes of sends in flight are part of the outbound bytes, not added to them: the outbound bytes
 * stay below the high water mark plus one write (and Netty's per-entry overhead). Registered memory in use is
 * those bytes once (a registered write is its own slot; a heap write is copied into staging slots that are filled
 * before the next is taken, so at most the last one, of at most 64 KiB, is partly empty), plus the receives the
 * channel keeps posted: {@code HIGH + CHUNK + 64 KiB + RECEIVES}.
 */
@Timeout(60)
class SlowReaderTest {
    static final int LOW = 32 * 1024;
    static final int HIGH = 128 * 1024;
    static final int CHUNK = 16 * 1024;
    private static final int TOTAL = 2 << 20;
    /** Four posted receives of at most 64 KiB (RIO_OUTSTANDING_RECEIVES, RIO_RECEIVE_SLOT_SIZE defaults). */
    static final int RECEIVES = 4 * 64 * 1024;
    /** Netty's ChannelOutboundBuffer counts about this much per entry on top of the bytes. */
    static final int ENTRY_OVERHEAD = 96;
    static final long PENDING_BOUND = HIGH + CHUNK + (long) ENTRY_OVERHEAD * (HIGH / CHUNK + 2);
    /** The largest staging slot the transport fills (RioSocketChannel.MAX_STAGING_SIZE). */
    static final int MAX_STAGING = 64 * 1024;
    static final long REGISTERED_BOUND = HIGH + CHUNK + MAX_STAGING + RECEIVES;

    @RegisterExtension
    final HostileLoop loop = new HostileLoop();


    static List<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String role : new String[] {"server", "client"}) {
            for (Blaster.Kind kind : Blaster.Kind.values()) {
                list.add(Arguments.of(role, kind));
            }
        }
        return list;
    }

    private static byte[] readSlowly(Socket peer, int total) throws Exception {
        peer.setSoTimeout(30_000);
        InputStream in = peer.getInputStream();
        byte[] got = new byte[total];
        int n = 0;
        while (n < total) {
            int r = in.read(got, n, Math.min(2048, total - n));
            if (r < 0) {
                break;
            }
            n += r;
            Thread.sleep(0, 500_000);
        }
        assertEquals(total, n, "bytes received by the slow reader");
        return got;
    }

    @ParameterizedTest(name = "RIO {0}, {1} buffers")
    @MethodSource("cases")
    void writabilityFlipsAndMemoryStaysBounded(String role, Blaster.Kind kind) throws Exception {
        Streamer streamer = new Streamer(kind, TOTAL, CHUNK, 30, loop.allocator());
        WriteBufferWaterMark marks = new WriteBufferWaterMark(LOW, HIGH);
        byte[] got;
        if ("server".equals(role)) {
            Channel server = new ServerBootstrap().group(loop.group()).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, loop.allocator())
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                    .childHandler(streamer)
                    .bind(Hostile.loopback(), 0).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(8 * 1024);
                peer.connect(server.localAddress(), 10_000);
                got = readSlowly(peer, TOTAL);
            }
            server.close().sync();
        } else {
            try (ServerSocket listener = new ServerSocket()) {
                listener.setReceiveBufferSize(8 * 1024);
                listener.bind(new java.net.InetSocketAddress(Hostile.loopback(), 0));
                new Bootstrap().group(loop.group()).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, loop.allocator())
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                        .handler(streamer)
                        .connect(listener.getLocalSocketAddress()).sync();
                try (Socket peer = listener.accept()) {
                    got = readSlowly(peer, TOTAL);
                }
            }
        }
        assertArrayEquals(streamer.data, got, "bytes received by the slow reader");
        Hostile.await("every write done", 10_000, () -> streamer.done() == streamer.writes.size());
        assertEquals(streamer.writes.size(), streamer.succeeded(), "writes that succeeded");
        System.out.printf("slow reader, RIO %s, %s: %d writes, writability false %d times, true %d times, "
                        + "max outbound bytes %d (bound %d), max registered in use %d (bound %d)%n",
                role, kind, streamer.writes.size(), streamer.becameUnwritable.get(), streamer.becameWritable.get(),
                streamer.maxPendingBytes.get(), PENDING_BOUND, streamer.maxRegisteredInUse.get(), REGISTERED_BOUND);
        assertTrue(streamer.becameUnwritable.get() > 0, "writability never became false");
        assertTrue(streamer.becameWritable.get() > 0, "writability never came back");
        assertTrue(streamer.maxPendingBytes.get() <= PENDING_BOUND,
                "outbound bytes " + streamer.maxPendingBytes.get() + " above " + PENDING_BOUND);
        assertTrue(streamer.maxRegisteredInUse.get() <= REGISTERED_BOUND,
                "registered memory in use " + streamer.maxRegisteredInUse.get() + " above " + REGISTERED_BOUND);
        streamer.channel.close().sync();
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(loop.allocator()) == 0);
    }
}
