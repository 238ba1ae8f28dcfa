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
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link ServerBenchmark}: ONE Netty event loop, on epoll where Linux has it (NIO
 * otherwise), kept as light as possible. A TCP connection keeps {@code depth} requests in flight and recognises a
 * response by its byte count (it does not parse HTTP); a UDP socket keeps one datagram in flight. The first
 * response of every connection is compared byte for byte with what is expected, and every response when
 * {@code verify} is on. Counters and the latency histogram are touched by the event loop only; the benchmark
 * reads them by running a task on it.
 */
final class LoadGenerator implements AutoCloseable {
    static final byte[] HTTP_REQUEST = ("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Accept: text/plain\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** A datagram with no echo for this long is counted lost and sent again. */
    private static final long UDP_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final boolean epoll;

    LoadGenerator() {
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-load", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loop = group.next();
    }

    String name() {
        return epoll ? "epoll" : "nio";
    }

    /** Counters of one workload run, touched on the load's event loop only. */
    static final class Stats {
        static final int BUCKETS = 1_000_000;
        long responses;
        long lost;
        final int[] histogram = new int[BUCKETS];

        void record(long nanos) {
            responses++;
            histogram[(int) Math.min(BUCKETS - 1, nanos / 100)]++;
        }
    }

    /** The load's counters at one instant, with the load generator's own CPU time. */
    record Snapshot(long nanos, long responses, long lost, int[] histogram, long cpuNanos) {
    }

    /** One running workload: its connections and counters. */
    final class Run implements AutoCloseable {
        final Workload workload;
        final Stats stats = new Stats();
        final List<Channel> channels = new ArrayList<>();
        final List<ByteBuf> buffers = new ArrayList<>();
        final boolean verifyAll;
        final List<TcpConnection> tcp = new ArrayList<>();
        final List<UdpPeer> udp = new ArrayList<>();
        volatile boolean stopped;
        /** No new request goes out while paused; the load picks up again at {@link #resume()}. */
        volatile boolean paused;
        volatile Throwable failure;
        private ScheduledFuture<?> timeouts;

        Run(Workload workload, boolean verifyAll) {
            this.workload = workload;
            this.verifyAll = verifyAll;
        }

        void fail(Throwable t) {
            if (failure == null && !stopped) {
                failure = t;
            }
        }

        long responses() {
            return onLoop(() -> stats.responses);
        }

        Snapshot snapshot() {
            return onLoop(() -> new Snapshot(System.nanoTime(), stats.responses, stats.lost,
                    stats.histogram.clone(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()));
        }

        /**
         * Stops sending new requests and waits until every request in flight is answered, for at most
         * {@code stallNanos}: the server then idles until {@link #resume()}.
         */
        void pause(long stallNanos) throws InterruptedException {
            paused = true;
            long deadline = System.nanoTime() + stallNanos;
            while (onLoop(this::inFlight) > 0) {
                if (failure != null) {
                    throw new IllegalStateException("the load failed while pausing", failure);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stalled: requests still in flight "
                            + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s after the load paused");
                }
                Thread.sleep(1);
            }
        }

        /** Sends every connection's requests again, as at the start. */
        void resume() {
            paused = false;
            onLoop(() -> {
                tcp.forEach(TcpConnection::refill);
                udp.forEach(UdpPeer::sendIfIdle);
                return null;
            });
        }

        private int inFlight() {
            int n = 0;
            for (TcpConnection c : tcp) {
                n += c.inFlight;
            }
            for (UdpPeer p : udp) {
                n += p.waiting ? 1 : 0;
            }
            return n;
        }

        ByteBuf buffer(byte[] bytes) {
            ByteBuf b = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            buffers.add(b);
            return Unpooled.unreleasableBuffer(b);
        }

        @Override
        public void close() {
            stopped = true;
            if (timeouts != null) {
                timeouts.cancel(false);
            }
            for (Channel c : channels) {
                c.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
            // Every channel is closed: no write can still use the request bytes.
            onLoop(() -> {
                buffers.forEach(ByteBuf::release);
                return null;
            });
        }
    }

    /**
     * Connects the workload's connections to {@code port} and starts the load.
     *
     * @param expectedHttp the full HTTP response the server gives (from {@link #probeHttp}), for HTTP workloads
     */
    Run start(Workload w, int port, byte[] expectedHttp, boolean verifyAll) throws InterruptedException {
        Run run = new Run(w, verifyAll);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        try {
            if (w.protocol() == Workload.Protocol.UDP_ECHO) {
                List<UdpPeer> peers = new ArrayList<>();
                for (int i = 0; i < w.conns(); i++) {
                    byte[] payload = w.request(i);
                    UdpPeer peer = new UdpPeer(run, server, run.buffer(payload), payload);
                    peers.add(peer);
                    run.udp.add(peer);
                    run.channels.add(new Bootstrap().group(group)
                            .channelFactory(() -> epoll ? new EpollDatagramChannel(SocketProtocolFamily.INET)
                                    : new NioDatagramChannel(SocketProtocolFamily.INET))
                            .handler(peer).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel());
                }
                // Loopback may drop a datagram when a socket buffer is full: resend what waited too long.
                run.timeouts = loop.scheduleAtFixedRate(() -> peers.forEach(UdpPeer::checkTimeout), 100, 100,
                        TimeUnit.MILLISECONDS);
                loop.execute(() -> peers.forEach(UdpPeer::send));
            } else {
                for (int i = 0; i < w.conns(); i++) {
                    byte[] request = w.request(i);
                    byte[] expected = w.protocol() == Workload.Protocol.HTTP ? expectedHttp : request;
                    TcpConnection connection = new TcpConnection(run, run.buffer(request), expected);
                    run.tcp.add(connection);
                    run.channels.add(new Bootstrap().group(group)
                            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(connection)
                            .connect(server).sync().channel());
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        }
        return run;
    }

    private <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the load generator's event loop did not answer", e);
        }
    }

    /** One TCP connection: {@code depth} requests in flight, responses recognised by their length. */
    private static final class TcpConnection extends ChannelInboundHandlerAdapter {
        private final Run run;
        private final ByteBuf request;
        private final byte[] expected;
        private final long[] sentAt;
        private ChannelHandlerContext ctx;
        private int head;
        private int inFlight;
        private int offset;
        private long completed;

        TcpConnection(Run run, ByteBuf request, byte[] expected) {
            this.run = run;
            this.request = request;
            this.expected = expected;
            this.sentAt = new long[run.workload.depth()];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            refill();
        }

        /** Puts as many requests in flight as the workload's depth. */
        void refill() {
            if (ctx == null || run.stopped || run.paused || inFlight == sentAt.length) {
                return;
            }
            while (inFlight < sentAt.length) {
                send(ctx);
            }
            ctx.flush();
        }

        private void send(ChannelHandlerContext ctx) {
            sentAt[(head + inFlight) % sentAt.length] = System.nanoTime();
            inFlight++;
            ctx.write(request.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            boolean sent = false;
            try {
                while (buf.isReadable()) {
                    int n = Math.min(buf.readableBytes(), expected.length - offset);
                    if (completed == 0 || run.verifyAll) {
                        for (int i = 0; i < n; i++) {
                            if (buf.getByte(buf.readerIndex() + i) != expected[offset + i]) {
                                run.fail(new IllegalStateException(String.format(Locale.ROOT,
                                        "wrong byte at offset %d of response %d on %s", offset + i, completed,
                                        ctx.channel())));
                                ctx.close();
                                return;
                            }
                        }
                    }
                    buf.skipBytes(n);
                    offset += n;
                    if (offset < expected.length) {
                        break;
                    }
                    offset = 0;
                    if (inFlight == 0) {
                        run.fail(new IllegalStateException("a response nobody asked for on " + ctx.channel()));
                        ctx.close();
                        return;
                    }
                    run.stats.record(System.nanoTime() - sentAt[head]);
                    completed++;
                    head = (head + 1) % sentAt.length;
                    inFlight--;
                    if (!run.stopped && !run.paused) {
                        send(ctx);
                        sent = true;
                    }
                }
            } finally {
                buf.release();
                if (sent) {
                    ctx.flush();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            run.fail(new IllegalStateException("the server closed " + ctx.channel()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.fail(cause);
            ctx.close();
        }
    }

    /** One UDP client socket: one datagram in flight, resent after {@link #UDP_TIMEOUT_NANOS} without an echo. */
    private static final class UdpPeer extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Run run;
        private final InetSocketAddress server;
        private final ByteBuf payload;
        private final byte[] expected;
        private Channel channel;
        private long sentAt;
        private boolean waiting;
        private long completed;

        UdpPeer(Run run, InetSocketAddress server, ByteBuf payload, byte[] expected) {
            this.run = run;
            this.server = server;
            this.payload = payload;
            this.expected = expected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void send() {
            if (run.stopped || channel == null) {
                return;
            }
            if (run.paused) {
                waiting = false; // what was lost while paused goes again at resume
                return;
            }
            sentAt = System.nanoTime();
            waiting = true;
            channel.writeAndFlush(new DatagramPacket(payload.duplicate(), server), channel.voidPromise());
        }

        void sendIfIdle() {
            if (!waiting) {
                send();
            }
        }

        void checkTimeout() {
            if (waiting && System.nanoTime() - sentAt > UDP_TIMEOUT_NANOS) {
                run.stats.lost++;
                send();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!waiting) {
                return; // the late echo of a datagram already counted lost and sent again
            }
            ByteBuf content = packet.content();
            if (completed == 0 || run.verifyAll) {
                byte[] got = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), got);
                if (!Arrays.equals(got, expected)) {
                    run.fail(new IllegalStateException("wrong datagram " + completed + " on " + ctx.channel()));
                    return;
                }
            }
            waiting = false;
            completed++;
            run.stats.record(System.nanoTime() - sentAt);
            send();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.fail(cause);
        }
    }

    /** Sends one HTTP request with a blocking socket, checks the answer and returns its bytes. */
    static byte[] probeHttp(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(HTTP_REQUEST);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0 || head.length() > 4096) {
                    throw new IllegalStateException("bad HTTP response head: " + head);
                }
                head.append((char) b);
            }
            String h = head.toString().toLowerCase(Locale.ROOT);
            int at = h.indexOf("content-length:");
            if (!h.startsWith("http/1.1 200 ") || at < 0) {
                throw new IllegalStateException("unexpected HTTP response: " + head);
            }
            int length = Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim());
            byte[] body = in.readNBytes(length);
            if (!Arrays.equals(body, ServerKinds.HELLO)) {
                throw new IllegalStateException("unexpected body " + new String(body, StandardCharsets.US_ASCII));
            }
            byte[] all = Arrays.copyOf(head.toString().getBytes(StandardCharsets.ISO_8859_1),
                    head.length() + length);
            System.arraycopy(body, 0, all, head.length(), length);
            return all;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
    }
}
