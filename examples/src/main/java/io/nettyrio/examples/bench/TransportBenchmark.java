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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.uring.IoUringProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

/**
 * Benchmark program (not a test): the same HTTP/1.1 plaintext server and TCP echo server on the RIO transport and
 * on Netty's NIO, epoll and io_uring transports, in one run, on loopback, driven by one load generator.
 *
 * <p>The load generator is a Netty client on NIO for every server, so the comparison is fair: {@code conns}
 * connections, each keeping {@code pipeline} requests in flight (1 = closed loop: the next request leaves when the
 * response is in). A response is recognised by its byte count, which a blocking probe learns from each server
 * before the run (and which checks that the server answers correctly). Reported per server: throughput
 * (responses/s), latency percentiles (from a request's send to the last byte of its response; with pipelining
 * a request waits behind those ahead of it), the CPU time of the server's event-loop threads per request
 * ({@link ThreadMXBean#getThreadCpuTime}), and the ratio of each figure to NIO's. For RIO over the io_uring
 * provider also {@code io_uring_enter} calls and SQEs per request (the server only: the client is NIO).
 *
 * <p>Every phase is bounded: {@code warmup} then {@code seconds} seconds of measurement, at most
 * {@code maxRequests} responses, and a stalled server fails the run after 60 s. Only 127.0.0.1 is used.
 *
 * <p>Settings ({@code name=value}): {@code conns} (16), {@code pipeline} (1), {@code seconds} (5), {@code warmup}
 * (2), {@code size} (echo message bytes, 256), {@code serverThreads} (1), {@code clientThreads} (1),
 * {@code maxRequests} (50,000,000), {@code transports} (rio,nio,epoll,io_uring), {@code workloads}
 * (http,echo), {@code rounds} (3: each round measures every server once, in turn; the table shows the median
 * round of each server), {@code warmupRounds} (1: rounds run first and not counted, so that JIT compilation of
 * the shared code is not charged to whichever server comes first).
 */
public final class TransportBenchmark {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_REQUEST = ("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Accept: text/plain\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ChannelHandler ECHO = new EchoHandler();

    private TransportBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code name=value} settings, see the class comment
     */
    public static void main(String[] args) throws Exception {
        int conns = intArg(args, "conns", 16);
        int pipeline = intArg(args, "pipeline", 1);
        int seconds = intArg(args, "seconds", 5);
        int warmup = intArg(args, "warmup", 2);
        int size = intArg(args, "size", 256);
        int serverThreads = intArg(args, "serverThreads", 1);
        int clientThreads = intArg(args, "clientThreads", 1);
        long maxRequests = intArg(args, "maxRequests", 50_000_000);
        int rounds = intArg(args, "rounds", 3);
        int warmupRounds = intArg(args, "warmupRounds", 1, 0);
        List<String> transports = listArg(args, "transports", "rio,nio,epoll,io_uring");
        List<String> workloads = listArg(args, "workloads", "http,echo");
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported by this JVM");
        }
        THREADS.setThreadCpuTimeEnabled(true);

        System.out.printf(Locale.ROOT, "TransportBenchmark: conns=%d pipeline=%d seconds=%d warmup=%d size=%d "
                        + "serverThreads=%d clientThreads=%d rounds=%d, %d CPUs, Java %s, RIO provider %s%n",
                conns, pipeline, seconds, warmup, size, serverThreads, clientThreads, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Rio.isAvailable() ? RioRules.unwrap(Rio.provider()).name() : "unavailable");

        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(clientThreads,
                new DefaultThreadFactory("bench-client", true), NioIoHandler.newFactory());
        try {
            for (String workload : workloads) {
                Map<String, List<Result>> results = new LinkedHashMap<>();
                for (String transport : transports) {
                    results.put(transport, new ArrayList<>());
                }
                // Round -1 warms every server up (JIT compilation of the codecs and of each transport) and is
                // not counted: without it the first server measured pays for compiling the shared code. Each
                // measured round starts with the next transport, so that none is always measured first.
                for (int round = -warmupRounds; round < rounds; round++) {
                    System.out.println(round < 0 ? "warm-up round (not counted)" : "round " + (round + 1));
                    for (int i = 0; i < transports.size(); i++) {
                        String transport = transports.get(Math.floorMod(i + round, transports.size()));
                        Server server = Server.forName(transport, serverThreads);
                        if (server == null) {
                            continue;
                        }
                        Result r = measure(server, workload, clientGroup, conns, pipeline, size, warmup, seconds,
                                maxRequests);
                        if (round >= 0) {
                            results.computeIfAbsent(transport, k -> new ArrayList<>()).add(r);
                        }
                    }
                }
                print(workload, results, conns, pipeline, size);
            }
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Result measure(Server server, String workload, EventLoopGroup clientGroup, int conns,
                                  int pipeline, int size, int warmup, int seconds, long maxRequests)
            throws Exception {
        boolean http = "http".equals(workload);
        if (!http && !"echo".equals(workload)) {
            throw new IllegalArgumentException("unknown workload " + workload);
        }
        byte[] request = http ? HTTP_REQUEST : new byte[size];
        if (!http) {
            for (int i = 0; i < size; i++) {
                request[i] = (byte) ('a' + i % 26);
            }
        }
        Channel listener = server.bind(http);
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            int responseSize = http ? probeHttp(port) : probeEcho(port, request);
            Load load = new Load(request, responseSize, pipeline, maxRequests);
            List<Channel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < conns; i++) {
                    clients.add(new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(load.handler())
                            .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel());
                }
                load.awaitRunning(clients);
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                Snapshot a = Snapshot.take(load, clientGroup, server);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                long lastCount = a.responses;
                long lastProgress = System.nanoTime();
                while (System.nanoTime() - deadline < 0) {
                    Thread.sleep(100);
                    long count = load.totalResponses(clientGroup);
                    if (count >= maxRequests) {
                        break;
                    }
                    if (count != lastCount) {
                        lastCount = count;
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                        throw new IllegalStateException(server.name + " " + workload + " stalled");
                    }
                }
                Snapshot b = Snapshot.take(load, clientGroup, server);
                load.stop();
                if (load.failure != null) {
                    throw new IllegalStateException(server.name + " " + workload + " failed", load.failure);
                }
                Result r = new Result(server.name, b.nanos - a.nanos, b.responses - a.responses,
                        b.serverCpu - a.serverCpu, b.clientCpu - a.clientCpu, b.enters - a.enters, b.sqes - a.sqes,
                        minus(b.latencies, a.latencies));
                System.out.printf(Locale.ROOT, "  %-5s %-8s %,12.0f req/s  p50 %,8.1f µs  p99 %,8.1f µs  "
                                + "server CPU %,7.2f µs/req%n", workload, server.name, r.throughput(),
                        r.percentileMicros(0.50), r.percentileMicros(0.99), r.serverCpuMicrosPerRequest());
                return r;
            } finally {
                for (Channel c : clients) {
                    c.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
                }
                load.release();
            }
        } finally {
            listener.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            server.shutdown();
        }
    }

    private static void print(String workload, Map<String, List<Result>> results, int conns, int pipeline,
                              int size) {
        System.out.printf(Locale.ROOT, "%n%s (%d connections, %d in flight each%s), median of %s rounds:%n",
                "http".equals(workload) ? "HTTP/1.1 plaintext" : "TCP echo", conns, pipeline,
                "http".equals(workload) ? "" : ", " + size + " B messages",
                results.values().stream().mapToInt(List::size).max().orElse(0));
        System.out.printf(Locale.ROOT, "%-9s %14s %7s %11s %11s %7s %13s %7s %13s %s%n", "server", "req/s",
                "x NIO", "p50 µs", "p99 µs", "x NIO", "srv CPU µs/req", "x NIO", "client CPU", "io_uring_enter/SQE per req");
        Result nio = median(results.get("nio"));
        for (Map.Entry<String, List<Result>> e : results.entrySet()) {
            Result r = median(e.getValue());
            if (r == null) {
                continue;
            }
            String uring = r.enters > 0 ? String.format(Locale.ROOT, "%.2f / %.2f",
                    (double) r.enters / r.responses, (double) r.sqes / r.responses) : "";
            System.out.printf(Locale.ROOT, "%-9s %,14.0f %7s %,11.1f %,11.1f %7s %13.2f %7s %13.2f %s%n",
                    r.name, r.throughput(), ratio(r.throughput(), nio == null ? 0 : nio.throughput()),
                    r.percentileMicros(0.50), r.percentileMicros(0.99),
                    ratio(r.percentileMicros(0.99), nio == null ? 0 : nio.percentileMicros(0.99)),
                    r.serverCpuMicrosPerRequest(),
                    ratio(r.serverCpuMicrosPerRequest(), nio == null ? 0 : nio.serverCpuMicrosPerRequest()),
                    r.clientCpuMicrosPerRequest(), uring);
        }
        System.out.println();
    }

    private static int[] minus(int[] end, int[] start) {
        int[] d = new int[end.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = end[i] - start[i];
        }
        return d;
    }

    private static String ratio(double value, double nio) {
        return nio > 0 ? String.format(Locale.ROOT, "%.2f", value / nio) : "-";
    }

    /** The run with the median throughput: its other figures are reported with it, not mixed with other runs. */
    private static Result median(List<Result> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort((x, y) -> Double.compare(x.throughput(), y.throughput()));
        return sorted.get(sorted.size() / 2);
    }

    /** Sends one HTTP request with a blocking socket and returns the size of the (checked) response. */
    private static int probeHttp(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
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
            if (!h.startsWith("http/1.1 200 ")) {
                throw new IllegalStateException("unexpected HTTP response: " + head);
            }
            int at = h.indexOf("content-length:");
            int length = Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim());
            byte[] body = in.readNBytes(length);
            if (!Arrays.equals(body, HELLO)) {
                throw new IllegalStateException("unexpected body " + new String(body, StandardCharsets.US_ASCII));
            }
            return head.length() + length;
        }
    }

    /** Sends one echo message with a blocking socket, checks the echo and returns its size. */
    private static int probeEcho(int port, byte[] message) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(message);
            byte[] back = s.getInputStream().readNBytes(message.length);
            if (!Arrays.equals(back, message)) {
                throw new IllegalStateException("echo differs");
            }
            return message.length;
        }
    }

    /** A server under test: its own event-loop group, whose threads are recorded to read their CPU time. */
    private static final class Server {
        final String name;
        final IoHandlerFactory factory;
        final Class<? extends ServerChannel> channelClass;
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<Channel> children = new CopyOnWriteArrayList<>();
        int serverThreads;
        EventLoopGroup group;

        private Server(String name, IoHandlerFactory factory, Class<? extends ServerChannel> channelClass) {
            this.name = name;
            this.factory = factory;
            this.channelClass = channelClass;
        }

        static Server forName(String name, int serverThreads) {
            Server server = forName(name);
            if (server != null) {
                server.serverThreads = serverThreads;
            }
            return server;
        }

        private static Server forName(String name) {
            switch (name) {
                case "rio":
                    if (!Rio.isAvailable()) {
                        System.out.println("  rio: not available: " + Rio.unavailabilityCause());
                        return null;
                    }
                    return new Server(name, RioIoHandler.newFactory(), RioServerSocketChannel.class);
                case "nio":
                    return new Server(name, NioIoHandler.newFactory(), NioServerSocketChannel.class);
                case "epoll":
                    if (!Epoll.isAvailable()) {
                        System.out.println("  epoll: not available: " + Epoll.unavailabilityCause());
                        return null;
                    }
                    return new Server(name, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
                case "io_uring":
                    if (!IoUring.isAvailable()) {
                        System.out.println("  io_uring: not available: " + IoUring.unavailabilityCause());
                        return null;
                    }
                    return new Server(name, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
                default:
                    throw new IllegalArgumentException("unknown transport " + name);
            }
        }

        Channel bind(boolean http) throws InterruptedException {
            ThreadFactory base = new DefaultThreadFactory("bench-" + name, true);
            ThreadFactory recording = r -> {
                Thread t = base.newThread(r);
                threads.add(t);
                return t;
            };
            group = new MultiThreadIoEventLoopGroup(serverThreads, recording, factory);
            ChannelHandler child = new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    children.add(ch);
                    if (http) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                    } else {
                        ch.pipeline().addLast(ECHO);
                    }
                }
            };
            return new ServerBootstrap().group(group).channel(channelClass)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(child)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        long cpuNanos() {
            long sum = 0;
            for (Thread t : threads) {
                long cpu = THREADS.getThreadCpuTime(t.threadId());
                if (cpu > 0) {
                    sum += cpu;
                }
            }
            return sum;
        }

        long[] uringCounts() {
            if ("rio".equals(name) && RioRules.unwrap(Rio.provider()) instanceof IoUringProvider uring) {
                return new long[] {uring.statistics().enterCalls(), uring.statistics().sqesSubmitted()};
            }
            return new long[2];
        }

        void shutdown() {
            // Close the accepted connections first, and wait: the group's shutdown should find nothing to close.
            for (Channel c : children) {
                c.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
        }
    }

    /** The "Hello, World!" plaintext handler, TechEmpower style: one response per request, flushed per read. */
    private static final class HelloHandler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                FullHttpResponse response = new DefaultFullHttpResponse(HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(HELLO));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.length);
                if (HttpUtil.isKeepAlive(request)) {
                    ctx.write(response);
                } else {
                    ctx.write(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Writes back what it reads, flushing once per read batch. */
    @Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * The load of one measurement. Each client event loop keeps its own counters and latency histogram (only its
     * thread touches them); the main thread reads them by running a task on that loop.
     */
    private static final class Load {
        final ByteBuf request;
        private final ByteBuf requestStorage;
        final int responseSize;
        final int pipeline;
        final long maxRequests;
        final Map<EventLoop, Stats> stats = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean stopped;
        volatile Throwable failure;

        Load(byte[] request, int responseSize, int pipeline, long maxRequests) {
            this.requestStorage = Unpooled.directBuffer(request.length).writeBytes(request);
            this.request = Unpooled.unreleasableBuffer(requestStorage);
            this.responseSize = responseSize;
            this.pipeline = pipeline;
            this.maxRequests = maxRequests;
        }

        ChannelHandler handler() {
            return new ClientHandler(this);
        }

        Stats stats(EventLoop loop) {
            return stats.computeIfAbsent(loop, l -> new Stats());
        }

        void awaitRunning(List<Channel> clients) throws InterruptedException {
            long deadline = System.nanoTime() + STALL_NANOS;
            while (totalResponses(clients.get(0).eventLoop().parent()) < clients.size()) {
                if (System.nanoTime() - deadline > 0 || failure != null) {
                    throw new IllegalStateException("the load did not start", failure);
                }
                Thread.sleep(10);
            }
        }

        long totalResponses(io.netty.channel.EventLoopGroup group) {
            long sum = 0;
            for (Map.Entry<EventLoop, Stats> e : stats.entrySet()) {
                sum += onLoop(e.getKey(), () -> e.getValue().responses);
            }
            return sum;
        }

        void stop() {
            stopped = true;
        }

        /** Frees the request bytes once every client connection is closed. */
        void release() {
            requestStorage.release();
        }
    }

    private static <T> T onLoop(EventLoop loop, Supplier<T> read) {
        try {
            return loop.submit(read::get).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per client event loop: responses and a latency histogram in 100 ns steps up to 100 ms. */
    private static final class Stats {
        static final int BUCKETS = 1_000_000;
        long responses;
        int[] histogram = new int[BUCKETS];
        long overflow;

        void record(long nanos) {
            responses++;
            long bucket = nanos / 100;
            if (bucket < BUCKETS) {
                histogram[(int) bucket]++;
            } else {
                overflow++;
            }
        }
    }

    /** One connection of the load: keeps {@code pipeline} requests in flight, counting response bytes. */
    private static final class ClientHandler extends ChannelInboundHandlerAdapter {
        private final Load load;
        private final long[] sent;
        private int head;
        private int inFlight;
        private int partial;
        private Stats stats;

        ClientHandler(Load load) {
            this.load = load;
            this.sent = new long[load.pipeline];
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            stats = load.stats(ctx.channel().eventLoop());
            for (int i = 0; i < load.pipeline; i++) {
                send(ctx);
            }
            ctx.flush();
        }

        private void send(ChannelHandlerContext ctx) {
            sent[(head + inFlight) % sent.length] = System.nanoTime();
            inFlight++;
            ctx.write(load.request.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int bytes = buf.readableBytes();
            buf.release();
            partial += bytes;
            boolean sentAny = false;
            while (partial >= load.responseSize) {
                partial -= load.responseSize;
                if (inFlight == 0) {
                    load.failure = new IllegalStateException("more response bytes than requests");
                    ctx.close();
                    return;
                }
                stats.record(System.nanoTime() - sent[head]);
                head = (head + 1) % sent.length;
                inFlight--;
                if (!load.stopped && stats.responses < load.maxRequests) {
                    send(ctx);
                    sentAny = true;
                }
            }
            if (sentAny) {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!load.stopped) {
                load.failure = cause;
            }
            ctx.close();
        }
    }

    /** The counters at one instant. */
    private static final class Snapshot {
        long nanos;
        long responses;
        long serverCpu;
        long clientCpu;
        long enters;
        long sqes;
        int[] latencies;

        static Snapshot take(Load load, EventLoopGroup clientGroup, Server server) {
            Snapshot s = new Snapshot();
            int[] merged = new int[Stats.BUCKETS];
            for (Map.Entry<EventLoop, Stats> e : load.stats.entrySet()) {
                long[] r = onLoop(e.getKey(), () -> {
                    Stats st = e.getValue();
                    for (int i = 0; i < Stats.BUCKETS; i++) {
                        merged[i] += st.histogram[i];
                    }
                    return new long[] {st.responses, st.overflow};
                });
                s.responses += r[0];
            }
            s.latencies = merged;
            s.nanos = System.nanoTime();
            s.serverCpu = server.cpuNanos();
            long[] uring = server.uringCounts();
            s.enters = uring[0];
            s.sqes = uring[1];
            s.clientCpu = clientCpu(clientGroup);
            return s;
        }

        private static long clientCpu(EventLoopGroup clientGroup) {
            long sum = 0;
            for (io.netty.util.concurrent.EventExecutor e : clientGroup) {
                sum += onLoop((EventLoop) e, () -> THREADS.getCurrentThreadCpuTime());
            }
            return sum;
        }
    }

    /** One measurement of one server. */
    private static final class Result {
        final String name;
        final long nanos;
        final long responses;
        final long serverCpu;
        final long clientCpu;
        final long enters;
        final long sqes;
        final int[] latencies;

        Result(String name, long nanos, long responses, long serverCpu, long clientCpu, long enters, long sqes,
               int[] latenciesAtEnd) {
            this.name = name;
            this.nanos = nanos;
            this.responses = responses;
            this.serverCpu = serverCpu;
            this.clientCpu = clientCpu;
            this.enters = enters;
            this.sqes = sqes;
            this.latencies = latenciesAtEnd;
        }

        double throughput() {
            return responses * 1e9 / nanos;
        }

        double serverCpuMicrosPerRequest() {
            return responses == 0 ? 0 : serverCpu / 1e3 / responses;
        }

        double clientCpuMicrosPerRequest() {
            return responses == 0 ? 0 : clientCpu / 1e3 / responses;
        }

        double percentileMicros(double p) {
            long total = 0;
            for (int c : latencies) {
                total += c;
            }
            long rank = (long) Math.ceil(p * total);
            long seen = 0;
            for (int i = 0; i < latencies.length; i++) {
                seen += latencies[i];
                if (seen >= rank && rank > 0) {
                    return (i + 1) / 10.0;
                }
            }
            return Double.NaN;
        }
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        return intArg(args, name, defaultValue, 1);
    }

    private static int intArg(String[] args, String name, int defaultValue, int min) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                int v = Integer.parseInt(a.substring(name.length() + 1));
                if (v < min) {
                    throw new IllegalArgumentException(name + " must be at least " + min + ": " + v);
                }
                return v;
            }
        }
        return defaultValue;
    }

    private static List<String> listArg(String[] args, String name, String defaultValue) {
        String value = defaultValue;
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                value = a.substring(name.length() + 1);
            }
        }
        return Arrays.asList(value.split(","));
    }
}
