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
package io.nettyrio.rio.uring;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps the opaque {@code long} handles the model hands out ({@code SOCKET}, {@code RIO_RQ}, {@code RIO_CQ},
 * {@code RIO_BUFFERID}, ports) to their objects. A handle is {@code tag << 56 | generation << 32 | index}: the tag
 * keeps a handle of one kind from being taken for another, the generation keeps a stale handle (of a closed
 * socket, a deregistered buffer) from reaching the object that reuses its slot. A handle is never 0 (NULL,
 * {@code RIO_INVALID_CQ}) nor {@code RIO_INVALID_BUFFERID} (0xFFFFFFFF), since its tag is never 0.
 *
 * <p>{@link #get} is lock-free and allocation-free, for the hot path; adding and removing are synchronized.
 */
final class HandleTable<T> {
    private record Entry<T>(long handle, T value) {
    }

    private final int tag;
    private volatile AtomicReferenceArray<Entry<T>> slots = new AtomicReferenceArray<>(64);
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    HandleTable(int tag) {
        if (tag < 1 || tag > 0x7f) {
            throw new IllegalArgumentException("tag " + tag);
        }
        this.tag = tag;
    }

    /** Adds {@code value} and returns its new handle. */
    synchronized long add(T value) {
        int index;
        if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            if (used == slots.length()) {
                AtomicReferenceArray<Entry<T>> old = slots;
                AtomicReferenceArray<Entry<T>> grown = new AtomicReferenceArray<>(old.length() * 2);
                for (int i = 0; i < old.length(); i++) {
                    grown.set(i, old.get(i));
                }
                generations = Arrays.copyOf(generations, grown.length());
                free = Arrays.copyOf(free, grown.length());
                slots = grown;
            }
            index = used++;
        }
        int generation = (generations[index] + 1) & 0xffffff;
        if (generation == 0) {
            generation = 1;
        }
        generations[index] = generation;
        long handle = ((long) tag << 56) | ((long) generation << 32) | index;
        slots.set(index, new Entry<>(handle, value));
        return handle;
    }

    /** Returns the object of {@code handle}, or null if the handle is not (or no longer) one of this table. */
    T get(long handle) {
        if ((int) (handle >>> 56) != tag) {
            return null;
        }
        int index = (int) handle;
        AtomicReferenceArray<Entry<T>> s = slots;
        if (index < 0 || index >= s.length()) {
            return null;
        }
        Entry<T> e = s.get(index);
        return e != null && e.handle == handle ? e.value : null;
    }

    /** Removes {@code handle}; returns its object, or null if it was not there. */
    synchronized T remove(long handle) {
        T value = get(handle);
        if (value == null) {
            return null;
        }
        int index = (int) handle;
        slots.set(index, null);
        free[freeCount++] = index;
        return value;
    }

    /** Returns the slot index of a handle (used in io_uring user_data). */
    static int index(long handle) {
        return (int) handle;
    }

    /** Returns the object in slot {@code index}, whatever its generation, or null. */
    T atIndex(int index) {
        AtomicReferenceArray<Entry<T>> s = slots;
        if (index < 0 || index >= s.length()) {
            return null;
        }
        Entry<T> e = s.get(index);
        return e == null ? null : e.value;
    }
}
