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

import io.nettyrio.examples.stress.StressConfig;
import io.nettyrio.examples.stress.StressReport;
import io.nettyrio.examples.stress.StressRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every byte checked at scale (docs/reliability.md), at CI size: hundreds of loopback connections, each carrying a
 * log-uniform 1 B to 16 MiB (capped here, see below) in each direction with random write sizes, buffer kinds, flush
 * patterns and autoRead toggles on both ends, every byte verified where it arrives, each direction ended by a
 * half-close. Then: no error, every promised write succeeded, every channel closed, no RIO request in flight, no
 * registered slot in use, no leak reported (detection PARANOID in every test). {@code StressBenchmark} runs the same
 * harness at 10,000 connections.
 */
@Timeout(240)
class RioStressTest {
    private static StressTransports transports;

    @BeforeAll
    static void setUp() {
        transports = new StressTransports("stress");
    }

    @AfterAll
    static void tearDown() {
        transports.close();
    }

    private static StressReport run(StressTransports.Pair pair, StressConfig config) throws InterruptedException {
        StressReport report = StressRunner.run(config, transports.server(pair), transports.client(pair));
        System.out.println(pair + ":\n" + report.describe());
        return report;
    }

    private static void assertPassed(StressReport report) {
        String text = report.describe();
        assertEquals(0, report.errorCount(), text);
        StressTransports.assertClean(report);
        assertEquals(2L * report.connections(), report.completedSides(), "every end completes\n" + text);
        assertEquals(report.config().connections(), report.connections(), text);
        assertEquals(report.bytesWritten(), report.bytesVerified(), "every byte written is verified\n" + text);
        assertEquals(report.promisedWrites(), report.promisesSucceeded(), "every write promise succeeds\n" + text);
    }

    /**
     * 500 connections (RIO with RIO) or 150 (RIO with NIO, NIO with RIO), 1 byte to 1 MiB each way, 100 at once.
     * (Leak detection PARANOID records every buffer access, so volume is expensive here; StressBenchmark moves
     * gigabytes.)
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(StressTransports.Pair.class)
    void manyConnectionsEveryByteVerified(StressTransports.Pair pair) throws InterruptedException {
        boolean rioRio = pair == StressTransports.Pair.RIO_RIO;
        assertPassed(run(pair, new StressConfig().seed(7 + pair.ordinal()).connections(rioRio ? 500 : 150)
                .bytesPerDirection(1, 1 << 20).concurrency(100).timeLimitMillis(120_000)));
    }

    /** The top of the range: 16 MiB each way on four connections at once, writes of up to 4 MiB. */
    @Test
    void sixteenMiBEachWay() throws InterruptedException {
        assertPassed(run(StressTransports.Pair.RIO_RIO, new StressConfig().seed(11).connections(4)
                .bytesPerDirection(16 << 20, 16 << 20).maxWriteBytes(4 << 20).concurrency(4)
                .timeLimitMillis(120_000)));
    }
}
