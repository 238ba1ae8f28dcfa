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
package io.nettyrio.examples.frameworks.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded measurement program (not a test): how much of what a gRPC server on RIO sends is copied into
 * registered memory, with gRPC's own allocator and with the RIO allocator given as a child channel option, for a
 * few message sizes; and the streaming rate of each. gRPC sets {@code ChannelOption.ALLOCATOR} to its own pooled
 * allocator, whose memory is not registered, so without the option every byte is copied; user options are applied
 * after gRPC's, so {@code withChildOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator())} wins.
 *
 * <p>Arguments (optional): {@code messages=2000 sizes=1024,16384,65536 rounds=2}. Loopback only; each stream is
 * bounded by its message count and a 60 s deadline.
 */
public final class GrpcAllocatorMeasurement {

    private GrpcAllocatorMeasurement() {
    }

    /** Runs the measurement and prints one line per message size and allocator. */
    public static void main(String[] args) throws Exception {
        int messages = 2000;
        int rounds = 2;
        int[] sizes = {1024, 16384, 65536};
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "messages" -> messages = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "sizes" -> sizes = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + arg
                        + " (messages=, sizes=, rounds=)");
            }
        }
        System.out.printf("%-8s %-6s %-5s %12s %14s %14s %10s %8s%n", "size", "alloc", "round", "messages/s",
                "MB/s", "copied B", "zero-copy B", "copied %");
        for (int size : sizes) {
            for (int round = 1; round <= rounds; round++) {
                for (boolean rio : new boolean[] {false, true}) {
                    measure(size, messages, rio, round);
                }
            }
        }
    }

    private static void measure(int size, int messages, boolean rioAllocator, int round) throws Exception {
        // Separate one-thread groups: the server loop's counters then hold the server's sends only.
        EventLoopGroup serverGroup = new RioEventLoopGroup(1);
        EventLoopGroup clientGroup = new RioEventLoopGroup(1);
        AtomicReference<Channel> accepted = new AtomicReference<>();
        Server server = null;
        ManagedChannel channel = null;
        try {
            NettyServerBuilder serverBuilder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .channelFactory(() -> {
                        RioServerSocketChannel ch = new RioServerSocketChannel();
                        ch.pipeline().addLast(new AcceptRecorder(accepted));
                        return ch;
                    })
                    .bossEventLoopGroup(serverGroup)
                    .workerEventLoopGroup(serverGroup)
                    .addService(EchoService.definition());
            NettyChannelBuilder channelBuilder;
            if (rioAllocator) {
                serverBuilder.withChildOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator());
            }
            server = serverBuilder.build().start();
            channelBuilder = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                    .channelType(RioSocketChannel.class)
                    .eventLoopGroup(clientGroup)
                    .usePlaintext();
            if (rioAllocator) {
                channelBuilder.withOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator());
            }
            channel = channelBuilder.build();
            // Warm-up call: connects, and the counters after it are the baseline.
            ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, CallOptions.DEFAULT, new byte[] {1});
            RioIoHandlerMetric metric = ((RioSocketChannel) accepted.get()).ioMetric();
            long copied0 = metric.bytesCopied();
            long zero0 = metric.bytesSentZeroCopy();
            long start = System.nanoTime();
            Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    EchoService.streamRequest(messages, size));
            int received = 0;
            while (it.hasNext()) {
                byte[] m = it.next();
                if (m.length != size || !Arrays.equals(m, EchoService.message(received, size))) {
                    throw new IllegalStateException("message " + received + " differs");
                }
                received++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (received != messages) {
                throw new IllegalStateException(received + " messages of " + messages);
            }
            long copied = metric.bytesCopied() - copied0;
            long zero = metric.bytesSentZeroCopy() - zero0;
            System.out.printf("%-8d %-6s %-5d %12.0f %14.1f %14d %10d %7.1f%%%n", size, rioAllocator ? "rio" : "grpc",
                    round, messages / seconds, (double) messages * size / seconds / 1e6, copied, zero,
                    100.0 * copied / Math.max(1, copied + zero));
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            clientGroup.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
            serverGroup.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Keeps the server's accepted channel, which a server channel passes up its pipeline to the acceptor. */
    @ChannelHandler.Sharable
    static final class AcceptRecorder extends ChannelInboundHandlerAdapter {
        private final AtomicReference<Channel> accepted;

        AcceptRecorder(AtomicReference<Channel> accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                accepted.set(child);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
