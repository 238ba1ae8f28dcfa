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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bootstrap permutations Netty's testsuite runs the RIO transport with: RIO server and RIO client, RIO server
 * and NIO client, NIO server and RIO client (NIO with NIO is Netty's own business), as Netty's io_uring transport
 * wires its testsuite.
 */
public final class RioSocketTestPermutation extends SocketTestPermutation {
    /** The one instance the test classes share. */
    public static final RioSocketTestPermutation INSTANCE = new RioSocketTestPermutation();

    static final EventLoopGroup RIO_BOSS_GROUP = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("testsuite-rio-boss", true), RioIoHandler.newFactory());
    static final EventLoopGroup RIO_WORKER_GROUP = new MultiThreadIoEventLoopGroup(NUM_THREADS,
            new DefaultThreadFactory("testsuite-rio-worker", true), RioIoHandler.newFactory());

    private RioSocketTestPermutation() {
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
