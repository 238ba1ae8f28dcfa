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

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.nettyrio.examples.stress.StreamPattern;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No data crosses connections (docs/reliability.md): many connections write their own patterns (each 16-byte block
 * carries its connection id) in both directions while random ones are killed part way, by either end, with
 * {@code close()} or with a reset ({@code SO_LINGER} 0), so that registered slots are returned and handed to new
 * connections while data flows. Every byte any connection receives, up to its kill or its end, must be its own
 * pattern at the offset it arrives at; a byte from another connection is reported as "connection X ... offset Y".
 * The connections that are not killed complete. Seeded, bounded in count and time.
 */
@Timeout(240)
class RioNoCrossConnectionDataTest {
    private static StressTransports transports;

    @BeforeAll
    static void setUp() {
        transports = new StressTransports("cross");
    }

    @AfterAll
    static void tearDown() {
        transports.close();
    }

    /** 200 connections (RIO with RIO) or 100 (RIO with NIO, NIO with RIO), 4 to 256 KiB each way, half killed. */
    private static StressConfig config(StressTransports.Pair pair) {
        return new StressConfig().seed(100 + pair.ordinal())
                .connections(pair == StressTransports.Pair.RIO_RIO ? 200 : 100).bytesPerDirection(4 << 10, 256 << 10)
                .maxWriteBytes(64 << 10).concurrency(100).killProbability(0.5).resetProbability(0.5)
                .timeLimitMillis(120_000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StressTransports.Pair.class)
    void killedConnectionsNeverDeliverAnotherConnectionsBytes(StressTransports.Pair pair)
            throws InterruptedException {
        StressConfig config = config(pair);
        int connections = config.connections();
        int planned = 0;
        for (int id = 0; id < connections; id++) {
            planned += config.plan(id).killed() ? 1 : 0;
        }
        StressReport report = StressRunner.run(config, transports.server(pair), transports.client(pair));
        String text = report.describe();
        System.out.println(pair + ":\n" + text);
        assertEquals(0, report.errorCount(), text);
        StressTransports.assertClean(report);
        assertEquals(connections, report.connections(), text);
        assertEquals(planned, report.faultsInjected(), "every planned kill happened\n" + text);
        assertTrue(planned > connections / 4, "the random seed kills a good share: " + planned);
        assertEquals(2L * (connections - planned), report.completedSides(),
                "every connection that was not killed completes\n" + text);
    }

    /**
     * The check itself can fail: a handler on the server that overwrites part of one receive per connection with
     * the bytes of a connection that does not exist (id 123456) makes the run fail, naming that connection; and the
     * run still ends clean (nothing open, in flight, in use or leaked).
     */
    @Test
    void bytesOfAnotherConnectionAreDetectedAndNamed() throws InterruptedException {
        StressConfig config = new StressConfig().seed(5).connections(20).bytesPerDirection(64 << 10, 256 << 10)
                .concurrency(20).timeLimitMillis(60_000);
        StressReport report = StressRunner.run(config, transports.server(StressTransports.Pair.RIO_RIO),
                transports.client(StressTransports.Pair.RIO_RIO),
                ch -> ch.pipeline().addLast(new ForeignBytes(config.seed())));
        String text = report.describe();
        System.out.println(text);
        assertTrue(report.errorCount() >= 1, text);
        assertTrue(report.errors().stream().anyMatch(e -> e.contains("the bytes there are connection 123456 "
                + "client-to-server offset ")), text);
        StressTransports.assertClean(report);
    }

    /**
     * Overwrites 64 bytes of the client's stream, once per connection, with foreign bytes: the first 64 that arrive
     * in one receive at or after 4 KiB past its 16-byte hello, wherever the sender's writes and the receives split
     * the stream, so that the bytes before them are verified first.
     */
    private static final class ForeignBytes extends ChannelInboundHandlerAdapter {
        private static final long FROM = 16 + 4096;
        private final StreamPattern foreign;
        private long seen;
        private boolean done;

        ForeignBytes(long seed) {
            this.foreign = new StreamPattern(seed, 123456, StreamPattern.CLIENT_TO_SERVER);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            long at = Math.max(FROM, seen);
            if (!done && seen + buf.readableBytes() - at >= 64) {
                byte[] bytes = new byte[64];
                foreign.fill(bytes, 0, 64, 4096);
                buf.setBytes(buf.readerIndex() + (int) (at - seen), bytes);
                done = true;
            }
            seen += buf.readableBytes();
            ctx.fireChannelRead(msg);
        }
    }
}
