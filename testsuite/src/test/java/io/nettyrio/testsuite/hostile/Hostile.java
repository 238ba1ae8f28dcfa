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
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerConfig;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.rio.Rio;
import io.nettyrio.testkit.ByteCollector;
import io.nettyrio.testkit.EchoHandler;
import io.nettyrio.testkit.EchoServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers of the hostile-peer tests: private allocators and groups, payloads, counts, waits. */
final class Hostile {
    /** The seed of every payload: a failure is reproduced with {@code -Dio.nettyrio.hostile.seed=...}. */
    static final long SEED = Long.getLong("io.nettyrio.hostile.seed", 20261124L);

    private Hostile() {
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /**
     * Returns an allocator of registered memory of the test's own, so that what the test's channels hold is all
     * that its metric counts (the process-wide default allocator is shared with every other test).
     */
    static RioByteBufAllocator newAllocator() {
        return RioByteBufAllocator.builder(Rio.provider().registeredIo()).build();
    }

    /** Returns a RIO group whose loops receive and stage sends in {@code allocator}. */
    static EventLoopGroup newGroup(int threads, RioByteBufAllocator allocator) {
        return new MultiThreadIoEventLoopGroup(threads,
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(allocator)));
    }

    /** Returns how many slots of {@code allocator} are in use (in thread caches or free slots do not count). */
    static long slotsInUse(RioByteBufAllocator allocator) {
        return Arrays.stream(allocator.metric().slotsInUse()).sum();
    }

    /**
     * Returns how many sockets and io_uring instances this process has open: the descriptors the transport (and a
     * test's plain sockets) could leave behind. Other descriptors are left out because the JDK opens them lazily at
     * any time: its virtual-thread pollers (epoll instances, one more per carrier thread that first blocks), jar
     * files when a class is first loaded; counting them made a leak check fail for nothing.
     */
    static int openSocketsAndRings() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            int n = 0;
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while listed (or the directory stream's own descriptor)
                }
                if (target.startsWith("socket:[") || target.equals("anon_inode:[io_uring]")) {
                    n++;
                }
            }
            return n;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Describes this process's sockets: for each socket descriptor, its TCP state and ports from /proc/net/tcp and
     * tcp6 (found by inode), so that a descriptor left open can be told apart.
     */
    static String describeSockets() {
        java.util.Map<String, TcpSocket> byInode = new java.util.HashMap<>();
        try {
            for (TcpSocket socket : tcpSockets()) {
                byInode.put(socket.inode(), socket);
            }
        } catch (IllegalStateException e) {
            return e.toString();
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    String inode = target.substring(8, target.length() - 1);
                    TcpSocket socket = byInode.get(inode);
                    b.append(String.format("%n  fd %s %s %s", fd.getFileName(), target, socket == null ? "(not TCP)"
                            : "local port " + socket.localPort() + " remote port " + socket.remotePort()
                                    + " state " + socket.state()));
                } else if (target.startsWith("anon_inode")) {
                    b.append(String.format("%n  fd %s %s", fd.getFileName(), target));
                }
            }
        } catch (IOException e) {
            return e.toString();
        }
        return b.toString();
    }

    /** {@code TCP_ESTABLISHED} of {@code include/net/tcp_states.h}, as /proc/net/tcp prints it in column "st". */
    static final int TCP_ESTABLISHED = 0x01;

    /**
     * One TCP socket of this host, from /proc/net/tcp or tcp6 (see proc(5)): its ports, its state (a value of
     * {@code include/net/tcp_states.h}) and how many received bytes wait in the kernel for the application.
     */
    record TcpSocket(int localPort, int remotePort, int state, long receiveQueue, String inode) {
    }

    /** Returns the host's TCP sockets whose local and remote ports are the ones given (loopback: both ends). */
    static List<TcpSocket> tcpSockets(int localPort, int remotePort) {
        List<TcpSocket> found = new ArrayList<>();
        for (TcpSocket socket : tcpSockets()) {
            if (socket.localPort() == localPort && socket.remotePort() == remotePort) {
                found.add(socket);
            }
        }
        return found;
    }

    /** Returns every TCP socket of this host, from /proc/net/tcp and tcp6. */
    private static List<TcpSocket> tcpSockets() {
        List<TcpSocket> all = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table, e);
            }
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...;
                // addresses are HEXIP:HEXPORT.
                String[] f = line.trim().split("\\s+");
                all.add(new TcpSocket(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16),
                        Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16), Integer.parseInt(f[3], 16),
                        Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16), f[9]));
            }
        }
        return all;
    }

    /** Waits (polling) until {@code condition} holds, and fails with {@code what} if it does not within time. */
    static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Returns {@code size} bytes of the seeded pseudo-random sequence number {@code stream}. */
    static byte[] payload(int stream, int size) {
        byte[] bytes = new byte[size];
        new Random(SEED * 31 + stream).nextBytes(bytes);
        return bytes;
    }

    /** Reads exactly {@code n} bytes. */
    static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** A RIO server on loopback that echoes every byte, on {@code group}, with the allocator given. */
    static Channel echoServer(EventLoopGroup group, RioByteBufAllocator allocator) throws InterruptedException {
        return EchoServer.start(group, allocator, new EchoHandler());
    }

    /** Checks with a plain socket that {@code server} (an echo server) still accepts and echoes. */
    static void assertEchoes(Channel server, int stream) throws IOException {
        byte[] sent = payload(stream, 4096);
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(server.localAddress(), 10_000);
            s.getOutputStream().write(sent);
            assertArrayEquals(sent, readFully(s.getInputStream(), sent.length), "echo through " + server);
        }
    }

    /** Checks with a RIO client on {@code group} that {@code server} (an echo server) still echoes. */
    static void assertRioClientEchoes(EventLoopGroup group, InetSocketAddress server, int stream)
            throws InterruptedException {
        byte[] sent = payload(stream, 4096);
        ByteCollector echoed = new ByteCollector(sent.length);
        Channel ch = new Bootstrap().group(group).channel(RioSocketChannel.class).handler(echoed)
                .connect(server).sync().channel();
        try {
            ch.writeAndFlush(Unpooled.wrappedBuffer(sent));
            assertArrayEquals(sent, echoed.received().get(10, TimeUnit.SECONDS), "echo through " + server);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("echo through " + server + " failed", e);
        } finally {
            ch.close().sync();
        }
    }
}
