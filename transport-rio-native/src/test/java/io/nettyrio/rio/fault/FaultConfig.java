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
package io.nettyrio.rio.fault;

import io.nettyrio.rio.WsaError;

import java.util.Arrays;

/**
 * The knobs of a {@link FaultInjectingProvider}: a seed and, per fault kind, a probability (0 to 1, per
 * opportunity) and its parameters. Immutable; build one with {@link #builder(long)}. {@link #toString()} prints
 * every knob, so a failing test that prints its config can be replayed exactly.
 */
public final class FaultConfig {
    private final long seed;
    private final double callFailure;
    private final int[] callFailureCodes;
    private final double commitOnlyFailure;
    private final double acceptConnectFailure;
    private final int[] acceptConnectFailureCodes;
    private final double completionError;
    private final int[] completionErrorCodes;
    private final double delay;
    private final int maxHeldDequeues;
    private final double split;
    private final int maxSplitLength;
    private final long[] targets;

    private FaultConfig(Builder b) {
        seed = b.seed;
        callFailure = b.callFailure;
        callFailureCodes = b.callFailureCodes.clone();
        commitOnlyFailure = b.commitOnlyFailure;
        acceptConnectFailure = b.acceptConnectFailure;
        acceptConnectFailureCodes = b.acceptConnectFailureCodes.clone();
        completionError = b.completionError;
        completionErrorCodes = b.completionErrorCodes.clone();
        delay = b.delay;
        maxHeldDequeues = b.maxHeldDequeues;
        split = b.split;
        maxSplitLength = b.maxSplitLength;
        targets = b.targets == null ? null : b.targets.clone();
    }

    /** Starts a config with every fault off, for {@code seed}. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The seed of the schedule: the same seed and the same calls inject the same faults. */
    public long seed() {
        return seed;
    }

    /** Probability that a send or receive carrying data fails before it reaches the provider. */
    public double callFailure() {
        return callFailure;
    }

    /** The codes a failed call throws, chosen uniformly (default WSAENOBUFS, WSAEINVAL, WSAEFAULT). */
    public int[] callFailureCodes() {
        return callFailureCodes.clone();
    }

    /** Probability that a {@code RIO_MSG_COMMIT_ONLY} call fails before it reaches the provider. */
    public double commitOnlyFailure() {
        return commitOnlyFailure;
    }

    /** The probability that an accept or connect call fails with one of {@link #acceptConnectFailureCodes()}. */
    public double acceptConnectFailure() {
        return acceptConnectFailure;
    }

    /** The codes an injected accept or connect failure uses (default WSAENOBUFS, WSAEINVAL, WSAEFAULT). */
    public int[] acceptConnectFailureCodes() {
        return acceptConnectFailureCodes.clone();
    }

    /** Probability that a successful completion is rewritten to an error status. */
    public double completionError() {
        return completionError;
    }

    /** The statuses an injected completion error uses (default WSAECONNRESET, WSAECONNABORTED,
     * WSA_OPERATION_ABORTED). */
    public int[] completionErrorCodes() {
        return completionErrorCodes.clone();
    }

    /** Probability that a dequeue holds back some of the completions it could return. */
    public double delay() {
        return delay;
    }

    /** After this many dequeues in a row that held something back, the next one holds nothing. */
    public int maxHeldDequeues() {
        return maxHeldDequeues;
    }

    /** Probability that a TCP receive is posted to the provider with a smaller length. */
    public double split() {
        return split;
    }

    /** The largest length a split receive is given (it gets 1 to this many bytes, at most its own length). */
    public int maxSplitLength() {
        return maxSplitLength;
    }

    /**
     * Whether the socket-level faults (call failures, completion errors, splits) apply to the request queue with
     * this {@code SocketContext}: every queue, unless {@link Builder#onlySockets} named some.
     */
    public boolean targets(long socketContext) {
        if (targets == null) {
            return true;
        }
        for (long t : targets) {
            if (t == socketContext) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FaultConfig{seed=" + seed + "L, callFailure=" + callFailure + " " + names(callFailureCodes)
                + ", commitOnlyFailure=" + commitOnlyFailure
                + (acceptConnectFailure == 0 ? "" : ", acceptConnectFailure=" + acceptConnectFailure + " "
                        + names(acceptConnectFailureCodes))
                + ", completionError=" + completionError + " "
                + names(completionErrorCodes) + ", delay=" + delay + " (max " + maxHeldDequeues
                + " dequeues), split=" + split + " (max " + maxSplitLength + " bytes)"
                + (targets == null ? "" : ", onlySockets=" + Arrays.toString(targets)) + "}";
    }

    private static String names(int[] codes) {
        return Arrays.stream(codes).mapToObj(WsaError::name).toList().toString();
    }

    /** Builds a {@link FaultConfig}. Every probability starts at 0. */
    public static final class Builder {
        private final long seed;
        private double callFailure;
        private int[] callFailureCodes = {WsaError.WSAENOBUFS, WsaError.WSAEINVAL, WsaError.WSAEFAULT};
        private double commitOnlyFailure;
        private double acceptConnectFailure;
        private int[] acceptConnectFailureCodes = {WsaError.WSAENOBUFS, WsaError.WSAEINVAL, WsaError.WSAEFAULT};
        private double completionError;
        private int[] completionErrorCodes = {WsaError.WSAECONNRESET, WsaError.WSAECONNABORTED,
                WsaError.WSA_OPERATION_ABORTED};
        private double delay;
        private int maxHeldDequeues = 3;
        private double split;
        private int maxSplitLength = 16;
        private long[] targets;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** Fails sends and receives with data, before the provider, with one of {@code codes} (or the
         * defaults when none are given). */
        public Builder callFailure(double probability, int... codes) {
            callFailure = probability(probability);
            if (codes.length > 0) {
                callFailureCodes = codes.clone();
            }
            return this;
        }

        /** Fails {@code RIO_MSG_COMMIT_ONLY} calls (with the call failure codes). Off by default: a failed commit
         * leaves the deferred requests uncommitted until the caller's next call without DEFER. */
        public Builder commitOnlyFailure(double probability) {
            commitOnlyFailure = probability(probability);
            return this;
        }

        /**
         * Fails accept (AcceptEx) and connect (ConnectEx) calls, before the provider, with one of {@code codes} (or
         * the defaults when none are given): nothing started, no completion will come to the port. Off by default; {@link #onlySockets} applies to the
         * call's context (the transport passes the channel's registration id, its {@code SocketContext}).
         */
        public Builder acceptConnectFailure(double probability, int... codes) {
            acceptConnectFailure = probability(probability);
            if (codes.length > 0) {
                acceptConnectFailureCodes = codes.clone();
            }
            return this;
        }

        /** Rewrites successful completions to one of {@code codes} (or the defaults when none are given). */
        public Builder completionError(double probability, int... codes) {
            completionError = probability(probability);
            if (codes.length > 0) {
                completionErrorCodes = codes.clone();
            }
            return this;
        }

        /** Holds completions back for later dequeues. */
        public Builder delay(double probability, int maxHeldDequeues) {
            delay = probability(probability);
            if (maxHeldDequeues < 1) {
                throw new IllegalArgumentException("maxHeldDequeues must be at least 1: " + maxHeldDequeues);
            }
            this.maxHeldDequeues = maxHeldDequeues;
            return this;
        }

        /** Posts TCP receives with a length of 1 to {@code maxSplitLength} bytes. */
        public Builder split(double probability, int maxSplitLength) {
            split = probability(probability);
            if (maxSplitLength < 1) {
                throw new IllegalArgumentException("maxSplitLength must be at least 1: " + maxSplitLength);
            }
            this.maxSplitLength = maxSplitLength;
            return this;
        }

        /**
         * Restricts the socket-level faults (call failures, completion errors, splits) to the request queues
         * created with one of these {@code SocketContext}s, so that a test can break one connection and watch the
         * others carry on. Delays apply to whole completion queues and are not restricted.
         */
        public Builder onlySockets(long... socketContexts) {
            targets = socketContexts.clone();
            return this;
        }

        /** Returns the config. */
        public FaultConfig build() {
            return new FaultConfig(this);
        }

        private static double probability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a probability must be within [0, 1]: " + p);
            }
            return p;
        }
    }
}
