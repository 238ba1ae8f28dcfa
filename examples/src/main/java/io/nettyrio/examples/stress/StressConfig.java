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
package io.nettyrio.examples.stress;

import java.util.SplittableRandom;

/**
 * What a {@link StressRunner} run does: how many connections, how much data each direction carries, how many run
 * at once, how long the whole run may take, and which faults it injects. Every random choice of the run (sizes,
 * write sizes, flush patterns, buffer kinds, autoRead toggles, kills) derives from {@link #seed}, so a failing run
 * is repeated by its seed (thread timing still varies).
 */
public final class StressConfig {
    private long seed = 1;
    private int connections = 100;
    private long minBytes = 1;
    private long maxBytes = 16 << 20;
    private int maxWriteBytes = 1 << 20;
    private int concurrency = 100;
    private long timeLimitMillis = 60_000;
    private double autoReadToggleProbability = 0.05;
    private double killProbability;
    private double resetProbability = 0.5;

    /** Creates a configuration with the defaults: 100 connections, 1 B to 16 MiB per direction, 60 s. */
    public StressConfig() {
    }

    /** Returns the random seed of every random choice. */
    public long seed() {
        return seed;
    }

    /** Sets the random seed of every random choice. */
    public StressConfig seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Returns how many connections the run opens in all. */
    public int connections() {
        return connections;
    }

    /** Sets how many connections the run opens in all (at least 1). */
    public StressConfig connections(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
        }
        this.connections = connections;
        return this;
    }

    /** Returns the smallest number of bytes one direction of a connection carries. */
    public long minBytes() {
        return minBytes;
    }

    /** Returns the largest number of bytes one direction of a connection carries. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Sets the bytes one direction of a connection carries: drawn log-uniformly between {@code min} and {@code max}
     * (so small and large transfers are equally common per factor of two; the mean is about
     * {@code (max - min) / ln(max / min)}).
     */
    public StressConfig bytesPerDirection(long min, long max) {
        if (min < 1 || max < min || max > (1L << 35)) {
            throw new IllegalArgumentException("bytes per direction: " + min + '-' + max
                    + " (expected: 1 <= min <= max <= 32 GiB)");
        }
        this.minBytes = min;
        this.maxBytes = max;
        return this;
    }

    /** Returns the largest single write. */
    public int maxWriteBytes() {
        return maxWriteBytes;
    }

    /**
     * Sets the largest single write (1 B to 16 MiB). Each end of each connection picks its own cap, log-uniform
     * between 1/1024 of this and this, and each write is log-uniform between 1 byte and that cap.
     */
    public StressConfig maxWriteBytes(int maxWriteBytes) {
        if (maxWriteBytes < 1 || maxWriteBytes > 16 << 20) {
            throw new IllegalArgumentException("maxWriteBytes: " + maxWriteBytes + " (expected: 1-16777216)");
        }
        this.maxWriteBytes = maxWriteBytes;
        return this;
    }

    /** Returns how many connections may be open at once. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Sets how many connections may be open at once (at least 1). Each takes two descriptors in one process (client
     * and server), so this bounds the descriptors the run needs; more connections run in waves.
     */
    public StressConfig concurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
        }
        this.concurrency = concurrency;
        return this;
    }

    /** Returns the time the whole run may take, in milliseconds. */
    public long timeLimitMillis() {
        return timeLimitMillis;
    }

    /** Sets the time the whole run may take; a run that exceeds it stops, closes everything and fails. */
    public StressConfig timeLimitMillis(long timeLimitMillis) {
        if (timeLimitMillis < 1) {
            throw new IllegalArgumentException("timeLimitMillis: " + timeLimitMillis + " (expected: >= 1)");
        }
        this.timeLimitMillis = timeLimitMillis;
        return this;
    }

    /** Returns the probability that a read turns autoRead off for a moment. */
    public double autoReadToggleProbability() {
        return autoReadToggleProbability;
    }

    /** Sets the probability (0 to 1) that a read turns autoRead off for a moment (on either side). */
    public StressConfig autoReadToggleProbability(double probability) {
        this.autoReadToggleProbability = probability(probability, "autoReadToggleProbability");
        return this;
    }

    /** Returns the probability that a connection is killed while it transfers. */
    public double killProbability() {
        return killProbability;
    }

    /**
     * Sets the probability (0 to 1, default 0) that a connection is killed while it transfers: one side, chosen at
     * random, closes it once it has received a random part of its input.
     */
    public StressConfig killProbability(double probability) {
        this.killProbability = probability(probability, "killProbability");
        return this;
    }

    /** Returns the probability that a kill is a reset (SO_LINGER 0) rather than a plain close. */
    public double resetProbability() {
        return resetProbability;
    }

    /** Sets the probability (0 to 1, default 0.5) that a kill is a reset (SO_LINGER 0, then close). */
    public StressConfig resetProbability(double probability) {
        this.resetProbability = probability(probability, "resetProbability");
        return this;
    }

    private static double probability(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + ": " + p + " (expected: 0-1)");
        }
        return p;
    }

    /** Returns the plan of connection {@code id}: a pure function of the random seed and the id. */
    public ConnectionPlan plan(int id) {
        SplittableRandom random = new SplittableRandom(seed ^ (id * 0x9E37_79B9_7F4A_7C15L));
        long clientToServer = logUniform(random, minBytes, maxBytes);
        long serverToClient = logUniform(random, minBytes, maxBytes);
        ConnectionPlan.Kill kill = ConnectionPlan.Kill.NONE;
        boolean killerIsClient = false;
        long killAfter = 0;
        if (random.nextDouble() < killProbability) {
            kill = random.nextDouble() < resetProbability ? ConnectionPlan.Kill.RESET : ConnectionPlan.Kill.CLOSE;
            killerIsClient = random.nextBoolean();
            killAfter = random.nextLong(killerIsClient ? serverToClient : clientToServer);
        }
        return new ConnectionPlan(id, clientToServer, serverToClient, kill, killerIsClient, killAfter);
    }

    /** A random value between {@code min} and {@code max} (inclusive) whose logarithm is uniform. */
    static long logUniform(SplittableRandom random, long min, long max) {
        if (min == max) {
            return min;
        }
        double v = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max + 1.0) - Math.log(min)));
        return Math.min(max, Math.max(min, (long) v));
    }

    /** The random choices of one side of connection {@code id} ({@code client} or server). */
    SplittableRandom sideRandom(int id, boolean client) {
        return new SplittableRandom(seed * 31 + id * 0xD1B5_4A32_D192_ED03L + (client ? 1 : 2));
    }

    @Override
    public String toString() {
        return "seed=" + seed + ", connections=" + connections + ", bytesPerDirection=" + minBytes + '-' + maxBytes
                + ", maxWriteBytes=" + maxWriteBytes + ", concurrency=" + concurrency + ", timeLimitMillis="
                + timeLimitMillis + ", autoReadToggleProbability=" + autoReadToggleProbability
                + ", killProbability=" + killProbability + ", resetProbability=" + resetProbability;
    }
}
