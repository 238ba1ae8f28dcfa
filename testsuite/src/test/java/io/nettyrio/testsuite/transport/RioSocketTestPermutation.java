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
package io.nettyrio.testsuite.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bootstrap permutations Netty's testsuite runs the RIO transport with: RIO server and RIO client, RIO server
 * and NIO client, NIO server and RIO client (NIO with NIO is Netty's own business), as Netty's io_uring transport
 * wires its testsuite; each over Netty's allocators and the transport's own registered memory ({@link #allocators()}).
 */
public final class RioSocketTestPermutation extends SocketTestPermutation {
    /** The one instance the test classes share. */
    public static final RioSocketTestPermutation INSTANCE = new RioSocketTestPermutation();

    static final EventLoopGroup RIO_BOSS_GROUP = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("testsuite-rio-boss", true), RioIoHandler.newFactory());
    static final EventLoopGroup RIO_WORKER_GROUP = new MultiThreadIoEventLoopGroup(NUM_THREADS,
            new DefaultThreadFactory("testsuite-rio-worker", true), RioIoHandler.newFactory());

    private static volatile List<RioIoHandlerMetric> workerMetrics;

    private RioSocketTestPermutation() {
    }

    /**
     * The allocators every RIO testsuite class runs each bootstrap pair with: Netty's own (pooled and adaptive,
     * {@link TestsuitePermutation#allocator()}: every write takes the copy into registered staging slots) and
     * {@link RioByteBufAllocator}, the channels' default, whose direct buffers are registered memory and are sent
     * without a copy. A new, modifiable list on each call.
     */
    public List<ByteBufAllocator> allocators() {
        List<ByteBufAllocator> allocators = new ArrayList<>(TestsuitePermutation.allocator());
        allocators.add(RioByteBufAllocator.defaultAllocator());
        return allocators;
    }

    /**
     * Returns the bytes the RIO worker loops have sent so far without a copy and the bytes they copied into
     * staging slots, summed over the loops ({@link RioIoHandlerMetric}); Netty's allocators only ever add to the
     * second.
     */
    static long[] sentBytes() throws Exception {
        long zeroCopy = 0;
        long copied = 0;
        for (RioIoHandlerMetric m : workerMetrics()) {
            zeroCopy += m.bytesSentZeroCopy();
            copied += m.bytesCopied();
        }
        return new long[] {zeroCopy, copied};
    }

    /** The counters of each worker loop, read once from a channel registered there (they live as long as it). */
    private static List<RioIoHandlerMetric> workerMetrics() throws Exception {
        List<RioIoHandlerMetric> metrics = workerMetrics;
        if (metrics == null) {
            List<RioIoHandlerMetric> found = new ArrayList<>();
            for (EventExecutor loop : RIO_WORKER_GROUP) {
                Channel probe = new RioSocketChannel();
                ((EventLoop) loop).register(probe).sync();
                found.add(((RioSocketChannel) probe).ioMetric());
                probe.close().await(5, TimeUnit.SECONDS);
            }
            workerMetrics = metrics = List.copyOf(found);
        }
        return metrics;
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socket() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> list = combo(serverSocket(), clientSocket());
        // The last combination is NIO with NIO.
        list.remove(list.size() - 1);
        return list;
    }

    @Override
    public List<BootstrapFactory<ServerBootstrap>> serverSocket() {
        return Arrays.asList(
                () -> new ServerBootstrap().group(RIO_BOSS_GROUP, RIO_WORKER_GROUP)
                        .channel(RioServerSocketChannel.class),
                () -> new ServerBootstrap().group(NIO_GROUP, NIO_GROUP).channel(NioServerSocketChannel.class));
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocket() {
        return Arrays.asList(
                () -> new Bootstrap().group(RIO_WORKER_GROUP).channel(RioSocketChannel.class),
                () -> new Bootstrap().group(NIO_GROUP).channel(NioSocketChannel.class));
    }

    /** Only the RIO client, for the client-only tests whose NIO run is Netty's own. */
    public List<BootstrapFactory<Bootstrap>> clientSocketRioOnly() {
        return List.of(() -> new Bootstrap().group(RIO_WORKER_GROUP).channel(RioSocketChannel.class));
    }

    /** Only the RIO server, for the server-only tests whose NIO run is Netty's own. */
    public List<BootstrapFactory<ServerBootstrap>> serverSocketRioOnly() {
        return List.of(() -> new ServerBootstrap().group(RIO_BOSS_GROUP, RIO_WORKER_GROUP)
                .channel(RioServerSocketChannel.class));
    }

    /**
     * Datagram pairs for {@code family}: RIO with RIO, RIO with NIO, NIO with RIO (NIO with NIO is Netty's own
     * business), each channel created for the family as Netty's permutation creates NIO's.
     */
    @Override
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> datagram(SocketProtocolFamily family) {
        List<BootstrapFactory<Bootstrap>> factories = Arrays.asList(
                () -> new Bootstrap().group(RIO_WORKER_GROUP).channelFactory(() -> new RioDatagramChannel(family)),
                () -> new Bootstrap().group(NIO_GROUP).channelFactory(() -> new NioDatagramChannel(family)));
        List<BootstrapComboFactory<Bootstrap, Bootstrap>> list = new ArrayList<>(combo(factories, factories));
        // The last combination is NIO with NIO.
        list.remove(list.size() - 1);
        return list;
    }

    /** The RIO datagram channel alone, for the client-only datagram tests (Netty's io_uring wiring forgets it). */
    @Override
    public List<BootstrapFactory<Bootstrap>> datagramSocket() {
        return List.of(() -> new Bootstrap().group(RIO_WORKER_GROUP).channel(RioDatagramChannel.class));
    }
}
