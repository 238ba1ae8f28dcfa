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
package io.nettyrio.rio.rules;

/**
 * Handles closed recently (completion queues, request queues, buffer IDs), so that a later use is reported as a use
 * after close rather than as an unknown handle. Bounded: a long-running process must not grow it without limit,
 * so the oldest are forgotten (their later use is then reported as an unknown handle, still before the provider).
 */
final class RuleClosedHandles {
    private static final int CAPACITY = 4096;

    private final long[] ring = new long[CAPACITY];
    private final java.util.HashSet<Long> set = new java.util.HashSet<>();
    private int next;
    private int size;

    synchronized void add(long handle) {
        if (!set.add(handle)) {
            return;
        }
        if (size == CAPACITY) {
            set.remove(ring[next]);
        } else {
            size++;
        }
        ring[next] = handle;
        next = (next + 1) % CAPACITY;
    }

    /** Forgets {@code handle}, because the provider handed the same value out again for a new object. */
    synchronized void remove(long handle) {
        // The ring keeps the stale value; it is only a candidate for eviction, and set membership is what counts.
        set.remove(handle);
    }

    synchronized boolean contains(long handle) {
        return set.contains(handle);
    }
}
