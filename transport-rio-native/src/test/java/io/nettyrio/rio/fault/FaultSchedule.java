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

import java.util.SplittableRandom;

/**
 * The seeded random schedule of a {@link FaultInjectingProvider}: one {@link SplittableRandom} stream per fault
 * kind, all split from the config's seed in a fixed order, so that switching one kind on or off does not move the
 * decisions of another. Each stream is drawn under its own monitor; with the same seed and the same sequence of
 * calls (one thread, or the same interleaving), the same faults are injected.
 */
final class FaultSchedule {
    private final FaultConfig config;
    private final SplittableRandom call;
    private final SplittableRandom commit;
    private final SplittableRandom completion;
    private final SplittableRandom delay;
    private final SplittableRandom split;
    private final SplittableRandom acceptConnect;

    FaultSchedule(FaultConfig config) {
        this.config = config;
        SplittableRandom root = new SplittableRandom(config.seed());
        call = root.split();
        commit = root.split();
        completion = root.split();
        delay = root.split();
        split = root.split();
        // Split last: adding this stream did not move the others' decisions.
        acceptConnect = root.split();
    }

    /** After this many dequeues in a row that held something back, the next one holds nothing. */
    int maxHeldDequeues() {
        return config.maxHeldDequeues();
    }

    /** Returns the code a send or receive fails with, or 0 if it does not fail. */
    int callFailure() {
        return draw(call, config.callFailure(), config.callFailureCodes());
    }

    /** Returns the code a COMMIT_ONLY call fails with, or 0 if it does not fail. */
    int commitOnlyFailure() {
        return draw(commit, config.commitOnlyFailure(), config.callFailureCodes());
    }

    /** Returns the code an accept or connect call fails with, or 0 if it does not fail. */
    int acceptConnectFailure() {
        return draw(acceptConnect, config.acceptConnectFailure(), config.acceptConnectFailureCodes());
    }

    /** Returns the status a successful completion is rewritten to, or 0 if it is left alone. */
    int completionError() {
        return draw(completion, config.completionError(), config.completionErrorCodes());
    }

    /**
     * Returns how many of {@code deliverable} completions a dequeue returns: {@code deliverable} itself, or, when a
     * delay is injected, 0 to {@code deliverable - 1}.
     */
    int deliver(int deliverable) {
        if (deliverable == 0 || config.delay() == 0) {
            return deliverable;
        }
        synchronized (delay) {
            return delay.nextDouble() < config.delay() ? delay.nextInt(deliverable) : deliverable;
        }
    }

    /**
     * Returns the length a TCP receive of {@code length} bytes (unsigned) is posted with: {@code length} itself,
     * or, when split, 1 to {@code min(length - 1, maxSplitLength)}.
     */
    long splitLength(long length) {
        if (length < 2 || config.split() == 0) {
            return length;
        }
        synchronized (split) {
            if (split.nextDouble() >= config.split()) {
                return length;
            }
            return 1 + split.nextLong(Math.min(length - 1, config.maxSplitLength()));
        }
    }

    private static int draw(SplittableRandom random, double probability, int[] codes) {
        if (probability == 0) {
            return 0;
        }
        synchronized (random) {
            return random.nextDouble() < probability ? codes[random.nextInt(codes.length)] : 0;
        }
    }
}
