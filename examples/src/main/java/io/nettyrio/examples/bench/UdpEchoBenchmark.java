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

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioIoHandler;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bounded loopback UDP echo benchmark: datagrams per second through a Netty echo server and client on RIO, NIO and
 * epoll, in the same run, and the ratios of RIO to the others. Measured, not timed: nothing asserts a figure.
 *
 * <p>For each transport a server echoes every {@link DatagramPacket} back to its sender (the received buffer
 * itself: on RIO a registered slot, sent back without a copy) and a client keeps {@code window} datagrams of
 * {@code size} bytes in flight, sending one more for every echo. A datagram lost on loopback shrinks the window,
 * so the client tops it up when no echo came for 100 ms. Each round runs every transport for a warm-up and then a
 * measured period; the best round of each counts. Everything goes to 127.0.0.1 only, and every phase is bounded in
 * time.
 *
 * <p>Arguments (all optional): {@code size} (bytes, default 64), {@code window} (default 32), {@code seconds}
 * measured per transport and round (default 3), {@code rounds} (default 3).
 */
public final class UdpEchoBenchmark {
    private UdpEchoBenchmark() {
    }

    /** One transport: its event-loop factory and its datagram channel. */
    private record Transport(String name, Supplier<IoHandlerFactory> handler, Supplier<DatagramChannel> channel) {
    }

    /**
     * Runs the benchmark and prints datagrams/s per transport and round, then the ratios.
     *
     * @param args {@code [size [window [seconds [rounds]]]]}
     */
    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (size < 4 || size > RioDatagramChannel.MAX_DATAGRAM_SIZE || window < 1 || window > 1024
                || seconds < 1 || seconds > 60 || rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("size 4-65507, window 1-1024, seconds 1-60, rounds 1-10");
        }
        List<Transport> transports = new ArrayList<>();
        transports.add(new Transport("RIO", RioIoHandler::newFactory,
                () -> new RioDatagramChannel(SocketProtocolFamily.INET)));
        transports.add(new Transport("NIO", NioIoHandler::newFactory,
                () -> new NioDatagramChannel(SocketProtocolFamily.INET)));
        if (Epoll.isAvailable()) {
            transports.add(new Transport("epoll", EpollIoHandler::newFactory,
                    () -> new EpollDatagramChannel(SocketProtocolFamily.INET)));
        } else {
            System.out.println("epoll unavailable: " + Epoll.unavailabilityCause());
        }
        System.out.printf("UDP echo on 127.0.0.1: %d-byte datagrams, window %d, %d s per transport, %d rounds,"
                + " %d CPUs%n", size, window, seconds, rounds, Runtime.getRuntime().availableProcessors());
        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Transport t : transports) {
                double rate = run(t, size, window, seconds);
                System.out.printf("round %d  %-6s %,12.0f datagrams/s%n", round, t.name(), rate);
                best.merge(t.name(), rate, Math::max);
            }
        }
        System.out.println("best of " + rounds + " rounds:");
        for (Map.Entry<String, Double> e : best.entrySet()) {
            System.out.printf("  %-6s %,12.0f datagrams/s%n", e.getKey(), e.getValue());
        }
        double rio = best.get("RIO");
        for (Map.Entry<String, Double> e : best.entrySet()) {
            if (!e.getKey().equals("RIO")) {
                System.out.printf("  RIO / %-6s %.2f%n", e.getKey(), rio / e.getValue());
            }
        }
    }

    /** Echo server and client on {@code t}; returns echoed datagrams per second over the measured period. */
    private static double run(Transport t, int size, int window, int seconds) throws Exception {
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, t.handler().get());
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, t.handler().get());
        try {
            Channel server = new Bootstrap().group(serverGroup).channelFactory(t.channel()::get)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            // The received buffer goes straight back (released by the write).
                            ctx.write(new DatagramPacket(packet.content(), packet.sender()));
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            ctx.flush();
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress target = (InetSocketAddress) server.localAddress();
            Client client = new Client(target, size);
            Channel cc = new Bootstrap().group(clientGroup).channelFactory(t.channel()::get).handler(client)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            cc.eventLoop().execute(() -> client.fill(cc, window));
            // Keep the window topped up if loopback dropped datagrams (bounded: the run lasts 1 + seconds).
            var topUp = cc.eventLoop().scheduleAtFixedRate(() -> client.topUp(cc, window), 100, 100,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(1000);
            long start = System.nanoTime();
            long before = client.echoes;
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long after = client.echoes;
            long elapsed = System.nanoTime() - start;
            topUp.cancel(false);
            client.stop = true;
            cc.close().sync();
            server.close().sync();
            return (after - before) * 1e9 / elapsed;
        } finally {
            clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /** Keeps a window of datagrams in flight: one more for every echo. */
    private static final class Client extends SimpleChannelInboundHandler<DatagramPacket> {
        private final InetSocketAddress target;
        private final int size;
        volatile long echoes;
        volatile boolean stop;
        private long echoesAtLastCheck;
        private int inFlight;

        Client(InetSocketAddress target, int size) {
            this.target = target;
            this.size = size;
        }

        void fill(Channel ch, int window) {
            while (inFlight < window && !stop) {
                send(ch);
            }
            ch.flush();
        }

        void topUp(Channel ch, int window) {
            long now = echoes;
            if (now == echoesAtLastCheck && !stop) {
                // No echo for 100 ms: what is in flight was lost.
                inFlight = 0;
                fill(ch, window);
            }
            echoesAtLastCheck = now;
        }

        private void send(Channel ch) {
            ByteBuf buf = ch.alloc().directBuffer(size).writerIndex(size);
            ch.write(new DatagramPacket(buf, target), ch.voidPromise());
            inFlight++;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            echoes++;
            inFlight--;
            if (!stop) {
                send(ctx.channel());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Writes still queued when the client closes at the end of a run fail their void promises here.
            if (!(cause instanceof java.nio.channels.ClosedChannelException)) {
                cause.printStackTrace();
            }
        }
    }
}
