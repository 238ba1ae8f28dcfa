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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** TCP over loopback through the provider: send, receive, EOF, IPv4 and IPv6. */
class IoUringTcpTest {

    @ParameterizedTest
    @ValueSource(shorts = {RioConstants.AF_INET, RioConstants.AF_INET6})
    void sendReceiveAndEof(short family) throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(family);
            long serverRq = l.rio.createRequestQueue(pair[0], 4, 1, 4, 1, l.cq, l.cq, 100);
            long clientRq = l.rio.createRequestQueue(pair[1], 4, 1, 4, 1, l.cq, l.cq, 200);
            for (int i = 0; i < 1000; i++) {
                l.memory.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            l.rio.receive(serverRq, l.buf(0, 4096, 1000), 1, RioConstants.RIO_MSG_WAITALL, 7);
            l.rio.send(clientRq, l.buf(1, 0, 1000), 1, 0, 8);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(0, l.status(i));
                assertEquals(1000, l.bytes(i));
                if (l.requestContext(i) == 7) {
                    assertEquals(100, l.socketContext(i));
                } else {
                    assertEquals(8, l.requestContext(i));
                    assertEquals(200, l.socketContext(i));
                }
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals((byte) i, l.memory.get(ValueLayout.JAVA_BYTE, 4096 + i));
            }
            l.rio.receive(serverRq, l.buf(0, 8192, 100), 1, 0, 9);
            l.sockets.shutdown(pair[1], RioConstants.SD_SEND);
            assertEquals(1, l.awaitResults(1));
            assertEquals(9, l.requestContext(0));
            assertEquals(WsaError.NO_ERROR, l.status(0));
            assertEquals(0, l.bytes(0), "EOF");
        }
    }

    @Test
    void largeSendsAreContinuedAndCompleteWholeInOrder() throws Exception {
        try (Loopback l = new Loopback(256)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            // Small socket buffers force short sends, which the provider must continue.
            l.sockets.setOption(pair[1], RioSocketOption.SO_SNDBUF, 8192);
            l.sockets.setOption(pair[1], RioSocketOption.TCP_NODELAY, 1);
            assertEquals(1, l.sockets.getOption(pair[1], RioSocketOption.TCP_NODELAY));
            long serverRq = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long clientRq = l.rio.createRequestQueue(pair[1], 1, 1, 8, 1, l.cq, l.cq, 2);
            int chunk = 64 * 1024;
            int sends = 8;
            for (int i = 0; i < chunk * sends; i++) {
                l.memory.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
            }
            long sqesBefore = l.provider.statistics().sqesSubmitted();
            for (int s = 0; s < sends; s++) {
                int flags = s < sends - 1 ? RioConstants.RIO_MSG_DEFER : 0;
                l.rio.send(clientRq, l.buf(s, (long) s * chunk, chunk), 1, flags, 1000 + s);
            }
            int received = 0;
            int sendsDone = 0;
            long base = 600 * 1024;
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS * 2;
            l.rio.receive(serverRq, l.buf(20, base, 65536), 1, 0, 1);
            while ((received < chunk * sends || sendsDone < sends) && System.nanoTime() < deadline) {
                int n = l.rio.dequeueCompletion(l.cq, l.results, 16);
                for (int i = 0; i < n; i++) {
                    assertEquals(0, l.status(i));
                    if (l.socketContext(i) == 2) {
                        assertEquals(1000 + sendsDone, l.requestContext(i), "sends complete in order");
                        assertEquals(chunk, l.bytes(i), "a send completes whole");
                        sendsDone++;
                    } else {
                        int got = l.bytes(i);
                        assertTrue(got > 0);
                        for (int k = 0; k < got; k++) {
                            assertEquals((byte) ((received + k) * 31 + 7),
                                    l.memory.get(ValueLayout.JAVA_BYTE, base + k));
                        }
                        received += got;
                        if (received < chunk * sends) {
                            l.rio.receive(serverRq, l.buf(20, base, 65536), 1, 0, 1);
                        }
                    }
                }
                if (n == 0) {
                    l.port.getQueuedCompletionStatus(l.entries, 10_000_000L);
                }
            }
            assertEquals(sends, sendsDone);
            assertEquals(chunk * sends, received);
            // One gathered SENDMSG cannot take 512 KiB into a 16 KiB send buffer: it was continued.
            assertTrue(l.provider.statistics().sqesSubmitted() - sqesBefore > 1 + received / 65536);
        }
    }

    @Test
    void closeAbortsPendingReceivesAndDeferredSends() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(pair[0], 2, 1, 2, 1, l.cq, l.cq, 5);
            l.rio.receive(rq, l.buf(0, 0, 100), 1, 0, 1);
            l.rio.receive(rq, l.buf(1, 100, 100), 1, 0, 2);
            l.rio.send(rq, l.buf(2, 200, 100), 1, RioConstants.RIO_MSG_DEFER, 3);
            l.sockets.close(pair[0]);
            assertEquals(3, l.awaitResults(3));
            for (int i = 0; i < 3; i++) {
                assertEquals(WsaError.WSA_OPERATION_ABORTED, l.status(i), "result " + i);
            }
            RioException e = assertThrows(RioException.class, () -> l.rio.receive(rq, l.buf(0, 0, 1), 1, 0, 9));
            assertEquals(WsaError.WSAEINVAL, e.wsaError());
        }
    }

    @Test
    void sendAfterOwnShutdownFailsWithShutdown() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 5);
            l.sockets.shutdown(pair[1], RioConstants.SD_SEND);
            l.rio.send(rq, l.buf(0, 0, 10), 1, 0, 1);
            assertEquals(1, l.awaitResults(1));
            assertEquals(WsaError.WSAESHUTDOWN, l.status(0));
        }
    }

    @Test
    void peerResetFailsTheReceive() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 5);
            l.rio.receive(rq, l.buf(0, 0, 100), 1, 0, 1);
            l.sockets.abort(pair[1]);
            assertEquals(1, l.awaitResults(1));
            assertEquals(WsaError.WSAECONNRESET, l.status(0));
        }
    }

    @Test
    void connectRefused() throws Exception {
        try (Loopback l = new Loopback(8)) {
            long probe = l.track(l.sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM));
            l.sockets.bind(probe, new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), 0));
            // Bound, never listening, and kept open (closed with the loopback): a SYN to it is answered with a reset,
            // and neither another process nor the client's own ephemeral port (a socket connecting to its own address
            // succeeds) can take the port meanwhile, as they could a port closed here.
            InetSocketAddress unused = l.sockets.localAddress(probe);
            long client = l.track(l.sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM));
            l.sockets.connect(client, unused, l.port, Loopback.KEY_CONNECT, 77);
            assertEquals(1, l.port.getQueuedCompletionStatus(l.entries, Loopback.TIMEOUT_NANOS));
            assertEquals(Loopback.KEY_CONNECT, l.entries.completionKey(0));
            assertEquals(77, l.entries.context(0));
            assertEquals(WsaError.WSAECONNREFUSED, l.entries.status(0));
        }
    }

    @Test
    void closingTheListenerAbortsItsAccept() throws Exception {
        try (Loopback l = new Loopback(8)) {
            long listener = l.sockets.socket(RioConstants.AF_INET6, RioConstants.SOCK_STREAM);
            l.sockets.bind(listener, new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET6), 0));
            l.sockets.listen(listener, 4);
            l.sockets.accept(listener, l.port, Loopback.KEY_ACCEPT, 66);
            assertEquals(0, l.port.getQueuedCompletionStatus(l.entries, 0));
            l.sockets.close(listener);
            assertEquals(1, l.port.getQueuedCompletionStatus(l.entries, Loopback.TIMEOUT_NANOS));
            assertEquals(66, l.entries.context(0));
            assertEquals(WsaError.WSA_OPERATION_ABORTED, l.entries.status(0));
        }
    }

    @Test
    void notifyArmsOneNotificationAndIgnoresDontNotify() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 4, 1, 4, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 4, 1, 4, 1, l.cq, l.cq, 2);
            assertEquals(0, l.rio.notify(l.cq));
            assertEquals(WsaError.WSAEALREADY, l.rio.notify(l.cq));
            // A DONT_NOTIFY completion does not fire it.
            l.rio.send(client, l.buf(0, 0, 10), 1, RioConstants.RIO_MSG_DONT_NOTIFY, 1);
            long deadline = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < deadline) {
                assertEquals(0, l.port.getQueuedCompletionStatus(l.entries, 20_000_000L), "no notification");
            }
            assertEquals(1, l.rio.dequeueCompletion(l.cq, l.results, 8));
            // A notifying completion fires it, once.
            l.rio.receive(server, l.buf(1, 100, 10), 1, 0, 2);
            assertEquals(1, l.port.getQueuedCompletionStatus(l.entries, Loopback.TIMEOUT_NANOS));
            assertEquals(Loopback.KEY_RIO, l.entries.completionKey(0));
            assertEquals(Loopback.OVERLAPPED, l.entries.context(0));
            assertEquals(0, l.port.getQueuedCompletionStatus(l.entries, 50_000_000L));
            // Armed again while a completion is queued: fires at once.
            assertEquals(0, l.rio.notify(l.cq));
            assertEquals(1, l.port.getQueuedCompletionStatus(l.entries, 0));
            assertEquals(1, l.rio.dequeueCompletion(l.cq, l.results, 8));
            assertEquals(2, l.requestContext(0));
        }
    }

    @Test
    void postWakesABlockedWait() throws Exception {
        try (Loopback l = new Loopback(8)) {
            CountDownLatch waiting = new CountDownLatch(1);
            Thread poster = new Thread(() -> {
                try {
                    waiting.await(5, TimeUnit.SECONDS);
                    Thread.sleep(100);
                    l.port.post(42, 43);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            poster.start();
            waiting.countDown();
            long start = System.nanoTime();
            PortCompletions out = new PortCompletions(4);
            assertEquals(1, l.port.getQueuedCompletionStatus(out, -1));
            assertEquals(42, out.completionKey(0));
            assertEquals(43, out.context(0));
            assertTrue(System.nanoTime() - start < Loopback.TIMEOUT_NANOS);
            poster.join(5000);
            // A timed wait with nothing to do times out.
            assertEquals(0, l.port.getQueuedCompletionStatus(out, 20_000_000L));
        }
    }

    @Test
    void deferredSendsCostOneEnterAtTheirCommit() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 16, 1, l.cq, l.cq, 2);
            int n = 16;
            IoUringStatistics stats = l.provider.statistics();
            long enters = stats.enterCalls();
            long sqes = stats.sqesSubmitted();
            for (int i = 0; i < n; i++) {
                l.rio.send(client, l.buf(i, 100L * i, 100), 1, RioConstants.RIO_MSG_DEFER, i);
            }
            assertEquals(enters, stats.enterCalls(), "no enter before the commit");
            assertEquals(sqes, stats.sqesSubmitted());
            // DEFER does not send before the commit: the peer receives nothing.
            l.rio.receive(server, l.buf(40, 100_000, 4096), 1, 0, 99);
            long afterReceive = stats.enterCalls();
            assertEquals(0, l.awaitResultsFor(200_000_000L), "nothing arrives before the commit");
            long base = stats.enterCalls();
            l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            assertEquals(base + 1, stats.enterCalls(), "exactly one enter at the commit");
            assertTrue(afterReceive > enters);
            assertEquals(n + 1, l.awaitResults(n + 1));
        }
    }

    @Test
    void commitsMadeWhileHandingOutABatchGoOutAtRioNotify() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 8, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 8, 1, 1, 1, l.cq, l.cq, 2);
            IoUringStatistics stats = l.provider.statistics();
            l.rio.receive(client, l.buf(20, 50_000, 4096), 1, 0, 77);
            l.rio.send(server, l.buf(0, 0, 10), 1, 0, 70);
            // This thread dequeues the send's and the receive's results: it now hands out a batch, as an event
            // loop does.
            assertEquals(2, l.awaitResults(2));
            assertEquals(70 + 77, l.requestContext(0) + l.requestContext(1));
            long base = stats.enterCalls();
            long baseSqes = stats.sqesSubmitted();
            for (int i = 0; i < 8; i++) {
                l.rio.send(server, l.buf(i, 100L * i, 10), 1, 0, i); // each a commit of its own
            }
            assertEquals(base, stats.enterCalls(), "commits during the batch enter no kernel");
            assertEquals(baseSqes, stats.sqesSubmitted());
            assertEquals(0, l.rio.notify(l.cq));
            assertEquals(base + 1, stats.enterCalls(), "RIONotify ends the batch with one enter for all of it");
            assertTrue(stats.sqesSubmitted() > baseSqes);
            // the 8 sends, every one complete
            assertEquals(8, l.awaitResults(8));
            for (int i = 0; i < 8; i++) {
                assertEquals(0, l.status(i));
                assertEquals(10, l.bytes(i));
            }
        }
    }

    @Test
    void aCommitOnAnotherThreadEntersOnceAtOnce() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 16, 1, l.cq, l.cq, 2);
            int n = 16;
            IoUringStatistics stats = l.provider.statistics();
            for (int i = 0; i < n; i++) {
                l.rio.send(client, l.buf(i, 100L * i, 100), 1, RioConstants.RIO_MSG_DEFER, i);
            }
            l.rio.receive(server, l.buf(40, 100_000, 4096), 1, 0, 99);
            assertEquals(0, l.awaitResultsFor(100_000_000L), "nothing arrives before the commit");
            long[] counts = new long[2];
            Throwable[] failure = new Throwable[1];
            // Not the port's waiter: nobody would submit for it, so its commit enters the kernel itself, once.
            Thread committer = new Thread(() -> {
                try {
                    long before = stats.enterCalls();
                    l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    counts[0] = before;
                    counts[1] = stats.enterCalls();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            committer.start();
            committer.join(Loopback.TIMEOUT_NANOS / 1_000_000);
            // Its plain writes are visible here only once it has ended (Thread.join).
            assertFalse(committer.isAlive(), "the committing thread has not ended");
            assertNull(failure[0]);
            assertEquals(counts[0] + 1, counts[1], "exactly one enter at the commit");
            assertEquals(n + 1, l.awaitResults(n + 1));
        }
    }
}
