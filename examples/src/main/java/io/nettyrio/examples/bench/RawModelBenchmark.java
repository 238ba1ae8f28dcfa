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

import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.uring.IoUringProvider;

import java.io.EOFException;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark program (not a test): loopback TCP ping-pong and streaming through the raw RIO model
 * ({@link RioEndpoint}: registered slots, RIOSend/RIOReceive, RIONotify and a completion port) against a plain JDK
 * {@link SocketChannel} in blocking mode, in the same run, on the same machine, with the same message sizes. It
 * reports messages per second, MB/s for streaming, round-trip latency percentiles for ping-pong, and the ratio of
 * RIO to the JDK. Every phase is bounded in count and in time; only loopback is used.
 *
 * <p>Each side of a connection has its own thread (a RIO request queue is driven by one thread at a time). Usage:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.nettyrio.examples.bench.RawModelBenchmark \
 *     [roundTrips=20000] [pingSize=64] [streamMiB=128] [streamSize=8192] [runs=3]
 * </pre>
 * Arguments are {@code name=value}; the median of {@code runs} measured runs (after one warm-up run) is reported.
 */
public final class RawModelBenchmark {
    private static final long PHASE_TIMEOUT_SECONDS = 60;
    /** Sends kept in flight by the RIO streaming client, committed in batches with RIO_MSG_DEFER. */
    private static final int STREAM_WINDOW = 16;
    /** Receives kept posted by the streaming server. */
    private static final int STREAM_RECEIVES = 4;
    private static final int STREAM_RECEIVE_SIZE = 64 << 10;

    private RawModelBenchmark() {
    }

    /**
     * One measured run of one phase; {@code enters} and {@code sqes} are the io_uring provider's system calls and
     * submissions during the run (both ends), -1 for another provider or the JDK.
     */
    private record Run(long messages, long bytes, long nanos, long[] latencies, long enters, long sqes) {
        Run(long messages, long bytes, long nanos, long[] latencies) {
            this(messages, bytes, nanos, latencies, -1, -1);
        }

        Run withCounts(long[] before, long[] after) {
            return before == null ? this
                    : new Run(messages, bytes, nanos, latencies, after[0] - before[0], after[1] - before[1]);
        }

        double messagesPerSecond() {
            return messages * 1e9 / nanos;
        }

        double megabytesPerSecond() {
            return bytes * 1e9 / nanos / 1e6;
        }

        double latencyMicros(double quantile) {
            if (latencies == null) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code name=value} settings, see the class comment
     */
    public static void main(String[] args) throws Exception {
        int roundTrips = intArg(args, "roundTrips", 20_000);
        int pingSize = intArg(args, "pingSize", 64);
        int streamMiB = intArg(args, "streamMiB", 128);
        int streamSize = intArg(args, "streamSize", 8192);
        int runs = intArg(args, "runs", 3);
        long streamMessages = ((long) streamMiB << 20) / streamSize;

        Rio.ensureAvailability();
        RioProvider provider = Rio.provider();
        System.out.printf(Locale.ROOT, "Raw RIO model (provider %s%s) vs JDK blocking SocketChannel, loopback TCP,"
                        + " %d CPUs, %s%n", provider.name(), Rio.rulesEnabled() ? ", RioRules on" : "",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.printf(Locale.ROOT, "median of %d runs after 1 warm-up run%n%n", runs);

        ExecutorService servers = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-server");
            t.setDaemon(true);
            return t;
        });
        try {
            Run rioPing = median(runs, () -> rioPingPong(provider, servers, roundTrips, pingSize));
            Run jdkPing = median(runs, () -> jdkPingPong(servers, roundTrips, pingSize));
            System.out.printf(Locale.ROOT, "ping-pong: %d round trips of %d bytes%n", roundTrips, pingSize);
            printPing("raw RIO", rioPing);
            printPing("JDK", jdkPing);
            System.out.printf(Locale.ROOT, "  ratio RIO/JDK: %.2fx round trips/s%n%n",
                    rioPing.messagesPerSecond() / jdkPing.messagesPerSecond());

            Run rioStream = median(runs, () -> rioStream(provider, servers, streamMessages, streamSize));
            Run jdkStream = median(runs, () -> jdkStream(servers, streamMessages, streamSize));
            System.out.printf(Locale.ROOT, "streaming: %d messages of %d bytes (%d MiB)%n", streamMessages,
                    streamSize, streamMiB);
            printStream("raw RIO", rioStream);
            printStream("JDK", jdkStream);
            System.out.printf(Locale.ROOT, "  ratio RIO/JDK: %.2fx messages/s%n",
                    rioStream.messagesPerSecond() / jdkStream.messagesPerSecond());
        } finally {
            servers.shutdownNow();
        }
    }

    /** The io_uring provider's counters {enter calls, SQEs}, or null for another provider. */
    private static long[] counts(RioProvider provider) {
        if (RioRules.unwrap(provider) instanceof IoUringProvider uring) {
            return new long[] {uring.statistics().enterCalls(), uring.statistics().sqesSubmitted()};
        }
        return null;
    }

    private static String perMessage(Run r, String unit) {
        if (r.enters() < 0) {
            return "";
        }
        return String.format(Locale.ROOT, "   io_uring_enter %.2f, SQEs %.2f per %s", (double) r.enters() / r.messages(),
                (double) r.sqes() / r.messages(), unit);
    }

    private static void printPing(String name, Run r) {
        System.out.printf(Locale.ROOT, "  %-8s %10.0f round trips/s   latency p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us%n",
                name, r.messagesPerSecond(), r.latencyMicros(0.50), r.latencyMicros(0.99), r.latencyMicros(0.999));
        if (r.enters() >= 0) {
            System.out.println("          " + perMessage(r, "round trip").trim());
        }
    }

    private static void printStream(String name, Run r) {
        System.out.printf(Locale.ROOT, "  %-8s %10.0f messages/s   %8.1f MB/s%s%n", name, r.messagesPerSecond(),
                r.megabytesPerSecond(), perMessage(r, "message"));
    }

    /** One warm-up run, then {@code runs} measured ones; returns the one with the median rate. */
    private static Run median(int runs, Callable<Run> phase) throws Exception {
        phase.call();
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            measured.add(phase.call());
        }
        measured.sort((a, b) -> Double.compare(a.messagesPerSecond(), b.messagesPerSecond()));
        return measured.get(measured.size() / 2);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Raw RIO

    private static Run rioPingPong(RioProvider provider, ExecutorService servers, int roundTrips, int size)
            throws Exception {
        RioEndpoint[] pair = RioEndpoint.connectedPair(provider, 4, Math.max(size, 64), 4);
        RioEndpoint server = pair[0];
        RioEndpoint client = pair[1];
        try {
            Future<?> echo = servers.submit(() -> {
                rioEcho(server, Math.max(size, 64));
                return null;
            });
            long[] latencies = new long[roundTrips];
            for (int i = 0; i < size; i++) {
                client.slot(0).set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            long[] before = counts(provider);
            long start = System.nanoTime();
            for (int n = 0; n < roundTrips; n++) {
                long t0 = System.nanoTime();
                client.receive(1, size);
                client.send(0, size, 0);
                int echoed = 0;
                boolean sent = false;
                while (echoed < size || !sent) {
                    client.await();
                    if (client.wasSend()) {
                        sent = true;
                    } else {
                        if (client.bytes == 0) {
                            throw new EOFException("the echo server closed");
                        }
                        echoed += client.bytes;
                        if (echoed < size) {
                            client.receive(1, size - echoed);
                        }
                    }
                }
                latencies[n] = System.nanoTime() - t0;
            }
            long nanos = System.nanoTime() - start;
            long[] after = counts(provider);
            check(client.slot(1).get(ValueLayout.JAVA_BYTE, size - 1) == (byte) (size - 1),
                    "the last echo came back intact");
            client.close();
            echo.get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Run(roundTrips, (long) roundTrips * size, nanos, latencies).withCounts(before, after);
        } finally {
            client.close();
            server.close();
        }
    }

    /** Echoes what arrives until the end of the stream, always with a receive posted in a free slot. */
    private static void rioEcho(RioEndpoint server, int slotSize) throws Exception {
        boolean[] busy = new boolean[4];
        server.receive(0, slotSize);
        busy[0] = true;
        for (;;) {
            server.await();
            int slot = server.slotOfResult();
            if (server.wasSend()) {
                busy[slot] = false;
                continue;
            }
            if (server.bytes == 0) {
                return;
            }
            int free = -1;
            for (int i = 0; i < busy.length && free < 0; i++) {
                if (!busy[i]) {
                    free = i;
                }
            }
            if (free < 0) {
                throw new IllegalStateException("no free slot");
            }
            server.receive(free, slotSize);
            busy[free] = true;
            // Echo straight out of the slot received into: its receive is complete and dequeued.
            server.send(slot, server.bytes, 0);
        }
    }

    private static Run rioStream(RioProvider provider, ExecutorService servers, long messages, int size)
            throws Exception {
        int slots = Math.max(STREAM_WINDOW, STREAM_RECEIVES);
        RioEndpoint[] pair = RioEndpoint.connectedPair(provider, slots, Math.max(size, STREAM_RECEIVE_SIZE),
                slots);
        RioEndpoint server = pair[0];
        RioEndpoint client = pair[1];
        long total = messages * size;
        try {
            Future<Long> sink = servers.submit(() -> {
                for (int i = 0; i < STREAM_RECEIVES; i++) {
                    server.receive(i, STREAM_RECEIVE_SIZE);
                }
                long received = 0;
                while (received < total) {
                    server.await();
                    if (server.bytes == 0) {
                        throw new EOFException("stream ended after " + received + " bytes");
                    }
                    received += server.bytes;
                    server.receive(server.slotOfResult(), STREAM_RECEIVE_SIZE);
                }
                return System.nanoTime();
            });
            boolean[] inFlight = new boolean[STREAM_WINDOW];
            int pending = 0;
            long sent = 0;
            long completed = 0;
            long[] before = counts(provider);
            long start = System.nanoTime();
            while (completed < messages) {
                // Fill the window with deferred sends, then start them all with one commit.
                boolean deferred = false;
                for (int i = 0; i < STREAM_WINDOW && sent < messages; i++) {
                    if (!inFlight[i]) {
                        client.send(i, size, RioConstants.RIO_MSG_DEFER);
                        inFlight[i] = true;
                        pending++;
                        sent++;
                        deferred = true;
                    }
                }
                if (deferred) {
                    client.commit();
                }
                do {
                    client.await();
                    inFlight[client.slotOfResult()] = false;
                    pending--;
                    completed++;
                } while (client.hasResult());
            }
            check(pending == 0, "every send completed");
            long end = sink.get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Run(messages, total, end - start, null).withCounts(before, counts(provider));
        } finally {
            client.close();
            server.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // JDK blocking SocketChannel

    private static SocketChannel[] jdkPair() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel server = listener.accept();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new SocketChannel[] {server, client};
        }
    }

    private static Run jdkPingPong(ExecutorService servers, int roundTrips, int size) throws Exception {
        SocketChannel[] pair = jdkPair();
        try (SocketChannel server = pair[0]; SocketChannel client = pair[1]) {
            Future<?> echo = servers.submit(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(size, 64));
                while (server.read(buf.clear()) > 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        server.write(buf);
                    }
                }
                return null;
            });
            ByteBuffer out = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) i);
            }
            ByteBuffer in = ByteBuffer.allocateDirect(size);
            long[] latencies = new long[roundTrips];
            long start = System.nanoTime();
            for (int n = 0; n < roundTrips; n++) {
                long t0 = System.nanoTime();
                out.clear();
                while (out.hasRemaining()) {
                    client.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (client.read(in) < 0) {
                        throw new EOFException("the echo server closed");
                    }
                }
                latencies[n] = System.nanoTime() - t0;
            }
            long nanos = System.nanoTime() - start;
            check(in.get(size - 1) == (byte) (size - 1), "the last echo came back intact");
            client.shutdownOutput();
            echo.get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Run(roundTrips, (long) roundTrips * size, nanos, latencies);
        }
    }

    private static Run jdkStream(ExecutorService servers, long messages, int size) throws Exception {
        SocketChannel[] pair = jdkPair();
        long total = messages * size;
        try (SocketChannel server = pair[0]; SocketChannel client = pair[1]) {
            Future<Long> sink = servers.submit(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(STREAM_RECEIVE_SIZE);
                long received = 0;
                while (received < total) {
                    int n = server.read(buf.clear());
                    if (n < 0) {
                        throw new EOFException("stream ended after " + received + " bytes");
                    }
                    received += n;
                }
                return System.nanoTime();
            });
            ByteBuffer out = ByteBuffer.allocateDirect(size);
            long start = System.nanoTime();
            for (long n = 0; n < messages; n++) {
                out.clear();
                while (out.hasRemaining()) {
                    client.write(out);
                }
            }
            long end = sink.get(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Run(messages, total, end - start, null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }

    private static int intArg(String[] args, String name, int defaultValue) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                int v = Integer.parseInt(a.substring(name.length() + 1));
                if (v <= 0) {
                    throw new IllegalArgumentException(name + " must be positive: " + v);
                }
                return v;
            }
        }
        return defaultValue;
    }
}
