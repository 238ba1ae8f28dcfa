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
package io.nettyrio.testsuite.stress;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.examples.stress.LeakCounter;
import io.nettyrio.rio.Rio;
import io.nettyrio.testing.ExpectedLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stress harness's leak counter (what {@code StressBenchmark}'s report counts; tests fail on leaks through
 * {@code io.nettyrio.testing.TransportWatch}) can itself fail: a buffer dropped without a release is counted, from
 * Netty's allocator and from the RIO allocator, and a released one is not.
 */
@Timeout(30)
@ExpectedLeaks("each test drops a buffer without releasing it, to see it counted")
class LeakCounterTest {
    @Test
    void countsADroppedBufferAndNotAReleasedOne() throws Exception {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "the tests run with -Dio.netty.leakDetection.level=PARANOID");
        try (LeakCounter counter = LeakCounter.install()) {
            ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1).release();
            assertEquals(0, counter.collect(), () -> "a released buffer was reported: " + counter.reports());

            dropWithoutRelease(ByteBufAllocator.DEFAULT);
            assertTrue(collectUntilReported(counter) >= 1, "a dropped Netty buffer was not reported");
        }
    }

    @Test
    void countsADroppedRioBuffer() throws Exception {
        assumeRioAvailable();
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(Rio.provider().registeredIo()).build();
        try (LeakCounter counter = LeakCounter.install()) {
            dropWithoutRelease(alloc);
            assertTrue(collectUntilReported(counter) >= 1, "a dropped RIO buffer was not reported");
        }
    }

    /**
     * Collects until a leak is reported, for up to 20 s: one {@link LeakCounter#collect()} gives the collector and
     * the reference handler about 300 ms, which a loaded machine may not give them; a leak reported only after this
     * test would fail whichever test runs next.
     */
    private static int collectUntilReported(LeakCounter counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int leaks = counter.collect();
        while (leaks == 0 && System.nanoTime() - deadline < 0) {
            leaks = counter.collect();
        }
        return leaks;
    }

    private static void dropWithoutRelease(ByteBufAllocator alloc) {
        alloc.directBuffer(64).writeLong(2);
    }
}
