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
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registered files (docs/linux-provider.md, "Registered files"): a request queue's requests name its socket by a
 * slot of the ring's registered files, closesocket lets the slot go so that the connection really closes, and a
 * slot that serves a new socket never carries an old socket's requests to it.
 */
class IoUringRegisteredFilesTest {

    private static UringRequestQueue queue(Loopback l, long rq) {
        return l.provider.requestQueues.get(rq);
    }

    private static int slotsInUse(Ring ring) {
        ring.lock.lock();
        try {
            return ring.fileSlotsInUse();
        } finally {
            ring.lock.unlock();
        }
    }

    /** Waits, reaping, until {@code ring} has {@code count} slots in use. */
    private static void awaitSlotsInUse(Loopback l, Ring ring, int count) throws RioException {
        long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
        while (slotsInUse(ring) != count && System.nanoTime() < deadline) {
            l.port.getQueuedCompletionStatus(l.entries, 10_000_000L);
        }
        assertEquals(count, slotsInUse(ring), "slots of the registered files in use");
    }

    /** Posts a receive on {@code client} and checks that it completes with the end of stream. */
    private static void assertEndOfStream(Loopback l, long client, long context) throws RioException {
        l.rio.receive(client, l.buf(30, 200_000, 64), 1, 0, context);
        assertEquals(1, l.awaitResults(1));
        assertEquals(0, l.status(0));
        assertEquals(0, l.bytes(0), "end of stream");
        assertEquals(context, l.requestContext(0));
    }

    @Test
    void requestsNameTheSocketBySlotAndClosesocketEmptiesIt() throws Exception {
        try (Loopback l = new Loopback(256)) {
            Ring ring = ((UringPort) l.port).ring;
            assertTrue(ring.fileSlots() > 0, "the kernel registered a table of files (Linux 5.19)");
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            UringRequestQueue s = queue(l, server);
            UringRequestQueue c = queue(l, client);
            assertEquals(2, slotsInUse(ring));
            assertEquals(s.receive.file, s.send.file, "both sides on one ring share the slot");
            assertNotEquals(s.receive.file, c.receive.file);
            assertTrue(s.receive.file < ring.fileSlots() && c.receive.file < ring.fileSlots());

            l.rio.receive(server, l.buf(0, 0, 64), 1, 0, 10);
            l.memory.set(ValueLayout.JAVA_LONG, 4096, 0x0102030405060708L);
            l.rio.send(client, l.buf(1, 4096, 8), 1, 0, 11);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(0, l.status(i));
                assertEquals(8, l.bytes(i));
            }
            assertEquals(0x0102030405060708L, l.memory.get(ValueLayout.JAVA_LONG, 0));

            // The table holds the socket open: only once closesocket empties the slot does the peer see the FIN.
            // The server's receive is in the kernel: closesocket cancels it and empties the slot in one enter.
            l.rio.receive(server, l.buf(3, 12288, 64), 1, 0, 13);
            l.rio.receive(client, l.buf(2, 8192, 64), 1, 0, 12);
            assertEquals(0, l.rio.notify(l.cq)); // ends this thread's batch: both receives reach the kernel now
            IoUringStatistics stats = l.provider.statistics();
            long enters = stats.enterCalls();
            long sqes = stats.sqesSubmitted();
            l.sockets.close(pair[0]);
            assertEquals(sqes + 2, stats.sqesSubmitted(), "the cancel and the slot's emptying");
            assertEquals(enters + 1, stats.enterCalls(), "both in one io_uring_enter");
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                if (l.requestContext(i) == 13) {
                    assertEquals(WsaError.WSA_OPERATION_ABORTED, l.status(i), "the server's receive");
                } else {
                    assertEquals(12, l.requestContext(i));
                    assertEquals(0, l.status(i));
                    assertEquals(0, l.bytes(i), "end of stream after closesocket");
                }
            }
            awaitSlotsInUse(l, ring, 1);
        }
    }

    @Test
    void aSlotServesANewSocketOnlyAfterTheOldOnesRequestsAndNeverMixesTheirBytes() throws Exception {
        try (Loopback l = new Loopback(256)) {
            Ring ring = ((UringPort) l.port).ring;
            long[] first = l.tcpPair(RioConstants.AF_INET);
            long firstServer = l.rio.createRequestQueue(first[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            int firstSlot = queue(l, firstServer).send.file;
            // A send committed and, at once, closesocket: the send's SQE goes before the slot is emptied.
            l.memory.set(ValueLayout.JAVA_LONG, 4096, 0x1111111111111111L);
            l.rio.send(firstServer, l.buf(0, 4096, 8), 1, 0, 20);
            l.sockets.close(first[0]);
            awaitSlotsInUse(l, ring, 0);

            long[] second = l.tcpPair(RioConstants.AF_INET);
            long secondServer = l.rio.createRequestQueue(second[0], 1, 1, 1, 1, l.cq, l.cq, 3);
            long secondClient = l.rio.createRequestQueue(second[1], 1, 1, 1, 1, l.cq, l.cq, 4);
            long firstClient = l.rio.createRequestQueue(first[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            UringRequestQueue s2 = queue(l, secondServer);
            assertTrue(s2.send.file == firstSlot || queue(l, secondClient).send.file == firstSlot,
                    "the emptied slot serves again");

            // The first connection's client gets what its server sent before closing, then the end of stream.
            l.rio.receive(firstClient, l.buf(1, 0, 64), 1, 0, 21);
            // The second connection carries its own bytes only.
            l.rio.receive(secondClient, l.buf(2, 8192, 64), 1, 0, 22);
            l.memory.set(ValueLayout.JAVA_LONG, 12288, 0x2222222222222222L);
            l.rio.send(secondServer, l.buf(3, 12288, 8), 1, 0, 23);
            assertEquals(4, l.awaitResults(4));
            java.util.Set<Long> contexts = new java.util.HashSet<>();
            for (int i = 0; i < 4; i++) {
                long context = l.requestContext(i);
                assertEquals(0, l.status(i), "request " + context);
                assertEquals(8, l.bytes(i), "request " + context);
                contexts.add(context);
            }
            assertEquals(java.util.Set.of(20L, 21L, 22L, 23L), contexts);
            assertEquals(0x1111111111111111L, l.memory.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0x2222222222222222L, l.memory.get(ValueLayout.JAVA_LONG, 8192));
            assertEndOfStream(l, firstClient, 24); // the first connection ends after its own bytes
        }
    }

    @Test
    void closesocketOnAnotherThreadOfAnOwnedPortClosesTheConnectionWhileTheOwnerSleeps() throws Exception {
        try (Loopback l = new Loopback(256, true)) {
            Ring ring = ((UringPort) l.port).ring;
            long[] pair = l.tcpPair(RioConstants.AF_INET); // this thread waited first: it owns the port if owned
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            assertTrue(queue(l, server).receive.file < ring.fileSlots(), "the owner registered the socket");
            l.rio.receive(client, l.buf(0, 0, 64), 1, 0, 30);
            assertEquals(0, l.rio.notify(l.cq));
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(200); // let the owner fall asleep in its wait
                    l.sockets.close(pair[0]);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // One long wait: only the owner's wake-up to submit the slot's emptying ends it with the end of stream.
            long start = System.nanoTime();
            int n = l.port.getQueuedCompletionStatus(l.entries, TimeUnit.SECONDS.toNanos(60));
            while (n > 0 && l.entries.completionKey(0) != Loopback.KEY_RIO
                    && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                n = l.port.getQueuedCompletionStatus(l.entries, TimeUnit.SECONDS.toNanos(60));
            }
            closed.get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "woken, not timed out");
            assertEquals(1, l.awaitResults(1));
            assertEquals(0, l.bytes(0), "end of stream");
            assertEquals(30, l.requestContext(0));
            awaitSlotsInUse(l, ring, 1);
        }
    }

    @Test
    void turnedOffRequestsNameTheFd() throws Exception {
        try (Loopback l = new Loopback(256)) {
            l.provider.registeredFiles = false;
            Ring ring = ((UringPort) l.port).ring;
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            assertEquals(0, slotsInUse(ring));
            assertEquals(l.provider.sockets.get(pair[0]).fd, queue(l, server).send.file);
            l.rio.receive(server, l.buf(0, 0, 64), 1, 0, 10);
            l.memory.set(ValueLayout.JAVA_INT, 4096, 0x55aa55aa);
            l.rio.send(client, l.buf(1, 4096, 4), 1, 0, 11);
            assertEquals(2, l.awaitResults(2));
            assertEquals(0x55aa55aa, l.memory.get(ValueLayout.JAVA_INT, 0));
            l.sockets.close(pair[0]);
            assertEndOfStream(l, client, 12);
        }
    }
}
