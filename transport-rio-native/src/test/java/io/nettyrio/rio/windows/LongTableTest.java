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

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handle table behind every RIO request's check: a map, also under churn and with a concurrent reader. */
class LongTableTest {

    @Test
    void putGetRemove() {
        LongTable<String> t = new LongTable<>();
        assertNull(t.get(5));
        t.put(5, "five");
        t.put(0x7FF0_0000_1234L, "pointer");
        assertEquals("five", t.get(5));
        assertEquals("pointer", t.get(0x7FF0_0000_1234L));
        t.put(5, "FIVE");
        assertEquals("FIVE", t.get(5));
        assertEquals(2, t.size());
        assertEquals("FIVE", t.remove(5));
        assertNull(t.get(5));
        assertNull(t.remove(5));
        assertEquals(1, t.size());
        assertThrows(IllegalArgumentException.class, () -> t.put(1, null));
    }

    @Test
    void keysThatCannotLiveInTheArrayStillWork() {
        LongTable<String> t = new LongTable<>();
        t.put(0, "zero");
        t.put(0xFFFFFFFFL, "invalid");
        assertEquals("zero", t.get(0));
        assertEquals("invalid", t.get(0xFFFFFFFFL));
        assertEquals(2, t.size());
        assertEquals("zero", t.remove(0));
        assertEquals("invalid", t.remove(0xFFFFFFFFL));
        assertNull(t.get(0));
        assertNull(t.get(0xFFFFFFFFL));
    }

    @Test
    void matchesAHashMapUnderChurn() {
        LongTable<Long> t = new LongTable<>();
        Map<Long, Long> reference = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            // Keys like pointers: a few thousand live at once, many removed, so tombstones and rehashes happen.
            long key = 0x1_0000_0000L + 16L * random.nextInt(5000);
            if (random.nextInt(3) == 0) {
                assertEquals(reference.remove(key), t.remove(key));
            } else {
                reference.put(key, (long) i);
                t.put(key, (long) i);
            }
        }
        assertEquals(reference.size(), t.size());
        for (int k = 0; k < 5000; k++) {
            long key = 0x1_0000_0000L + 16L * k;
            assertEquals(reference.get(key), t.get(key));
        }
    }

    @Test
    void aReaderAlwaysSeesLiveKeysWhileAWriterChurns() throws Exception {
        LongTable<Long> t = new LongTable<>();
        long[] stable = new long[64];
        for (int i = 0; i < stable.length; i++) {
            stable[i] = 0xA000_0000L + i * 24L;
            t.put(stable[i], stable[i]);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int round = 0; round < 50_000; round++) {
                    long key = 0xB000_0000L + (round % 3000) * 8L;
                    t.put(key, key);
                    if (round % 2 == 0) {
                        t.remove(0xB000_0000L + ((round / 2) % 3000) * 8L);
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        writer.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        do {
            for (long key : stable) {
                assertEquals(key, t.get(key), "a key never removed is always found");
            }
        } while (writer.isAlive() && System.nanoTime() < deadline);
        writer.join(10_000);
        assertNull(failure.get());
        for (long key : stable) {
            assertEquals(key, t.get(key));
        }
    }
}
