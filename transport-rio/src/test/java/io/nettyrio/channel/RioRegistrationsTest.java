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

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler's table of registrations: dispatch by id, and an old id never finds a later registration. */
class RioRegistrationsTest {
    private static RioRegistration add(RioRegistrations table) {
        RioRegistration r = new RioRegistration(null, null, table.nextId());
        table.add(r);
        return r;
    }

    @Test
    void firstIdsRunInOrderAndFindTheirRegistration() {
        RioRegistrations table = new RioRegistrations();
        List<RioRegistration> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RioRegistration r = add(table);
            assertEquals(i + 1, r.id(), "no reuse yet: ids in order, growing past the first table");
            all.add(r);
        }
        for (RioRegistration r : all) {
            assertSame(r, table.get(r.id()));
        }
        assertNull(table.get(0));
        assertNull(table.get(41));
        assertNull(table.get(-1));
        assertEquals(40, table.snapshot().size());
    }

    @Test
    void aRemovedIdNeverFindsTheRegistrationThatReusesItsIndex() {
        RioRegistrations table = new RioRegistrations();
        List<RioRegistration> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(add(table));
        }
        Set<Long> ids = new HashSet<>();
        for (RioRegistration r : all) {
            ids.add(r.id());
        }
        RioRegistration old = all.get(5);
        assertTrue(table.remove(old));
        assertFalse(table.remove(old), "removed once");
        assertNull(table.get(old.id()));
        // The table is full: the next registration takes the index given back, under a new generation.
        RioRegistration next = add(table);
        assertEquals((int) old.id(), (int) next.id(), "same index");
        assertTrue(ids.add(next.id()), "a new id");
        assertNull(table.get(old.id()), "a late completion of the old registration finds nothing");
        assertSame(next, table.get(next.id()));
        assertEquals(16, table.snapshot().size());
    }
}
