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
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import io.nettyrio.testkit.EchoHandler;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ceiling of registered memory under load: several connections echo more data than the ceiling holds many
 * times over. Receives are posted later and sends wait for slots, and still every byte arrives, in order, with no
 * error, never more registered than the ceiling, and every slot back once the channels are closed.
 */
@Timeout(60)
class RioRegisteredCeilingTest {
    /** How the clients make the buffers they write. */
    enum Writes { DIRECT, HEAP, MIXED }

    /**
     * One run: {@code connections} clients echo {@code bytesPerConnection} each through a server, each side with
     * its own allocator of {@code ceiling} registered bytes (as two processes would have) and {@code loops} event
     * loops; {@code cacheBytesPerClass} 0 turns the event loops' slot caches off. Each client keeps up to
     * {@code window} bytes written and not yet echoed (a window larger than the sockets' buffers lets TCP's
     * zero-window probes pace the echo, with any transport: slow, not wrong).
     */
    record Scenario(String name, int connections, int bytesPerConnection, long ceiling, Writes writes, int loops,
                    int cacheBytesPerClass, int chunk, int window) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> scenarios() {
        return List.of(
                new Scenario("4 connections x 1 MiB, 512 KiB ceiling, direct and heap writes", 4, 1 << 20,
                        512 * 1024, Writes.MIXED, 1, 0, 16 * 1024, 256 * 1024),
                new Scenario("2 connections x 256 KiB, 24 KiB ceiling (a few slots), heap writes", 2, 256 * 1024,
                        24 * 1024, Writes.HEAP, 1, 0, 4096, 64 * 1024),
                new Scenario("3 connections x 512 KiB, 64 KiB ceiling, allocator direct writes", 3, 512 * 1024,
                        64 * 1024, Writes.DIRECT, 1, 0, 8192, 128 * 1024),
                new Scenario("6 connections x 512 KiB, 256 KiB ceiling, 2 loops per side, caches on", 6, 512 * 1024,
                        256 * 1024, Writes.MIXED, 2, 64 * 1024, 32 * 1024, 256 * 1024),
                new Scenario("2 connections x 512 KiB, 512 KiB ceiling, all written at once", 2, 512 * 1024,
                        512 * 1024, Writes.MIXED, 1, 0, 16 * 1024, Integer.MAX_VALUE));
    }

    private static byte pattern(int connection, long i) {
        return (byte) (i * 13 + connection + i / 1021);
    }

    /** A client's handler: writes the pattern within the window, and checks every byte echoed, in order. */
    private static final class Check extends ChannelInboundHandlerAdapter {
        private final Scenario s;
        private final int connection;
        private final int total;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long received;
        private long written;
        private int chunks;

        Check(Scenario s, int connection) {
            this.s = s;
            this.connection = connection;
            this.total = s.bytesPerConnection();
        }

        /** Writes what the window allows, and flushes. Event loop only. */
        void writeMore(Channel ch) {
            boolean any = false;
            while (written < total && written - received < s.window()) {
                int chunk = (int) Math.min(s.chunk(), total - written);
                byte[] bytes = new byte[chunk];
                for (int i = 0; i < chunk; i++) {
                    bytes[i] = pattern(connection, written + i);
                }
                boolean direct = switch (s.writes()) {
                    case DIRECT -> true;
                    case HEAP -> false;
                    case MIXED -> chunks % 2 == 0;
                };
                chunks++;
                // Direct buffers from the registered allocator go out without a copy (beyond the share of user
                // buffers they are ordinary direct buffers); heap buffers are copied into staging slots.
                ByteBuf buf = direct ? ch.alloc().directBuffer(chunk) : ch.alloc().heapBuffer(chunk);
                ch.write(buf.writeBytes(bytes));
                written += chunk;
                any = true;
            }
            if (any) {
                ch.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                long at = received;
                // One bulk read: under paranoid leak detection every single-byte access records a stack trace.
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                for (byte b : bytes) {
                    if (b != pattern(connection, at)) {
                        done.completeExceptionally(new AssertionError("connection " + connection + ": byte " + at
                                + " is wrong"));
                        return;
                    }
                    at++;
                }
                received = at;
            } finally {
                ReferenceCountUtil.release(buf);
            }
            writeMore(ctx.channel());
            if (received == total) {
                done.complete(null);
            } else if (received > total) {
                done.completeExceptionally(new AssertionError("connection " + connection + ": " + received
                        + " bytes, more than the " + total + " sent"));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new AssertionError("connection " + connection + " closed after "
                    + received + " bytes"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyByteArrivesAtTheCeiling(Scenario s) throws Exception {
        assumeRioAvailable();
        RioByteBufAllocator serverAlloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(s.ceiling()).cacheBytesPerClass(s.cacheBytesPerClass()).build();
        RioByteBufAllocator clientAlloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(s.ceiling()).cacheBytesPerClass(s.cacheBytesPerClass()).build();
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(s.loops(),
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(serverAlloc)));
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(s.loops(),
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(clientAlloc)));
        EchoHandler echo = new EchoHandler();
        List<Check> checks = new ArrayList<>();
        List<Channel> clients = new ArrayList<>();
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, serverAlloc)
                    .childHandler(echo)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            for (int c = 0; c < s.connections(); c++) {
                Check check = new Check(s, c);
                checks.add(check);
                clients.add(new Bootstrap().group(clientGroup).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, clientAlloc)
                        .handler(check)
                        .connect(server.localAddress()).sync().channel());
            }
            // Every client writes far more than the ceiling, keeping up to its window unechoed.
            for (int c = 0; c < s.connections(); c++) {
                Channel ch = clients.get(c);
                Check check = checks.get(c);
                ch.eventLoop().execute(() -> check.writeMore(ch));
            }
            long start = System.nanoTime();
            for (int c = 0; c < checks.size(); c++) {
                try {
                    checks.get(c).done.get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("stalled: connection " + c + " got " + checks.get(c).received
                            + " bytes; client " + clientAlloc.metric() + "; server " + serverAlloc.metric(), e);
                }
            }
            System.out.println(s + ": " + (System.nanoTime() - start) / 1_000_000 + " ms; client "
                    + clientAlloc.metric() + "; server " + serverAlloc.metric());
            assertTrue(echo.errors().isEmpty(), () -> "the server saw errors: " + echo.errors());
            for (RioByteBufAllocator a : List.of(clientAlloc, serverAlloc)) {
                assertTrue(a.metric().peakRegisteredBytes() <= s.ceiling(), a.metric()::toString);
            }
            // The clients write far more than their ceiling (the server's receives may stay within their share).
            assertTrue(clientAlloc.metric().ceilingRefusals() > 0,
                    () -> "the ceiling was never reached: " + clientAlloc.metric());
            for (Channel ch : clients) {
                assertTrue(ch.isActive(), "a connection closed under the ceiling");
            }
            for (int c = 0; c < checks.size(); c++) {
                // channelInactive completes exceptionally only if the data were not all there: done already.
                checks.get(c).done.get();
            }
            for (Channel ch : clients) {
                ch.close().sync();
            }
            server.close().sync();
        } finally {
            serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertTrue(echo.errors().isEmpty(), () -> "the server saw errors: " + echo.errors());
        for (RioByteBufAllocator a : List.of(clientAlloc, serverAlloc)) {
            assertEquals(0, a.metric().usedDirectMemory(), () -> "a slot did not come back: " + a.metric());
            assertTrue(a.metric().peakRegisteredBytes() <= s.ceiling(), a.metric()::toString);
        }
    }
}
