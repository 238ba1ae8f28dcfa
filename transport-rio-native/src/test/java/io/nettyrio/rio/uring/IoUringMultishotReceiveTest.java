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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TCP receives through the socket's provided-buffer ring and one multishot IORING_OP_RECV
 * ({@link BufferRing}): the same RIO results as receives issued one at a time (each case runs both ways where it
 * can), in the order they were posted, and receives the ring cannot serve still in order among them.
 */
class IoUringMultishotReceiveTest {

    private static Loopback loopback(boolean multishot) throws Exception {
        Loopback l = new Loopback(256);
        if (multishot && !l.provider.multishotReceive) {
            l.close();
            Assumptions.abort("this kernel has no multishot receive (Linux 6.0 or later)");
        }
        l.provider.multishotReceive = multishot;
        return l;
    }

    /** A connected TCP pair and the server end's request queue (context 1), room for {@code receives} receives. */
    private record Connection(long serverSocket, long clientSocket, long server) {
        static Connection open(Loopback l, short family, int receives) throws Exception {
            long[] pair = l.tcpPair(family);
            return new Connection(pair[0], pair[1],
                    l.rio.createRequestQueue(pair[0], receives, 1, 1, 1, l.cq, l.cq, 1));
        }

        /** The client end's request queue (context 2): one receive, one send. */
        long client(Loopback l) throws Exception {
            return l.rio.createRequestQueue(clientSocket, 1, 1, 1, 1, l.cq, l.cq, 2);
        }
    }

    /**
     * Posts {@code n} receives of {@code length} bytes on {@code rq}, receive {@code i} into RIO_BUF {@code i} at
     * {@code i * stride} with request context {@code first + i}, all but the last deferred: one commit.
     */
    private static void postReceives(Loopback l, long rq, int n, long stride, int length, long first)
            throws Exception {
        for (int i = 0; i < n; i++) {
            l.rio.receive(rq, l.buf(i, stride * i, length), 1, i < n - 1 ? RioConstants.RIO_MSG_DEFER : 0,
                    first + i);
        }
    }

    @Test
    void receivesPostedBeforeTheirDataCostOneSqeBetweenThem() throws Exception {
        try (Loopback l = loopback(true)) {
            int n = 8;
            Connection c = Connection.open(l, RioConstants.AF_INET, n);
            long client = c.client(l);
            IoUringStatistics stats = l.provider.statistics();
            long sqes = stats.sqesSubmitted();
            postReceives(l, c.server(), n, 1000, 100, 100);
            for (int i = 0; i < n; i++) {
                // One message at a time, each after the last one's receive completed: one receive each.
                l.memory.set(ValueLayout.JAVA_BYTE, 500_000 + i, (byte) (i + 1));
                l.rio.send(client, l.buf(40, 500_000 + i, 1), 1, 0, 200 + i);
                assertEquals(2, l.awaitResults(2));
                for (int r = 0; r < 2; r++) {
                    assertEquals(0, l.status(r));
                    assertEquals(1, l.bytes(r));
                    if (l.socketContext(r) == 1) {
                        assertEquals(100 + i, l.requestContext(r), "receives complete in the order posted");
                    }
                }
                assertEquals((byte) (i + 1), l.memory.get(ValueLayout.JAVA_BYTE, 1000L * i));
            }
            // n sends, and for all n receives one multishot receive (one at a time: n receives).
            assertEquals(n + 1, stats.sqesSubmitted() - sqes);
        }
    }

    @ParameterizedTest(name = "multishot {0}")
    @ValueSource(booleans = {true, false})
    void manyRoundTripsThroughASmallRingKeepOrderAndData(boolean multishot) throws Exception {
        try (Loopback l = loopback(multishot)) {
            Connection c = Connection.open(l, RioConstants.AF_INET6, 2);
            long client = c.client(l);
            // Two receives in flight, reposted as they complete: the ring's two entries are reused many times.
            postReceives(l, c.server(), 2, 64, 64, 0);
            int rounds = 200;
            for (int i = 0; i < rounds; i++) {
                l.memory.set(ValueLayout.JAVA_INT_UNALIGNED, 600_000, i);
                l.rio.send(client, l.buf(40, 600_000, 4), 1, 0, 0);
                assertEquals(2, l.awaitResults(2));
                for (int r = 0; r < 2; r++) {
                    assertEquals(0, l.status(r));
                    if (l.socketContext(r) == 1) {
                        long context = l.requestContext(r);
                        assertEquals(i % 2, context, "round " + i);
                        assertEquals(4, l.bytes(r));
                        assertEquals(i, l.memory.get(ValueLayout.JAVA_INT_UNALIGNED, 64 * context));
                        l.rio.receive(c.server(), l.buf((int) context, 64 * context, 64), 1, 0, context);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "multishot {0}")
    @ValueSource(booleans = {true, false})
    void endOfStreamCompletesEveryWaitingReceiveWithNoBytes(boolean multishot) throws Exception {
        try (Loopback l = loopback(multishot)) {
            Connection c = Connection.open(l, RioConstants.AF_INET, 3);
            postReceives(l, c.server(), 3, 100, 100, 0);
            l.sockets.shutdown(c.clientSocket(), RioConstants.SD_SEND);
            assertEquals(3, l.awaitResults(3));
            for (int i = 0; i < 3; i++) {
                assertEquals(i, l.requestContext(i));
                assertEquals(WsaError.NO_ERROR, l.status(i));
                assertEquals(0, l.bytes(i), "end of stream");
            }
            // And every later receive, too.
            l.rio.receive(c.server(), l.buf(0, 0, 100), 1, 0, 9);
            assertEquals(1, l.awaitResults(1));
            assertEquals(9, l.requestContext(0));
            assertEquals(0, l.bytes(0));
        }
    }

    @ParameterizedTest(name = "multishot {0}")
    @ValueSource(booleans = {true, false})
    void aResetFailsTheFirstWaitingReceiveAndEndsTheOthers(boolean multishot) throws Exception {
        try (Loopback l = loopback(multishot)) {
            Connection c = Connection.open(l, RioConstants.AF_INET, 2);
            postReceives(l, c.server(), 2, 100, 100, 0);
            l.sockets.abort(c.clientSocket());
            assertEquals(2, l.awaitResults(2));
            assertEquals(0, l.requestContext(0));
            assertEquals(WsaError.WSAECONNRESET, l.status(0));
            // Linux reports a socket's error once: a receive after it sees end of stream. The multishot receive
            // fails every receive it holds with the error; one at a time, the second is a receive after it.
            assertEquals(1, l.requestContext(1));
            assertEquals(multishot ? WsaError.WSAECONNRESET : WsaError.NO_ERROR, l.status(1));
            assertEquals(0, l.bytes(1));
        }
    }

    @ParameterizedTest(name = "multishot {0}")
    @ValueSource(booleans = {true, false})
    void aWaitAllReceiveBetweenOthersFillsWholeAndInOrder(boolean multishot) throws Exception {
        try (Loopback l = loopback(multishot)) {
            Connection c = Connection.open(l, RioConstants.AF_INET, 3);
            long client = c.client(l);
            l.rio.receive(c.server(), l.buf(0, 0, 100), 1, RioConstants.RIO_MSG_DEFER, 0);
            l.rio.receive(c.server(), l.buf(1, 1000, 1000), 1, RioConstants.RIO_MSG_DEFER | RioConstants.RIO_MSG_WAITALL,
                    1);
            l.rio.receive(c.server(), l.buf(2, 3000, 100), 1, 0, 2);
            for (int i = 0; i < 2000; i++) {
                l.memory.set(ValueLayout.JAVA_BYTE, 700_000 + i, (byte) (i * 7));
            }
            // 100 bytes for the first receive, then 1,050 at once: the WAITALL receive takes 1,000, the last 50.
            l.rio.send(client, l.buf(40, 700_000, 100), 1, 0, 0);
            assertEquals(2, l.awaitResults(2));
            int first = l.socketContext(0) == 1 ? 0 : 1;
            assertEquals(0, l.requestContext(first));
            assertEquals(100, l.bytes(first));
            l.rio.send(client, l.buf(40, 700_100, 1050), 1, 0, 0);
            assertEquals(3, l.awaitResults(3));
            int seen = 0;
            for (int r = 0; r < 3; r++) {
                if (l.socketContext(r) != 1) {
                    continue;
                }
                assertEquals(0, l.status(r));
                if (seen == 0) {
                    assertEquals(1, l.requestContext(r));
                    assertEquals(1000, l.bytes(r), "WAITALL fills the whole buffer");
                } else {
                    assertEquals(2, l.requestContext(r));
                    assertEquals(50, l.bytes(r));
                }
                seen++;
            }
            assertEquals(2, seen);
            for (int i = 0; i < 1000; i++) {
                assertEquals((byte) ((100 + i) * 7), l.memory.get(ValueLayout.JAVA_BYTE, 1000 + i));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals((byte) ((1100 + i) * 7), l.memory.get(ValueLayout.JAVA_BYTE, 3000 + i));
            }
        }
    }

    @ParameterizedTest(name = "multishot {0}")
    @ValueSource(booleans = {true, false})
    void closeAbortsEveryWaitingReceive(boolean multishot) throws Exception {
        try (Loopback l = loopback(multishot)) {
            Connection c = Connection.open(l, RioConstants.AF_INET, 4);
            postReceives(l, c.server(), 4, 100, 100, 0);
            l.sockets.close(c.serverSocket());
            assertEquals(4, l.awaitResults(4));
            for (int i = 0; i < 4; i++) {
                assertEquals(i, l.requestContext(i));
                assertEquals(WsaError.WSA_OPERATION_ABORTED, l.status(i), "result " + i);
            }
        }
    }
}
