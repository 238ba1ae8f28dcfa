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
package io.nettyrio.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The registrations of one {@link RioIoHandler}, indexed by their id: the {@code SocketContext} every
 * {@code RIORESULT} of a request queue carries ("RIORESULT structure (mswsockdef.h)") and the context of accepts and
 * connects. The id's low 32 bits are an index into a table (plus one, so that no id is 0), its high 32 bits the
 * generation of that index, so a completion is dispatched by an array read and a compare, no hashing, and an id is
 * never mistaken for a later registration that reuses its index. Event loop only.
 */
final class RioRegistrations {
    private RioRegistration[] table = new RioRegistration[16];
    private int[] generations = new int[16];
    /** Indices given back, reused (a stack) before the table grows: it stays as small as the peak of registrations. */
    private int[] free = new int[16];
    private int freeCount;
    /** Indices handed out so far; those at or above it have never been used. */
    private int used;
    private int size;

    /** Returns a new id for a registration: pass it to {@link #add}. */
    long nextId() {
        int index;
        if (used < table.length) {
            // Fresh indices first, while the table has room: a handler's first registrations get ids in order.
            index = used++;
        } else if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            table = Arrays.copyOf(table, used * 2);
            generations = Arrays.copyOf(generations, used * 2);
            index = used++;
        }
        // The first use of an index has generation 0: ids then run 1, 2, 3... as long as none is reused.
        return ((long) generations[index]++ << 32) | (index + 1L);
    }

    /** Adds {@code registration}, whose id {@link #nextId} returned. */
    void add(RioRegistration registration) {
        table[index(registration.id())] = registration;
        size++;
    }

    /** Returns the registration of {@code id}, or null if there is none (any more). */
    RioRegistration get(long id) {
        int index = index(id);
        if (index < 0 || index >= used) {
            return null;
        }
        RioRegistration registration = table[index];
        return registration != null && registration.id() == id ? registration : null;
    }

    /** Removes {@code registration}; returns whether it was there. Its index may serve a later registration. */
    boolean remove(RioRegistration registration) {
        long id = registration.id();
        if (get(id) != registration) {
            return false;
        }
        int index = index(id);
        table[index] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = index;
        size--;
        return true;
    }

    /** Returns a copy of the registrations, for a pass that may remove some. */
    List<RioRegistration> snapshot() {
        List<RioRegistration> all = new ArrayList<>(size);
        for (int i = 0; i < used; i++) {
            if (table[i] != null) {
                all.add(table[i]);
            }
        }
        return all;
    }

    private static int index(long id) {
        return (int) id - 1;
    }
}
