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
package io.nettyrio.examples.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.RioByteBufAllocatorMetric;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idle connections: a RIO server accepts N loopback connections (default 10,000) that never send anything, and
 * reports the registered memory and heap it holds per connection. The clients are plain blocking sockets in a
 * child JVM, so that each process stays within its descriptor limit (the soft limit is raised to the hard one
 * here when needed). Bounded: two minutes to connect, then it measures and ends.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... io.nettyrio.examples.bench.IdleConnections [count]</pre>
 */
public final class IdleConnections {
    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        raiseDescriptorLimit(count + 512);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
        AtomicInteger active = new AtomicInteger();
        AtomicReference<RioSocketChannel> anyChild = new AtomicReference<>();
        RioByteBufAllocatorMetric alloc = RioByteBufAllocator.defaultAllocator().metric();
        Process child = null;
        try {
            Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new Counter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            anyChild.set((RioSocketChannel) ctx.channel());
                            active.incrementAndGet();
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            active.decrementAndGet();
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            long heapBefore = usedHeap();
            long registeredBefore = alloc.registeredBytes();
            long usedBefore = alloc.usedDirectMemory();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), IdleConnections.class.getName(),
                    "clients", Integer.toString(port), Integer.toString(count))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line = out.readLine();
            System.out.println("clients: " + line);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (active.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            int n = active.get();
            long heap = usedHeap() - heapBefore;
            long registered = alloc.registeredBytes() - registeredBefore;
            long used = alloc.usedDirectMemory() - usedBefore;
            RioIoHandlerMetric io = anyChild.get() == null ? null : anyChild.get().ioMetric();
            System.out.printf("idle connections accepted: %d of %d%n", n, count);
            System.out.printf("registered bytes: %d in all, %.0f per connection%n", registered,
                    (double) registered / Math.max(1, n));
            System.out.printf("registered bytes in slots in use: %d in all, %.0f per connection%n", used,
                    (double) used / Math.max(1, n));
            System.out.printf("heap: %d in all, %.0f per connection%n", heap, (double) heap / Math.max(1, n));
            System.out.println("allocator: " + alloc);
            System.out.println("event loop: " + io);
            server.close().sync();
        } finally {
            if (child != null) {
                child.getOutputStream().close();
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).sync();
        }
    }

    /** One handler for every accepted channel. */
    @ChannelHandler.Sharable
    private static class Counter extends ChannelInboundHandlerAdapter {
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The child: opens {@code count} blocking connections, says so, and holds them until stdin closes. */
    private static void clients(int port, int count) throws Exception {
        raiseDescriptorLimit(count + 512);
        List<SocketChannel> sockets = new ArrayList<>(count);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                sockets.add(SocketChannel.open(address));
            }
            System.out.println(sockets.size() + " connected");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the connections until the parent closes our stdin.
            }
        } finally {
            for (SocketChannel s : sockets) {
                s.close();
            }
        }
    }

    /** Raises RLIMIT_NOFILE's soft limit towards {@code wanted} (at most the hard limit), on Linux. */
    // Restricted FFM call: the benchmarks run with --enable-native-access=ALL-UNNAMED (docs/benchmarks.md).
    @SuppressWarnings("restricted")
    static void raiseDescriptorLimit(long wanted) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS);
            MethodHandle getrlimit = linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(), fd);
            MethodHandle setrlimit = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(), fd);
            int rlimitNofile = 7; // RLIMIT_NOFILE, <asm-generic/resource.h>
            MemorySegment rlimit = arena.allocate(16, 8); // struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; }
            if ((int) getrlimit.invokeExact(rlimitNofile, rlimit) != 0) {
                return;
            }
            long cur = rlimit.get(ValueLayout.JAVA_LONG, 0);
            long max = rlimit.get(ValueLayout.JAVA_LONG, 8);
            if (cur < wanted) {
                long target = max < 0 ? wanted : Math.min(max, wanted);
                rlimit.set(ValueLayout.JAVA_LONG, 0, target);
                int rc = (int) setrlimit.invokeExact(rlimitNofile, rlimit);
                System.err.println("RLIMIT_NOFILE soft limit " + cur + " -> " + target + (rc == 0 ? "" : " failed")
                        + " (hard " + max + ')');
            }
        } catch (Throwable t) {
            System.err.println("cannot raise the descriptor limit: " + t);
        }
    }
}
