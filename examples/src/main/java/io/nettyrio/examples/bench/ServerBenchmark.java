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

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark program (not a test): Netty servers on the RIO transport and on Netty's NIO, epoll and io_uring
 * transports, measured the way a user of a server sees them, in one run.
 *
 * <p><b>Set-up.</b> Each server runs in a JVM of its own ({@link BenchServer}: same classpath, RioRules off, leak
 * detection off), pinned to CPU 0 with {@code taskset}, with ONE event loop. This JVM is the load generator
 * ({@link LoadGenerator}: one Netty epoll event loop, as light as it can be), pinned to CPU 1. So the server has a
 * CPU of its own, and a transport that needs less CPU per request shows it as more requests per second.
 *
 * <p><b>Workloads</b> ({@link Workload#named}): echo of 64 B and of 1 KiB, HTTP/1.1 plaintext closed loop and
 * pipelined, over {@code conns} connections (64), each keeping one request (or {@code pipeline}, 16) in flight; a
 * 1-connection 64 B ping-pong for latency; UDP echo of 64 B datagrams from {@code conns} client sockets. Where
 * {@code wrk} is on the PATH, the two HTTP workloads run a second time with wrk as the load ({@link WrkLoad}, pinned
 * to CPU 1 too).
 *
 * <p><b>Reported per run</b> (server, workload, round), over the measured window (system calls: the counting
 * window after it): operations per second;
 * latency p50, p99, p99.9 (from a request's send to the last byte of its response, 100 ns buckets); the server
 * JVM's CPU time per operation (user + system of all its threads, {@code /proc/<pid>/stat}); the bytes the server
 * JVM allocated per operation ({@code ThreadMXBean.getTotalThreadAllocatedBytes}, read inside it);
 * {@code io_uring_enter} calls, SQEs and all system calls per operation: for RIO the first two from the provider's
 * {@code IoUringStatistics} (read inside the server JVM), for the others from {@code perf stat} on the server's
 * tracepoints when the machine allows it ({@code -} otherwise), in a counting window after the measured one. At
 * the end, per workload, the median round of each transport (by throughput) and its ratios to the best peer (the
 * best of NIO, epoll and io_uring).
 *
 * <p><b>Rounds.</b> Each round starts one server JVM per transport, in turn, rotating the order from round to
 * round, and runs every workload against it ({@code warmup} seconds, then {@code seconds} measured; the first
 * workload of each server JVM warms up {@code jvmWarmup} seconds longer, while the JIT compiles). Then, for at most
 * {@code settle} seconds, the warm-up goes on in one-second steps until the server's JIT compiler threads, and
 * the load generator's, used under 2% of a CPU in the last step: the server is pinned to one CPU, so a compiler still busy in the measured
 * window takes its CPU from the event loop and is counted in the transport's CPU per operation, and a transport
 * with more code to compile would be charged for its warm-up. The {@code JIT %} column says what share of the
 * server's CPU in the window the compilers still took.
 *
 * <p><b>Bounds.</b> Every phase ends after its time or its {@code ops} operations, whichever comes first; a
 * workload with no progress for {@code stall} seconds, wrong bytes, or a server JVM that dies fails the run.
 * 127.0.0.1 only.
 *
 * <p><b>Under reactor-netty.</b> The workloads {@code reactor-http}, {@code reactor-http-pipe},
 * {@code wrk-reactor-http} and {@code wrk-reactor-http-pipe} (run only when named) drive reactor-netty's
 * {@code HttpServer} on one event loop of each transport ({@link ReactorHttpHello}); the channel classes it runs on
 * are printed from the server JVM, and a server on another transport's channels fails the run.
 *
 * <p>Settings ({@code name=value}): {@code workloads} (echo-64,echo-1k,http,http-pipe,pingpong,udp, and
 * wrk-http,wrk-http-pipe with wrk; reactor-http,reactor-http-pipe,wrk-reactor-http,wrk-reactor-http-pipe when
 * named),
 * {@code transports} (rio,nio,epoll,io_uring; {@code rio@<build>} with {@code cp.<build>=<classpath>} adds
 * another build of RIO, with {@code jvm.<build>=<options>} a RIO server with JVM options of its own, see
 * {@link Target}), {@code conns} (64), {@code pipeline} (16), {@code jvmWarmup} (3),
 * {@code warmup} (2), {@code seconds} (3), {@code rounds} (3), {@code ops} (per phase, 100,000,000),
 * {@code stall} (30), {@code settle} (30),
 * {@code pin} (true: server on CPU 0, load on CPU 1, with {@code taskset}, when there are 2 CPUs or more),
 * {@code perf} (true: count system calls with {@code perf stat} when it works here, in a window of {@code
 * perfSeconds} (2) after the measured one, so that tracing costs no CPU in it), {@code verify} (false: check
 * every response byte, not only each connection's first response), {@code checks} (false: RioRules and PARANOID
 * leak detection in the server), {@code heap} (server heap, 256m), {@code interleave} (0: off; milliseconds:
 * each round's servers all run at once and the load visits them in turns of this long until each had {@code
 * seconds} of measured load, so that the machine's own changes of speed fall on every server alike; see
 * {@link InterleavedRounds}).
 */
public final class ServerBenchmark {
    private static final long POLL_MILLIS = 20;

    private ServerBenchmark() {
    }

    /**
     * Runs the benchmark and prints its report on {@code System.out}.
     *
     * @param args {@code name=value} settings, see the class comment
     * @throws Exception if a server cannot be started, or a workload fails or stalls
     */
    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        int conns = s.integer("conns", 64, 1, 10_000);
        int pipeline = s.integer("pipeline", 16, 1, 1024);
        // wrk drives the HTTP workloads a second time where the machine has it (the same server, another client).
        String defaults = Workload.DEFAULT_WORKLOADS + (WrkLoad.available() ? "," + Workload.WRK_WORKLOADS : "");
        List<Workload> workloads = Workload.named(s.list("workloads", defaults), conns, pipeline);
        run(Options.from(s), workloads, System.out);
    }

    /** The run's settings other than the workloads. */
    record Options(List<Target> transports, int jvmWarmupSeconds, int warmupSeconds, int seconds,
                   int rounds, long ops, int stallSeconds, boolean pin, boolean perf, boolean verify, boolean checks,
                   String heap, int settleSeconds, int perfSeconds, int interleaveMillis) {
        static Options from(Settings s) {
            List<Target> transports = new ArrayList<>();
            for (String t : s.list("transports", "rio,nio,epoll,io_uring")) {
                transports.add(Target.parse(t, s));
            }
            return new Options(transports, s.integer("jvmWarmup", 3, 0, 3600), s.integer("warmup", 2, 0, 3600),
                    s.integer("seconds", 3, 1, 3600),
                    s.integer("rounds", 3, 1, 100), s.integer("ops", 100_000_000, 1, Integer.MAX_VALUE),
                    s.integer("stall", 30, 1, 3600), s.bool("pin", true), s.bool("perf", true),
                    s.bool("verify", false), s.bool("checks", false), s.string("heap", "256m"),
                    s.integer("settle", 30, 0, 3600), s.integer("perfSeconds", 2, 1, 3600),
                    s.integer("interleave", 0, 0, 60_000));
        }
    }

    /**
     * A server to measure: a transport, under a label, and optionally another build's classes put first on the
     * server JVM's classpath ({@code rio@before} with {@code cp.before=<classpath>}) or JVM options of its own
     * ({@code rio@g1} with {@code jvm.g1=<options separated by spaces>}), so that two builds of a transport, or one
     * build under two JVM settings, are measured in the same run.
     *
     * @param label           the name in reports: the transport's label, or {@code <transport>@<build>}
     * @param transport       the transport
     * @param classpathPrefix the other build's classpath, or {@code null} for this build
     * @param jvmOptions      options for this server's JVM, after the benchmark's own; none may print to standard
     *                        output, which carries the server's reports ({@code -XX:CompileCommand=quiet} before
     *                        compile commands, {@code -Xlog:disable} before a flight recording)
     */
    record Target(String label, ServerTransport transport, String classpathPrefix, List<String> jvmOptions) {
        static Target of(ServerTransport transport) {
            return new Target(transport.label(), transport, null, List.of());
        }

        static Target parse(String label, Settings s) {
            int at = label.indexOf('@');
            if (at < 0) {
                return of(ServerTransport.forLabel(label));
            }
            String build = label.substring(at + 1);
            String classpath = s.string("cp." + build, "").trim();
            String options = s.string("jvm." + build, "").trim();
            if (classpath.isEmpty() && options.isEmpty()) {
                throw new IllegalArgumentException(label + " needs cp." + build + "=<classpath of that build> or jvm."
                        + build + "=<JVM options>");
            }
            return new Target(label, ServerTransport.forLabel(label.substring(0, at)),
                    classpath.isEmpty() ? null : classpath,
                    options.isEmpty() ? List.of() : List.of(options.split("\\s+")));
        }

        /** The label with what makes this server differ from the build's own, for the settings line. */
        String describe() {
            StringBuilder b = new StringBuilder(label);
            if (classpathPrefix != null) {
                b.append(" (").append(classpathPrefix).append(" first)");
            }
            if (!jvmOptions.isEmpty()) {
                b.append(" (JVM options ").append(String.join(" ", jvmOptions)).append(')');
            }
            return b.toString();
        }

        /** Whether a label names the RIO transport (of any build): it is measured against the peers. */
        static boolean isRio(String label) {
            int at = label.indexOf('@');
            return ServerTransport.forLabel(at < 0 ? label : label.substring(0, at)) == ServerTransport.RIO;
        }
    }

    /** One measured window of one workload on one server ({@code transport} is the target's label). */
    record Measurement(String transport, Workload workload, int round, long nanos, long ops, long lost,
                       double p50, double p99, double p999, long serverCpuNanos, long loadCpuNanos,
                       long allocatedBytes,
                       long rioEnters, long rioSqes, SyscallCounter.Counts perf, long perfOps, long jitCpuNanos,
                       int settledSeconds) {

        double throughput() {
            return ops * 1e9 / nanos;
        }

        double serverCpuMicrosPerOp() {
            return serverCpuNanos / 1e3 / ops;
        }

        /** The JIT compilers' share of the server's CPU time in the window, in percent. */
        double jitPercent() {
            return serverCpuNanos <= 0 ? 0 : 100.0 * jitCpuNanos / serverCpuNanos;
        }

        double allocatedPerOp() {
            return (double) allocatedBytes / ops;
        }

        /** {@code io_uring_enter} calls per op: RIO's own count, else perf's, else NaN. */
        double entersPerOp() {
            return rioEnters >= 0 ? (double) rioEnters / ops : perPerfOp(perf.enters());
        }

        double sqesPerOp() {
            return rioSqes >= 0 ? (double) rioSqes / ops : perPerfOp(perf.sqes());
        }

        double syscallsPerOp() {
            return perPerfOp(perf.syscalls());
        }

        double perPerfOp(long count) {
            return count < 0 || perfOps <= 0 ? Double.NaN : (double) count / perfOps;
        }

        /** Latency percentile in microseconds from a histogram of 100 ns buckets whose last bucket is open. */
        static double percentileMicros(int[] histogram, double p) {
            long total = 0;
            for (int c : histogram) {
                total += c;
            }
            long rank = Math.max(1, (long) Math.ceil(p * total));
            long seen = 0;
            for (int i = 0; i < histogram.length; i++) {
                seen += histogram[i];
                if (seen >= rank) {
                    // The last bucket holds everything from 100 ms on: its upper bound is unknown.
                    return i == histogram.length - 1 ? Double.POSITIVE_INFINITY : (i + 1) / 10.0;
                }
            }
            return Double.NaN;
        }
    }

    /** What a run measured: per workload and transport, one measurement per round; and what could not run. */
    record Report(Map<String, Map<String, List<Measurement>>> results, Map<String, String> unavailable,
                  List<String> leaks) {
    }

    static Report run(Options o, List<Workload> workloads, PrintStream out) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        boolean pin = o.pin() && cpus >= 2 && ServerProcess.commandWorks("taskset", "-c", "0", "true");
        if (pin && !ServerProcess.commandWorks("taskset", "-a", "-p", "-c", "1",
                Long.toString(ProcessHandle.current().pid()))) {
            throw new IllegalStateException("could not pin the load generator to CPU 1 with taskset");
        }
        boolean perf = o.perf() && SyscallCounter.available();
        Set<String> kinds = new LinkedHashSet<>();
        workloads.forEach(w -> kinds.add(w.kind()));
        Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();
        for (Workload w : workloads) {
            results.put(w.name(), new LinkedHashMap<>());
        }
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<String> leaks = new ArrayList<>();
        String loadBefore = loadAverage();
        try (LoadGenerator load = new LoadGenerator()) {
            out.printf(Locale.ROOT, "ServerBenchmark %s: %d CPUs, Linux %s, Java %s; servers %s, load generator "
                            + "Netty %s (1 event loop) %s, wrk %s; system calls counted by %s; load average %s%n",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), cpus, System.getProperty("os.version"),
                    Runtime.version(), pin ? "pinned to CPU 0" : "not pinned", load.name(),
                    pin ? "pinned to CPU 1" : "not pinned", WrkLoad.available() ? "available" : "not installed",
                    perf ? "perf stat (tracepoints)" : "nothing (perf unavailable or off)", loadBefore);
            out.printf(Locale.ROOT, "settings: transports=%s jvmWarmup=%d warmup=%d seconds=%d rounds=%d ops=%d"
                            + " verify=%s checks=%s heap=%s%n",
                    o.transports().stream().map(Target::describe).toList(), o.jvmWarmupSeconds(),
                    o.warmupSeconds(), o.seconds(),
                    o.rounds(), o.ops(), o.verify(), o.checks(), o.heap());
            // wrk cannot pause, so its workloads keep the sequential rounds.
            List<Workload> interleaved = o.interleaveMillis() == 0 ? List.of()
                    : workloads.stream().filter(w -> w.protocol() != Workload.Protocol.WRK_HTTP).toList();
            List<Workload> sequential = workloads.stream().filter(w -> !interleaved.contains(w)).toList();
            if (!interleaved.isEmpty()) {
                out.printf(Locale.ROOT, "interleaved: each round's servers run at once, measured in turns of %d ms%n",
                        o.interleaveMillis());
                InterleavedRounds.run(o, interleaved, List.copyOf(kinds), pin, perf, load, out, results, unavailable,
                        leaks);
            }
            for (int round = 0; round < (sequential.isEmpty() ? 0 : o.rounds()); round++) {
                for (int i = 0; i < o.transports().size(); i++) {
                    Target t = o.transports().get((i + round) % o.transports().size());
                    if (unavailable.containsKey(t.label())) {
                        continue;
                    }
                    ServerProcess server = ServerProcess.start(t, List.copyOf(kinds), pin ? 0 : -1, o.checks(),
                            o.heap());
                    boolean ok = false;
                    try {
                        if (server.unavailable != null) {
                            unavailable.put(t.label(), server.unavailable);
                            out.println(t.label() + ": not available: " + server.unavailable);
                            ok = true;
                            continue;
                        }
                        for (String line : server.info) {
                            out.println(t.label() + " server, " + line);
                        }
                        for (int index = 0; index < sequential.size(); index++) {
                            Workload w = sequential.get(index);
                            // A fresh JVM compiles the transport's and the handlers' code first: its first
                            // workload warms up for longer.
                            int warmup = o.warmupSeconds() + (index == 0 ? o.jvmWarmupSeconds() : 0);
                            Measurement m = measure(o, server, load, w, round + 1, perf, warmup);
                            results.get(w.name()).computeIfAbsent(t.label(), k -> new ArrayList<>()).add(m);
                            printRound(out, m);
                        }
                        ok = true;
                    } finally {
                        stop(server, ok, out, leaks);
                    }
                }
            }
        }
        for (Workload w : workloads) {
            printTable(out, w, results.get(w.name()));
        }
        out.printf(Locale.ROOT, "load average before %s, after %s%n", loadBefore, loadAverage());
        return new Report(results, unavailable, leaks);
    }

    private static Measurement measure(Options o, ServerProcess server, LoadGenerator load, Workload w, int round,
                                       boolean perf, int warmupSeconds) throws Exception {
        Integer port = server.ports.get(w.kind());
        if (port == null) {
            throw new IllegalStateException(server.transport + " server has no " + w.kind() + " listener");
        }
        byte[] http = w.protocol() == Workload.Protocol.HTTP || w.protocol() == Workload.Protocol.WRK_HTTP
                ? LoadGenerator.probeHttp(port) : null;
        if (w.protocol() == Workload.Protocol.WRK_HTTP) {
            return measureWrk(o, server, w, round, perf, warmupSeconds, port);
        }
        try (LoadGenerator.Run run = load.start(w, port, http, o.verify())) {
            String what = server.transport + " " + w.name();
            long stall = TimeUnit.SECONDS.toNanos(o.stallSeconds());
            int settled = warmUp(o, run, server, w, warmupSeconds);
            LoadGenerator.Snapshot a = run.snapshot();
            ServerProcess.Counters ca = server.counters();
            phase(run, server, what, TimeUnit.SECONDS.toNanos(o.seconds()), o.ops(), stall);
            LoadGenerator.Snapshot b = run.snapshot();
            ServerProcess.Counters cb = server.counters();
            Counted counted = countSyscalls(o, run, server, what, perf);
            if (run.failure != null) {
                throw new IllegalStateException(what + " failed", run.failure);
            }
            int[] histogram = b.histogram();
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] -= a.histogram()[i];
            }
            return new Measurement(server.transport, w, round, b.nanos() - a.nanos(), b.responses() - a.responses(),
                    b.lost() - a.lost(), Measurement.percentileMicros(histogram, 0.5),
                    Measurement.percentileMicros(histogram, 0.99), Measurement.percentileMicros(histogram, 0.999),
                    cb.cpuNanos() - ca.cpuNanos(), b.cpuNanos() - a.cpuNanos(),
                    cb.allocatedBytes() - ca.allocatedBytes(), ca.enters() < 0 ? -1 : cb.enters() - ca.enters(),
                    ca.sqes() < 0 ? -1 : cb.sqes() - ca.sqes(), counted.counts(), counted.ops(),
                    cb.jitCpuNanos() - ca.jitCpuNanos(), settled);
        }
    }

    /**
     * Runs the load on a server before anything is measured: until every connection has its first response, then
     * {@code warmupSeconds}, then until the JIT settles ({@link #settle}); returns the seconds settling took.
     */
    static int warmUp(Options o, LoadGenerator.Run run, ServerProcess server, Workload w, int warmupSeconds)
            throws Exception {
        String what = server.transport + " " + w.name();
        long stall = TimeUnit.SECONDS.toNanos(o.stallSeconds());
        // The load must be running (as many responses as connections) before anything is measured.
        phase(run, server, what + " start", stall, w.conns(), stall);
        if (warmupSeconds > 0) {
            phase(run, server, what + " warm-up", TimeUnit.SECONDS.toNanos(warmupSeconds), o.ops(), stall);
        }
        return settle(o, server, () -> phase(run, server, what + " settling", TimeUnit.SECONDS.toNanos(1), o.ops(),
                stall));
    }

    /** System calls counted by perf in a window, and the operations the load completed in it. */
    record Counted(SyscallCounter.Counts counts, long ops) {
    }

    /**
     * Counts the server's system calls for {@code perfSeconds} of load, when {@code perf} is on. They are counted in
     * a window of their own after the measured one: each tracepoint hit costs the server CPU (about 0.1 us per SQE
     * or system call, in perf's own samples), and the transports make different numbers of them per operation, so
     * counting while measuring would bias the CPU figures.
     */
    static Counted countSyscalls(Options o, LoadGenerator.Run run, ServerProcess server, String what, boolean perf)
            throws Exception {
        long start = run.responses();
        SyscallCounter counter = perf ? SyscallCounter.start(server.pid()) : null;
        if (counter != null) {
            phase(run, server, what + " counting", TimeUnit.SECONDS.toNanos(o.perfSeconds()), o.ops(),
                    TimeUnit.SECONDS.toNanos(o.stallSeconds()));
        }
        SyscallCounter.Counts counts = counter == null ? SyscallCounter.Counts.UNKNOWN : counter.stop();
        return new Counted(counts, run.responses() - start);
    }

    /** Stops a server JVM and collects the leaks it reported; its log is kept if it leaked or {@code ok} is false. */
    static void stop(ServerProcess server, boolean ok, PrintStream out, List<String> leaks) throws IOException {
        server.close();
        List<String> found = server.leaks();
        if (!found.isEmpty()) {
            leaks.addAll(found);
            out.println(server.transport + " server reported leaks, log " + server.log);
        } else if (ok) {
            Files.deleteIfExists(server.log);
        }
    }

    /** One more second of load. */
    interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} (a second of load each) until the server's JIT compiler threads, and this JVM's (the load
     * generator's), took under 2% of a CPU in one, for at most {@code settle} seconds; returns the seconds it took.
     */
    static int settle(Options o, ServerProcess server, Step step) throws Exception {
        long self = ProcessHandle.current().pid();
        for (int s = 0; s < o.settleSeconds(); s++) {
            long before = ServerProcess.jitCpuNanos(server.pid());
            long beforeLoad = ServerProcess.jitCpuNanos(self);
            long start = System.nanoTime();
            step.run();
            long elapsed = System.nanoTime() - start;
            long jit = ServerProcess.jitCpuNanos(server.pid()) - before;
            long jitLoad = ServerProcess.jitCpuNanos(self) - beforeLoad;
            if (jit * 50 < elapsed && jitLoad * 50 < elapsed) {
                return s + 1;
            }
        }
        return o.settleSeconds();
    }

    /**
     * The same window with {@code wrk} as the load: its run is the window (the server's counters are read just
     * before it starts and just after it ends); wrk's own CPU time is not known ({@code -}).
     */
    private static Measurement measureWrk(Options o, ServerProcess server, Workload w, int round, boolean perf,
                                          int warmupSeconds, int port) throws Exception {
        String what = server.transport + " " + w.name();
        int cpu = o.pin() ? 1 : -1;
        if (warmupSeconds > 0) {
            checkWrk(what + " warm-up", WrkLoad.run(port, w.conns(), w.depth(), warmupSeconds, cpu), server);
        }
        int settled = settle(o, server, () -> checkWrk(what + " settling", WrkLoad.run(port, w.conns(), w.depth(), 1,
                cpu), server));
        ServerProcess.Counters ca = server.counters();
        long start = System.nanoTime();
        WrkLoad.Result r = WrkLoad.run(port, w.conns(), w.depth(), o.seconds(), cpu);
        long nanos = System.nanoTime() - start;
        ServerProcess.Counters cb = server.counters();
        checkWrk(what, r, server);
        // Counted in a window of their own, as in measure().
        SyscallCounter counter = perf ? SyscallCounter.start(server.pid()) : null;
        long perfOps = r.requests();
        SyscallCounter.Counts counts = SyscallCounter.Counts.UNKNOWN;
        if (counter != null) {
            WrkLoad.Result counted = WrkLoad.run(port, w.conns(), w.depth(), o.perfSeconds(), cpu);
            counts = counter.stop();
            checkWrk(what + " counting", counted, server);
            perfOps = counted.requests();
        }
        return new Measurement(server.transport, w, round, nanos, r.requests(), 0, r.p50(), r.p99(), r.p999(),
                cb.cpuNanos() - ca.cpuNanos(), -1, cb.allocatedBytes() - ca.allocatedBytes(),
                ca.enters() < 0 ? -1 : cb.enters() - ca.enters(), ca.sqes() < 0 ? -1 : cb.sqes() - ca.sqes(),
                counts, perfOps, cb.jitCpuNanos() - ca.jitCpuNanos(), settled);
    }

    private static void checkWrk(String what, WrkLoad.Result r, ServerProcess server) {
        server.checkAlive();
        if (r.requests() == 0) {
            throw new IllegalStateException(what + " stalled: wrk got no response");
        }
        if (r.errors() > 0) {
            throw new IllegalStateException(what + " failed: wrk counted " + r.errors() + " errors (connect, read,"
                    + " write, non-2xx status or timeout)");
        }
    }

    /**
     * Lets the load run for {@code nanos} or until {@code ops} more responses, whichever comes first, and fails on
     * a failed load, a dead server, or no progress for {@code stall} seconds.
     */
    static void phase(LoadGenerator.Run run, ServerProcess server, String what, long nanos, long ops,
                              long stall) throws InterruptedException {
        long start = System.nanoTime();
        long first = run.responses();
        long last = first;
        long lastProgress = start;
        while (true) {
            // A dead server also closes the load's connections: say the cause, not the symptom.
            server.checkAlive();
            if (run.failure != null) {
                throw new IllegalStateException(what + " failed", run.failure);
            }
            long now = System.nanoTime();
            long count = run.responses();
            if (count - first >= ops || now - start >= nanos) {
                return;
            }
            if (count != last) {
                last = count;
                lastProgress = now;
            } else if (now - lastProgress > stall) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s stalled: no response for %d s "
                        + "(%d responses in this phase)", what, TimeUnit.NANOSECONDS.toSeconds(stall), count - first));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    static void printRound(PrintStream out, Measurement m) {
        out.printf(Locale.ROOT, "round %d %-9s %-8s %,11.0f op/s  server CPU %6.2f µs/op (%3.0f%%, JIT %4.1f%%, settled %d s)  load CPU %4s"
                        + "  p50/p99 %s/%s µs  alloc %,8.0f B/op  enter/SQE/syscalls per op %s/%s/%s%s%s%n",
                m.round(), m.workload().name(), m.transport(), m.throughput(), m.serverCpuMicrosPerOp(),
                100.0 * m.serverCpuNanos() / m.nanos(), m.jitPercent(), m.settledSeconds(),
                percent(m.loadCpuNanos(), m.nanos()), micros(m.p50()), micros(m.p99()), m.allocatedPerOp(),
                fmt(m.entersPerOp()),
                fmt(m.sqesPerOp()), fmt(m.syscallsPerOp()),
                m.rioEnters() >= 0 && m.perf().enters() >= 0 ? String.format(Locale.ROOT, " (perf: %s/%s)",
                        fmt(m.perPerfOp(m.perf().enters())), fmt(m.perPerfOp(m.perf().sqes()))) : "",
                m.lost() > 0 ? "  lost " + m.lost() : "");
    }

    private static void printTable(PrintStream out, Workload w, Map<String, List<Measurement>> byTransport) {
        Map<String, Measurement> median = new LinkedHashMap<>();
        byTransport.forEach((t, runs) -> {
            List<Measurement> sorted = new ArrayList<>(runs);
            sorted.sort((x, y) -> Double.compare(x.throughput(), y.throughput()));
            median.put(t, sorted.get(sorted.size() / 2));
        });
        double bestThroughput = 0;
        double bestCpu = Double.MAX_VALUE;
        for (Measurement m : median.values()) {
            if (!Target.isRio(m.transport())) {
                bestThroughput = Math.max(bestThroughput, m.throughput());
                bestCpu = Math.min(bestCpu, m.serverCpuMicrosPerOp());
            }
        }
        int rounds = byTransport.values().stream().mapToInt(List::size).max().orElse(0);
        out.printf(Locale.ROOT, "%n%s: %s, %d connection(s), %d in flight each%s%s; median of %d round(s); "
                        + "x best = ratio to the best of the peers (NIO, epoll, io_uring)%n%n", w.name(), w.kind(),
                w.conns(), w.depth(), w.size() == 0 ? "" : ", " + w.size() + " B",
                w.protocol() == Workload.Protocol.WRK_HTTP ? " (load: wrk)" : "",
                rounds);
        out.printf(Locale.ROOT, "| %-8s | %11s | %6s | %8s | %6s | %5s | %5s | %5s | %8s | %8s | %8s | %6s | %6s "
                        + "| %8s | %8s |%n",
                "server", "op/s", "x best", "CPU µs/op", "x best", "srv %", "JIT %", "load %", "p50 µs", "p99 µs",
                "p99.9 µs", "enter", "SQE", "syscalls", "alloc B");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Measurement m : median.values()) {
            out.printf(Locale.ROOT, "| %-8s | %,11.0f | %6s | %9.2f | %6s | %5.0f | %5.1f | %6s | %8s | %8s | %8s | "
                            + "%6s | %6s | %8s | %,8.0f |%n",
                    m.transport(), m.throughput(), ratio(m.throughput(), bestThroughput), m.serverCpuMicrosPerOp(),
                    ratio(m.serverCpuMicrosPerOp(), bestCpu == Double.MAX_VALUE ? 0 : bestCpu),
                    100.0 * m.serverCpuNanos() / m.nanos(), m.jitPercent(), percent(m.loadCpuNanos(), m.nanos()),
                    micros(m.p50()), micros(m.p99()), micros(m.p999()),
                    fmt(m.entersPerOp()), fmt(m.sqesPerOp()), fmt(m.syscallsPerOp()), m.allocatedPerOp());
        }
    }

    private static String ratio(double value, double best) {
        return best > 0 ? String.format(Locale.ROOT, "%.2f", value / best) : "-";
    }

    private static String percent(long part, long whole) {
        return part < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }

    private static String micros(double v) {
        return Double.isInfinite(v) ? ">100 ms" : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
