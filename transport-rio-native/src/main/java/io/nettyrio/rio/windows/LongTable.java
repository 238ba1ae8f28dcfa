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
package io.nettyrio.rio.windows;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A map from the opaque handles Windows returns ({@code RIO_BUFFERID}, {@code RIO_CQ}, {@code RIO_RQ}, all
 * pointer-sized and chosen by Windows) to what the provider knows of them. {@link #get} is lock-free and
 * allocation-free, for the hot path of every RIO request; {@link #put} and {@link #remove} are synchronized (they
 * follow registrations, queue creations and socket closes).
 *
 * <p>Open addressing with linear probing; a writer publishes the value before the key, a reader reads the key
 * before the value. Removal leaves a tombstone. A reader racing with the removal of the very key it looks up may
 * see either answer, as it would had it run a moment earlier or later.
 */
final class LongTable<V> {
    private static final long EMPTY = 0L;
    // Never a key: RIO_INVALID_BUFFERID, which Windows never returns for a valid object.
    private static final long TOMBSTONE = 0xFFFFFFFFL;

    private record Table<V>(AtomicLongArray keys, AtomicReferenceArray<V> values, int mask) {
        Table(int capacity) {
            this(new AtomicLongArray(capacity), new AtomicReferenceArray<>(capacity), capacity - 1);
        }
    }

    private volatile Table<V> table = new Table<>(64);
    // Keys 0 and 0xFFFFFFFF cannot live in the table; Windows does not return them for valid objects, but a map
    // must not lose them either.
    private volatile V zero;
    private volatile V invalid;
    private int size;
    private int used;

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Returns the value of {@code key}, or {@code null}. */
    V get(long key) {
        if (key == EMPTY) {
            return zero;
        }
        if (key == TOMBSTONE) {
            return invalid;
        }
        Table<V> t = table;
        int mask = t.mask();
        int i = hash(key) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            long k = t.keys().get(i);
            if (k == key) {
                return t.values().get(i);
            }
            if (k == EMPTY) {
                return null;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Maps {@code key} to {@code value} (not null), replacing any earlier value. */
    synchronized void put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (key == EMPTY) {
            zero = value;
            return;
        }
        if (key == TOMBSTONE) {
            invalid = value;
            return;
        }
        Table<V> t = table;
        if ((used + 1) * 2 > t.mask() + 1) {
            t = rehash(size * 4 > t.mask() + 1 ? (t.mask() + 1) * 2 : t.mask() + 1);
        }
        int mask = t.mask();
        int i = hash(key) & mask;
        int reuse = -1;
        while (true) {
            long k = t.keys().get(i);
            if (k == key) {
                t.values().set(i, value);
                return;
            }
            if (k == TOMBSTONE && reuse < 0) {
                reuse = i;
            }
            if (k == EMPTY) {
                break;
            }
            i = (i + 1) & mask;
        }
        int slot = reuse >= 0 ? reuse : i;
        if (reuse < 0) {
            used++;
        }
        t.values().set(slot, value);
        t.keys().set(slot, key);
        size++;
    }

    /** Removes {@code key}; returns its value, or {@code null} if it had none. */
    synchronized V remove(long key) {
        if (key == EMPTY) {
            V v = zero;
            zero = null;
            return v;
        }
        if (key == TOMBSTONE) {
            V v = invalid;
            invalid = null;
            return v;
        }
        Table<V> t = table;
        int mask = t.mask();
        int i = hash(key) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            long k = t.keys().get(i);
            if (k == key) {
                V v = t.values().get(i);
                t.keys().set(i, TOMBSTONE);
                t.values().set(i, null);
                size--;
                return v;
            }
            if (k == EMPTY) {
                return null;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** The number of keys in the table. */
    synchronized int size() {
        return size + (zero != null ? 1 : 0) + (invalid != null ? 1 : 0);
    }

    private Table<V> rehash(int capacity) {
        Table<V> old = table;
        Table<V> fresh = new Table<>(capacity);
        int mask = fresh.mask();
        for (int j = 0; j <= old.mask(); j++) {
            long k = old.keys().get(j);
            if (k != EMPTY && k != TOMBSTONE) {
                int i = hash(k) & mask;
                while (fresh.keys().get(i) != EMPTY) {
                    i = (i + 1) & mask;
                }
                fresh.values().set(i, old.values().get(j));
                fresh.keys().set(i, k);
            }
        }
        used = size;
        table = fresh;
        return fresh;
    }
}
