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
package io.nettyrio.testsuite.fuzz;

import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.fault.FaultConfig;
import io.nettyrio.rio.fault.FaultCounters;
import io.nettyrio.rio.fault.FaultInjectingProvider;
import io.nettyrio.testing.ExpectedRuleViolations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A randomized call-sequence fuzz of the RIO model API through RioRules ({@link Rio#provider()} with
 * {@code -Dio.nettyrio.rules=true}, as every test runs): thousands of seeds, each a random sequence of model calls
 * over a real loopback TCP pair and UDP pair ({@link FuzzWorld}). It checks that the JVM never crashes, that
 * every misuse ends in a clear exception ({@code RioException} with a WSA code, {@code RioRuleViolation} or
 * {@code IllegalArgumentException}, nothing else), that every request accepted completes exactly once, that
 * nothing is left in flight once everything is closed and drained, and that no file descriptor leaks.
 *
 * <p>A second run puts the fault decorator ({@link FaultInjectingProvider}) under RioRules, with the random seed as the
 * fault schedule's seed too, so a replayed seed replays its faults as well.
 *
 * <p>System properties: {@code io.nettyrio.fuzz.seed} replays one seed (the failure message prints it, with the
 * call sequence); {@code io.nettyrio.fuzz.seeds} (default {@value #DEFAULT_SEEDS}) and
 * {@code io.nettyrio.fuzz.firstSeed} (default 1) choose the range ({@code io.nettyrio.fuzz.faultSeeds}, default
 * {@value #DEFAULT_FAULT_SEEDS}, for the run under faults); {@code io.nettyrio.fuzz.calls} (default
 * {@value #DEFAULT_CALLS}) the calls per seed.
 */
@ExpectedRuleViolations("the fuzzer makes random, mostly invalid call sequences and checks that RioRules refuses each"
        + " bad one cleanly")
class RioModelFuzzTest {
    static final int DEFAULT_SEEDS = 2000;
    static final int DEFAULT_FAULT_SEEDS = 500;
    static final int DEFAULT_CALLS = 60;
    private static final Path FDS = Path.of("/proc/self/fd");

    @Test
    void randomCallSequencesThroughRioRules() throws Exception {
        assertTrue(Rio.rulesEnabled(), "the fuzz runs through RioRules (-Dio.nettyrio.rules=true)");
        RioProvider provider = Rio.provider();
        fuzz("RioModelFuzzTest", Integer.getInteger("io.nettyrio.fuzz.seeds", DEFAULT_SEEDS), seed -> provider,
                null, true);
    }

    /**
     * The same fuzz with the fault decorator between RioRules and the provider, seeded per seed: the invariants
     * (clear exceptions only, every accepted request completes exactly once, nothing left in flight, no fd leak)
     * must hold when sends and receives fail, completions fail and reset their connection, completions are held
     * back and receives are split.
     */
    @Test
    void randomCallSequencesUnderInjectedFaults() throws Exception {
        RioProvider raw = RioRules.unwrap(Rio.provider());
        List<FaultCounters> all = new ArrayList<>();
        fuzz("RioModelFuzzTest under faults", Integer.getInteger("io.nettyrio.fuzz.faultSeeds",
                DEFAULT_FAULT_SEEDS), seed -> {
                    FaultInjectingProvider p = FaultInjectingProvider.wrap(raw, faultConfig(seed));
                    all.add(p.counters());
                    return RioRules.wrap(p);
                }, () -> "faults injected: " + sum(all, FaultCounters::total) + " (call failures "
                        + sum(all, FaultCounters::callFailures) + ", completion errors "
                        + sum(all, FaultCounters::completionErrors) + " resetting "
                        + sum(all, FaultCounters::socketsBroken) + " sockets, follow-up errors "
                        + sum(all, FaultCounters::followUpErrors) + ", completions made up on broken sockets "
                        + sum(all, FaultCounters::synthesizedCompletions) + ", dequeues holding back "
                        + sum(all, FaultCounters::heldDequeues) + " (" + sum(all, FaultCounters::heldCompletions)
                        + " completions, " + sum(all, FaultCounters::wakeUps) + " wake-ups), split receives "
                        + sum(all, FaultCounters::splitReceives) + ")", false);
        assertTrue(sum(all, FaultCounters::total) > 0, "faults were injected");
    }

    private static long sum(List<FaultCounters> counters, ToLongFunction<FaultCounters> f) {
        return counters.stream().mapToLong(f).sum();
    }

    /** The faults of seed {@code seed} in {@link #randomCallSequencesUnderInjectedFaults}. */
    static FaultConfig faultConfig(long seed) {
        return FaultConfig.builder(seed).callFailure(0.05).completionError(0.05).delay(0.3, 3).split(0.3, 16)
                .build();
    }

    private static void fuzz(String name, int defaultSeeds, LongFunction<RioProvider> providers,
                             Supplier<String> faults, boolean checkCapacity) throws Exception {
        Long replay = Long.getLong("io.nettyrio.fuzz.seed");
        long first = replay != null ? replay : Long.getLong("io.nettyrio.fuzz.firstSeed", 1);
        int seeds = replay != null ? 1 : defaultSeeds;
        int calls = Integer.getInteger("io.nettyrio.fuzz.calls", DEFAULT_CALLS);
        FuzzWorld.Stats stats = new FuzzWorld.Stats();
        long start = System.nanoTime();
        // The first seed opens what the provider keeps for its lifetime (its probe ring); count fds after it.
        runSeed(providers.apply(first), first, calls, stats, checkCapacity);
        long baseline = fdCount();
        for (long seed = first + 1; seed < first + seeds; seed++) {
            runSeed(providers.apply(seed), seed, calls, stats, checkCapacity);
            checkFds(baseline, seed);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println(name + ": " + stats.seeds + " seeds, " + stats.calls + " calls, "
                + stats.misuses + " of them misuses that had to fail (and did), "
                + stats.accepted + " requests accepted and completed once each"
                + ", in " + millis
                + " ms (set-up " + TimeUnit.NANOSECONDS.toMillis(stats.setUpNanos) + " ms, calls "
                + TimeUnit.NANOSECONDS.toMillis(stats.runNanos) + " ms, teardown "
                + TimeUnit.NANOSECONDS.toMillis(stats.tearDownNanos) + " ms)");
        if (faults != null) {
            System.out.println("  " + faults.get());
        }
        Map<String, Long> outcomes = new TreeMap<>(stats.outcomes);
        outcomes.forEach((k, v) -> System.out.println("  " + v + " x " + k));
    }

    private static void runSeed(RioProvider provider, long seed, int calls, FuzzWorld.Stats stats,
                                boolean checkCapacity) {
        FuzzWorld world = null;
        try {
            long t0 = System.nanoTime();
            world = new FuzzWorld(provider, seed, stats, checkCapacity);
            long t1 = System.nanoTime();
            world.run(calls);
            long t2 = System.nanoTime();
            world.close();
            stats.setUpNanos += t1 - t0;
            stats.runNanos += t2 - t1;
            stats.tearDownNanos += System.nanoTime() - t2;
            stats.seeds++;
        } catch (Throwable t) {
            String report = world == null ? "seed " + seed + " (set-up)" : world.report();
            if (world != null) {
                world.abandon();
            }
            throw new AssertionError("RIO model fuzz failed: " + t + "\n" + report, t);
        }
    }

    private static void checkFds(long baseline, long seed) throws Exception {
        if (!Files.isDirectory(FDS)) {
            return; // no /proc (Windows): the fd check is Linux-only
        }
        long now = fdCount();
        // A closed socket's fd is released after its last CQE is reaped; give the provider a moment.
        for (int i = 0; i < 50 && now > baseline; i++) {
            Thread.sleep(2);
            now = fdCount();
        }
        if (now > baseline) {
            throw new AssertionError("seed " + seed + " leaked " + (now - baseline) + " file descriptor(s)"
                    + " (replay: -Dio.nettyrio.fuzz.seed=" + seed + ")");
        }
    }

    private static long fdCount() throws IOException {
        if (!Files.isDirectory(FDS)) {
            return 0;
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        }
    }
}
