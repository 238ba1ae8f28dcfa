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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
 * <p>System properties: {@code io.nettyrio.fuzz.seed} replays one seed (the failure message prints it, with the
 * call sequence); {@code io.nettyrio.fuzz.seeds} (default {@value #DEFAULT_SEEDS}) and
 * {@code io.nettyrio.fuzz.firstSeed} (default 1) choose the range; {@code io.nettyrio.fuzz.calls} (default
 * {@value #DEFAULT_CALLS}) the calls per seed.
 */
class RioModelFuzzTest {
    static final int DEFAULT_SEEDS = 2000;
    static final int DEFAULT_CALLS = 60;
    private static final Path FDS = Path.of("/proc/self/fd");

    @Test
    void randomCallSequencesThroughRioRules() throws Exception {
        assertTrue(Rio.rulesEnabled(), "the fuzz runs through RioRules (-Dio.nettyrio.rules=true)");
        RioProvider provider = Rio.provider();
        Long replay = Long.getLong("io.nettyrio.fuzz.seed");
        long first = replay != null ? replay : Long.getLong("io.nettyrio.fuzz.firstSeed", 1);
        int seeds = replay != null ? 1 : Integer.getInteger("io.nettyrio.fuzz.seeds", DEFAULT_SEEDS);
        int calls = Integer.getInteger("io.nettyrio.fuzz.calls", DEFAULT_CALLS);
        FuzzWorld.Stats stats = new FuzzWorld.Stats();
        long start = System.nanoTime();
        // The first seed opens what the provider keeps for its lifetime (its probe ring); count fds after it.
        runSeed(provider, first, calls, stats);
        long baseline = fdCount();
        for (long seed = first + 1; seed < first + seeds; seed++) {
            runSeed(provider, seed, calls, stats);
            checkFds(baseline, seed);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("RioModelFuzzTest: " + stats.seeds + " seeds, " + stats.calls + " calls, "
                + stats.accepted + " requests accepted and completed once each, in " + millis + " ms");
        Map<String, Long> outcomes = new TreeMap<>(stats.outcomes);
        outcomes.forEach((k, v) -> System.out.println("  " + v + " x " + k));
    }

    private static void runSeed(RioProvider provider, long seed, int calls, FuzzWorld.Stats stats) {
        FuzzWorld world = null;
        try {
            world = new FuzzWorld(provider, seed, stats);
            world.run(calls);
            world.close();
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
