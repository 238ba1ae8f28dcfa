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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown under load (docs/reliability.md): {@code shutdownGracefully(0, ...)} while transfers are in flight. A
 * RIO server group and a RIO client group (two event loops each, each group with a registered-memory allocator of
 * its own) carry 24 connections that stream both ways: every client writes a seeded pattern while it is writable (heap buffers on
 * half of the connections, registered ones on the other half), the server echoes with backpressure, and the client
 * checks every echoed byte. Once every connection has echoed at least 256 KiB, the server group, the client group
 * or both are shut down with no quiet period. Each group must terminate within 15 s; the other side's channels
 * close; every write promise on both sides completes; every registered slot of both allocators comes back; no
 * byte arrives wrong; nothing but IOExceptions (resets) reaches {@code exceptionCaught}; and nothing is logged at
 * WARN or above by the transport or Netty's channel and executor code (in particular no
 * {@code RejectedExecutionException}).
 */
@Timeout(60)
class ShutdownUnderLoadTest {
    private static final int CONNECTIONS = 24;
    private static final int CHUNK = 8 * 1024;
    private static final long ECHOED_BEFORE_SHUTDOWN = 256 * 1024;

    @RegisterExtension
    final HostileChecks checks = new HostileChecks();

    private final List<ChannelFuture> serverWrites = new CopyOnWriteArrayList<>();
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicLong serverChildren = new AtomicLong();
    private final AtomicLong serverInactive = new AtomicLong();
    private final AtomicLong clientInactive = new AtomicLong();
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;

    @AfterEach
    void tearDown() {
        for (EventLoopGroup g : new EventLoopGroup[] {serverGroup, clientGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private void caught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            unexpected.add(cause);
        }
        ctx.close();
    }

    /** Echoes with backpressure: reading pauses while the channel is not writable. */
    @ChannelHandler.Sharable
    private final class BackpressuredEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            serverChildren.incrementAndGet();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            serverInactive.incrementAndGet();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            serverWrites.add(ctx.write(msg));
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught(ctx, cause);
        }
    }

    /** Writes a seeded pattern while writable, forever, and checks that the echo is that pattern. */
    private final class PatternClient extends ChannelInboundHandlerAdapter {
        final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();
        final AtomicLong echoed = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        final byte[] pattern;
        final boolean registered;

        PatternClient(int stream, boolean registered) {
            this.pattern = Hostile.payload(100 + stream, CHUNK);
            this.registered = registered;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            clientInactive.incrementAndGet();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (ctx.channel().isWritable()) {
                ByteBuf buf = registered ? ctx.alloc().directBuffer(CHUNK) : Unpooled.buffer(CHUNK);
                writes.add(ctx.write(buf.writeBytes(pattern)));
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                // One bulk copy: under PARANOID leak detection every single-byte access of a tracked buffer
                // records a stack trace.
                byte[] bytes = ByteBufUtil.getBytes(buf);
                long at = echoed.get();
                for (byte b : bytes) {
                    if (b != pattern[(int) (at++ % CHUNK)]) {
                        wrong.incrementAndGet();
                    }
                }
                echoed.set(at);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught(ctx, cause);
        }
    }

    /** The groups, allocators and channels of one run. */
    private record Load(RioByteBufAllocator serverAllocator, RioByteBufAllocator clientAllocator, Channel server,
                        List<PatternClient> clients, List<Channel> channels) {
    }

    /** Starts the load on groups of {@code threads} loops each and waits until every connection echoes. */
    private Load startLoad(int threads) throws Exception {
        RioByteBufAllocator serverAllocator = Hostile.newAllocator();
        RioByteBufAllocator clientAllocator = Hostile.newAllocator();
        serverGroup = Hostile.newGroup(threads, serverAllocator);
        clientGroup = Hostile.newGroup(threads, clientAllocator);
        Channel server = new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, serverAllocator)
                .childHandler(new BackpressuredEcho())
                .bind(Hostile.loopback(), 0).sync().channel();
        List<PatternClient> clients = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            PatternClient client = new PatternClient(i, i % 2 == 1);
            clients.add(client);
            channels.add(new Bootstrap().group(clientGroup).channel(RioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, clientAllocator)
                    .handler(client)
                    .connect(server.localAddress()).sync().channel());
        }
        long loadStart = System.nanoTime();
        try {
            Hostile.await("every connection echoing", 30_000,
                    () -> clients.stream().allMatch(c -> c.echoed.get() >= ECHOED_BEFORE_SHUTDOWN));
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder();
            for (int i = 0; i < CONNECTIONS; i++) {
                PatternClient c = clients.get(i);
                Channel ch = channels.get(i);
                state.append(String.format("%n#%d echoed %d, writes %d (pending %d), writable %s, open %s", i,
                        c.echoed.get(), c.writes.size(), c.writes.stream().filter(f -> !f.isDone()).count(),
                        ch.isWritable(), ch.isOpen()));
            }
            throw new AssertionError(e.getMessage() + state, e);
        }
        System.out.printf("shutdown under load: every connection echoed %d bytes after %d ms%n",
                ECHOED_BEFORE_SHUTDOWN, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart));
        return new Load(serverAllocator, clientAllocator, server, clients, channels);
    }

    @ParameterizedTest(name = "shut down {0}")
    @ValueSource(strings = {"server", "client", "both"})
    void shutdownGracefullyWhileStreaming(String which) throws Exception {
        Load load = startLoad(2);
        RioByteBufAllocator serverAllocator = load.serverAllocator;
        RioByteBufAllocator clientAllocator = load.clientAllocator;
        Channel server = load.server;
        List<PatternClient> clients = load.clients;
        List<Channel> channels = load.channels;

        long start = System.nanoTime();
        List<EventLoopGroup> first = switch (which) {
            case "server" -> List.of(serverGroup);
            case "client" -> List.of(clientGroup);
            default -> List.of(serverGroup, clientGroup);
        };
        for (EventLoopGroup g : first) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : first) {
            assertTrue(g.awaitTermination(15, TimeUnit.SECONDS), "a group shut down under load terminated");
        }
        long terminationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // The other side sees resets or ends of stream and closes its channels by itself.
        Hostile.await("every client channel closed", 15_000, () -> channels.stream().noneMatch(Channel::isOpen));
        Hostile.await("the server channel closed", 15_000, () -> !server.isOpen() || !first.contains(serverGroup));
        for (EventLoopGroup g : new EventLoopGroup[] {serverGroup, clientGroup}) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            assertTrue(g.awaitTermination(15, TimeUnit.SECONDS), "the other group terminated");
        }

        long clientWrites = 0;
        long clientPending = 0;
        for (PatternClient c : clients) {
            clientWrites += c.writes.size();
            clientPending += c.writes.stream().filter(f -> !f.isDone()).count();
            assertEquals(0, c.wrong.get(), "echoed bytes that differ from what was written");
        }
        long serverPending = serverWrites.stream().filter(f -> !f.isDone()).count();
        System.out.printf("shutdown under load (%s first): terminated in %d ms; %d client writes, %d server writes, "
                        + "%d bytes echoed; pending after termination: %d client, %d server; registered slots in use: "
                        + "%d server, %d client; registered bytes kept by the allocators: %d server, %d client%n",
                which, terminationMillis, clientWrites, serverWrites.size(),
                clients.stream().mapToLong(c -> c.echoed.get()).sum(), clientPending, serverPending,
                Hostile.slotsInUse(serverAllocator), Hostile.slotsInUse(clientAllocator),
                serverAllocator.metric().registeredBytes(), clientAllocator.metric().registeredBytes());
        assertEquals(0, clientPending, "client write promises never completed");
        assertEquals(0, serverPending, "server write promises never completed");
        assertEquals(List.of(), unexpected, "exceptions other than IOExceptions");
        Hostile.await("every registered slot back (server " + Hostile.slotsInUse(serverAllocator) + ", client "
                        + Hostile.slotsInUse(clientAllocator) + ')', 10_000,
                () -> Hostile.slotsInUse(serverAllocator) == 0 && Hostile.slotsInUse(clientAllocator) == 0);
        assertEquals(List.of(), checks.warningsFrom("io.nettyrio", "io.netty.channel", "io.netty.util.concurrent"),
                "warnings logged while shutting down");
    }

    /**
     * The shutdown requested by a task of the event loop itself: it comes after the loop's check for a shutdown
     * in progress and before its last check, so the loop ends without calling {@code prepareToDestroy} (Netty's
     * {@code SingleThreadIoEventLoop.run}), and the channels still open are left to {@code destroy()}, which runs
     * once the executor rejects tasks. Every channel must still be closed with {@code channelInactive} fired, and
     * nothing logged ("Can't invoke task later as EventLoop rejected it" before the fix).
     */
    @ParameterizedTest(name = "shut down {0} from its own loop")
    @ValueSource(strings = {"server", "client"})
    void shutdownRequestedByATaskOfTheLoop(String which) throws Exception {
        Load load = startLoad(1);
        EventLoopGroup group = "server".equals(which) ? serverGroup : clientGroup;
        group.next().execute(() -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS));
        assertTrue(group.awaitTermination(15, TimeUnit.SECONDS), "the group terminated");
        Hostile.await("every client channel closed", 15_000,
                () -> load.channels().stream().noneMatch(Channel::isOpen));
        for (EventLoopGroup g : new EventLoopGroup[] {serverGroup, clientGroup}) {
            g.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            assertTrue(g.awaitTermination(15, TimeUnit.SECONDS), "the other group terminated");
        }
        assertEquals(CONNECTIONS, clientInactive.get(), "client channels that fired channelInactive");
        assertEquals(serverChildren.get(), serverInactive.get(), "server channels that fired channelInactive");
        for (PatternClient c : load.clients()) {
            assertEquals(0, c.writes.stream().filter(f -> !f.isDone()).count(), "client writes never completed");
            assertEquals(0, c.wrong.get(), "echoed bytes that differ from what was written");
        }
        assertEquals(0, serverWrites.stream().filter(f -> !f.isDone()).count(), "server writes never completed");
        assertEquals(List.of(), unexpected, "exceptions other than IOExceptions");
        Hostile.await("every registered slot back", 10_000, () -> Hostile.slotsInUse(load.serverAllocator()) == 0
                && Hostile.slotsInUse(load.clientAllocator()) == 0);
        assertEquals(List.of(), checks.warningsFrom("io.nettyrio", "io.netty.channel", "io.netty.util.concurrent"),
                "warnings logged while shutting down");
    }
}
