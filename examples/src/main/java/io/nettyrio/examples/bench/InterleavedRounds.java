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

import io.nettyrio.examples.bench.ServerBenchmark.Measurement;
import io.nettyrio.examples.bench.ServerBenchmark.Options;
import io.nettyrio.examples.bench.ServerBenchmark.Target;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link ServerBenchmark}'s rounds with {@code interleave=<ms>}: every server of a round runs at once (all pinned to
 * CPU 0, idle unless loaded), and the load visits them in turn, a slice of {@code interleave} milliseconds each,
 * until each has had {@code seconds} of measured load.
 *
 * <p>Why: the CPU this machine gives a process changes speed by itself. The same pure user-space loop, pinned to
 * CPU 0 of an idle machine and run every half second, took between 58 and 113 ms in one minute, with slow
 * stretches of a few seconds; a server measured for one window of seconds may fall wholly into such a stretch and
 * its neighbour wholly outside it. Slices of a second or less, taken in turn, share those stretches out among the
 * servers, so that their ratios compare the servers rather than the moments they ran in.
 *
 * <p>Each slice starts with the server's connections already open and warm: the load pauses (no new request, those
 * in flight answered) before it moves on, and resumes with every connection's requests at once; the first
 * {@link #RAMP_MILLIS} of a slice are not measured.
 */
final class InterleavedRounds {
    /** Load before a slice's measurement starts, so that every connection is back at its depth. */
    static final long RAMP_MILLIS = 100;
    /**
     * Turns taken before the measured ones. A server's first pauses run code its warm-up never ran (the event
     * loop's wait with nothing to do, the wake-up of idle connections), which its JIT compiled during the first
     * measured turns: without them RIO's compiler threads took 1.6% to 4.2% of its CPU in the measured slices of
     * echo of 64 B, io_uring's 0.2% to 0.4% (docs/benchmarks.md, "Warm turns").
     */
    static final int WARM_TURNS = 2;

    private InterleavedRounds() {
    }

    /** Runs {@code o.rounds()} interleaved rounds and adds one measurement per round, workload and server. */
    static void run(Options o, List<Workload> workloads, List<String> kinds, boolean pin, boolean perf,
                    LoadGenerator load, PrintStream out, Map<String, Map<String, List<Measurement>>> results,
                    Map<String, String> unavailable, List<String> leaks) throws Exception {
        for (Workload w : workloads) {
            if (w.protocol() == Workload.Protocol.WRK_HTTP) {
                throw new IllegalArgumentException("wrk cannot pause: " + w.name() + " belongs to the sequential rounds");
            }
        }
        long stall = TimeUnit.SECONDS.toNanos(o.stallSeconds());
        long slice = TimeUnit.MILLISECONDS.toNanos(o.interleaveMillis());
        int slices = (int) Math.max(1, TimeUnit.SECONDS.toNanos(o.seconds()) / slice);
        for (int round = 0; round < o.rounds(); round++) {
            List<ServerProcess> servers = new ArrayList<>();
            boolean ok = false;
            try {
                for (int i = 0; i < o.transports().size(); i++) {
                    Target t = o.transports().get((i + round) % o.transports().size());
                    if (unavailable.containsKey(t.label())) {
                        continue;
                    }
                    ServerProcess server = ServerProcess.start(t, kinds, pin ? 0 : -1, o.checks(), o.heap());
                    if (server.unavailable != null) {
                        unavailable.put(t.label(), server.unavailable);
                        out.println(t.label() + ": not available: " + server.unavailable);
                        server.close();
                        continue;
                    }
                    servers.add(server);
                }
                for (int index = 0; index < workloads.size(); index++) {
                    Workload w = workloads.get(index);
                    int warmup = o.warmupSeconds() + (index == 0 ? o.jvmWarmupSeconds() : 0);
                    measure(o, w, round + 1, warmup, slice, slices, stall, perf, servers, load, out, results);
                }
                ok = true;
            } finally {
                for (ServerProcess server : servers) {
                    ServerBenchmark.stop(server, ok, out, leaks);
                }
            }
        }
    }

    private static void measure(Options o, Workload w, int round, int warmupSeconds, long slice, int slices,
                                long stall, boolean perf, List<ServerProcess> servers, LoadGenerator load,
                                PrintStream out, Map<String, Map<String, List<Measurement>>> results)
            throws Exception {
        int n = servers.size();
        LoadGenerator.Run[] runs = new LoadGenerator.Run[n];
        Sum[] sums = new Sum[n];
        try {
            // Warm each server up on its own, as the sequential rounds do, then leave its connections idle.
            for (int i = 0; i < n; i++) {
                ServerProcess server = servers.get(i);
                Integer port = server.ports.get(w.kind());
                if (port == null) {
                    throw new IllegalStateException(server.transport + " server has no " + w.kind() + " listener");
                }
                byte[] http = w.protocol() == Workload.Protocol.HTTP ? LoadGenerator.probeHttp(port) : null;
                runs[i] = load.start(w, port, http, o.verify());
                LoadGenerator.Run run = runs[i];
                int settled = ServerBenchmark.warmUp(o, run, server, w, warmupSeconds);
                run.pause(stall);
                sums[i] = new Sum(settled);
            }
            // The slices: every server once per turn, the order rotating from turn to turn; the first turns are
            // not measured.
            for (int s = -WARM_TURNS; s < slices; s++) {
                for (int k = 0; k < n; k++) {
                    int i = (k + s + WARM_TURNS) % n;
                    ServerProcess server = servers.get(i);
                    LoadGenerator.Run run = runs[i];
                    String what = server.transport + " " + w.name() + (s < 0 ? " warm turn" : " slice " + (s + 1));
                    run.resume();
                    ServerBenchmark.phase(run, server, what + " ramp", TimeUnit.MILLISECONDS.toNanos(RAMP_MILLIS),
                            o.ops(), stall);
                    LoadGenerator.Snapshot a = run.snapshot();
                    ServerProcess.Counters ca = server.counters();
                    ServerBenchmark.phase(run, server, what, slice, o.ops(), stall);
                    LoadGenerator.Snapshot b = run.snapshot();
                    ServerProcess.Counters cb = server.counters();
                    run.pause(stall);
                    if (s >= 0) {
                        sums[i].add(a, ca, b, cb);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                ServerProcess server = servers.get(i);
                LoadGenerator.Run run = runs[i];
                String what = server.transport + " " + w.name();
                // System calls in a window of their own, as in the sequential rounds.
                run.resume();
                ServerBenchmark.Counted counted = ServerBenchmark.countSyscalls(o, run, server, what, perf);
                run.pause(stall);
                if (run.failure != null) {
                    throw new IllegalStateException(what + " failed", run.failure);
                }
                Measurement m = sums[i].measurement(server.transport, w, round, counted.counts(), counted.ops());
                results.get(w.name()).computeIfAbsent(server.transport, t -> new ArrayList<>()).add(m);
                ServerBenchmark.printRound(out, m);
            }
        } finally {
            for (LoadGenerator.Run run : runs) {
                if (run != null) {
                    run.close();
                }
            }
        }
    }

    /** One server's slices of one workload, added up. */
    private static final class Sum {
        final int settled;
        long nanos;
        long ops;
        long lost;
        int[] histogram;
        long serverCpu;
        long loadCpu;
        long allocated;
        long enters;
        long sqes;
        long jit;

        Sum(int settled) {
            this.settled = settled;
        }

        void add(LoadGenerator.Snapshot a, ServerProcess.Counters ca, LoadGenerator.Snapshot b,
                 ServerProcess.Counters cb) {
            nanos += b.nanos() - a.nanos();
            ops += b.responses() - a.responses();
            lost += b.lost() - a.lost();
            if (histogram == null) {
                histogram = new int[b.histogram().length];
            }
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += b.histogram()[i] - a.histogram()[i];
            }
            serverCpu += cb.cpuNanos() - ca.cpuNanos();
            loadCpu += b.cpuNanos() - a.cpuNanos();
            allocated += cb.allocatedBytes() - ca.allocatedBytes();
            enters = ca.enters() < 0 || enters < 0 ? -1 : enters + cb.enters() - ca.enters();
            sqes = ca.sqes() < 0 || sqes < 0 ? -1 : sqes + cb.sqes() - ca.sqes();
            jit += cb.jitCpuNanos() - ca.jitCpuNanos();
        }

        Measurement measurement(String transport, Workload w, int round, SyscallCounter.Counts counts,
                                long perfOps) {
            return new Measurement(transport, w, round, nanos, ops, lost,
                    Measurement.percentileMicros(histogram, 0.5), Measurement.percentileMicros(histogram, 0.99),
                    Measurement.percentileMicros(histogram, 0.999), serverCpu, loadCpu, allocated, enters, sqes,
                    counts, perfOps, jit, settled);
        }
    }
}
