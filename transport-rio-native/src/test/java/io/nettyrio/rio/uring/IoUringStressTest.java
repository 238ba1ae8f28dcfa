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

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many connections with traffic, closed and aborted while requests are in flight: every request completes
 * exactly once, with success or an abort/reset status, and every fd is closed in the end. Bounded in count and
 * time, loopback only.
 */
class IoUringStressTest {
    private static final int PAIRS = 16;

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void closingUnderTrafficCompletesEveryRequestOnceAndClosesEveryFd() throws Exception {
        int fdsBefore = openFds();
        try (Loopback l = new Loopback(PAIRS * 16)) {
            Random random = new Random(42);
            long[][] pairs = new long[PAIRS][];
            long[][] rqs = new long[PAIRS][2];
            for (int p = 0; p < PAIRS; p++) {
                pairs[p] = l.tcpPair(p % 2 == 0 ? RioConstants.AF_INET : RioConstants.AF_INET6);
                for (int side = 0; side < 2; side++) {
                    rqs[p][side] = l.rio.createRequestQueue(pairs[p][side], 4, 1, 4, 1, l.cq, l.cq, p * 2L + side);
                }
            }
            Map<Long, Integer> pending = new HashMap<>();
            long nextContext = 1;
            for (int p = 0; p < PAIRS; p++) {
                for (int side = 0; side < 2; side++) {
                    long slot = (p * 2L + side) * 8192;
                    for (int r = 0; r < 2; r++) {
                        l.rio.receive(rqs[p][side], l.buf(0, slot + r * 1024, 1024), 1, 0, nextContext);
                        pending.put(nextContext++, 0);
                    }
                    for (int s = 0; s < 3; s++) {
                        l.rio.send(rqs[p][side], l.buf(1, slot + 4096 + s * 1024, 1024), 1,
                                s < 2 ? RioConstants.RIO_MSG_DEFER : 0, nextContext);
                        pending.put(nextContext++, 0);
                    }
                }
            }
            // Close or abort one end of every pair while the requests run.
            for (int p = 0; p < PAIRS; p++) {
                int side = random.nextInt(2);
                if (random.nextBoolean()) {
                    l.sockets.abort(pairs[p][side]);
                } else {
                    l.sockets.close(pairs[p][side]);
                }
            }
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
            int done = 0;
            int total = pending.size();
            while (System.nanoTime() < deadline) {
                int n = l.rio.dequeueCompletion(l.cq, l.results, 256);
                for (int i = 0; i < n; i++) {
                    Integer before = pending.put(l.requestContext(i), 1);
                    assertEquals(0, before, "request " + l.requestContext(i) + " completes once");
                    int status = l.status(i);
                    assertTrue(status == 0 || status == WsaError.WSA_OPERATION_ABORTED
                            || status == WsaError.WSAECONNRESET, "status " + WsaError.name(status));
                }
                done += n;
                if (n == 0) {
                    // the surviving ends have receives posted that only a close ends
                    if (done >= total - 2 * PAIRS) {
                        break;
                    }
                    l.port.getQueuedCompletionStatus(l.entries, 5_000_000L);
                }
            }
            for (int p = 0; p < PAIRS; p++) {
                for (int side = 0; side < 2; side++) {
                    try {
                        l.sockets.close(pairs[p][side]);
                    } catch (RioException e) {
                        assertEquals(WsaError.WSAENOTSOCK, e.wsaError());
                    }
                }
            }
            while (done < total && System.nanoTime() < deadline) {
                int n = l.rio.dequeueCompletion(l.cq, l.results, 256);
                for (int i = 0; i < n; i++) {
                    assertEquals(0, pending.put(l.requestContext(i), 1), "completes once");
                }
                done += n;
                if (n == 0) {
                    l.port.getQueuedCompletionStatus(l.entries, 5_000_000L);
                }
            }
            assertEquals(total, done, "every request completed");
        }
        assertEquals(fdsBefore, openFds(), "every socket, ring and eventfd fd is closed");
    }

    @Test
    void twoThreadsShareOneCompletionQueueWhileAThirdPosts() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] a = l.tcpPair(RioConstants.AF_INET);
            long[] b = l.tcpPair(RioConstants.AF_INET);
            long rqA = l.rio.createRequestQueue(a[1], 1, 1, 8, 1, l.cq, l.cq, 1);
            long rqB = l.rio.createRequestQueue(b[1], 1, 1, 8, 1, l.cq, l.cq, 2);
            long sinkA = l.rio.createRequestQueue(a[0], 8, 1, 1, 1, l.cq, l.cq, 3);
            long sinkB = l.rio.createRequestQueue(b[0], 8, 1, 1, 1, l.cq, l.cq, 4);
            int rounds = 200;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] threads = new Thread[3];
            long[][] queues = {{rqA, sinkA}, {rqB, sinkB}};
            java.util.concurrent.Semaphore[] credits = {new java.util.concurrent.Semaphore(4),
                    new java.util.concurrent.Semaphore(4)};
            for (int t = 0; t < 2; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int r = 0; r < rounds; r++) {
                            if (!credits[id].tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)) {
                                throw new AssertionError("no credit");
                            }
                            synchronized (queues[id]) { // one thread per request queue, as RIO requires
                                l.rio.send(queues[id][0], l.buf(id, id * 4096L, 100), 1, 0, (id + 1) * 100_000L + r);
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
            }
            threads[2] = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        l.port.post(99, r);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            for (Thread t : threads) {
                t.start();
            }
            int sends = 0;
            int posts = 0;
            long received = 0;
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS * 2;
            for (int i = 0; i < 4; i++) {
                synchronized (queues[0]) {
                    l.rio.receive(sinkA, l.buf(10 + i, 100_000 + i * 4096L, 4096), 1, 0, 1 + 10 * i);
                }
                synchronized (queues[1]) {
                    l.rio.receive(sinkB, l.buf(20 + i, 200_000 + i * 4096L, 4096), 1, 0, 2 + 10 * i);
                }
            }
            while ((sends < 2 * rounds || posts < rounds || received < 2L * rounds * 100)
                    && System.nanoTime() < deadline) {
                int n = l.port.getQueuedCompletionStatus(l.entries, 10_000_000L);
                for (int i = 0; i < n; i++) {
                    if (l.entries.completionKey(i) == 99) {
                        posts++;
                    }
                }
                int k = l.rio.dequeueCompletion(l.cq, l.results, 64);
                for (int i = 0; i < k; i++) {
                    assertEquals(0, l.status(i));
                    long ctx = l.requestContext(i);
                    if (ctx >= 100_000) {
                        sends++;
                        credits[(int) (ctx / 100_000) - 1].release();
                    } else {
                        received += l.bytes(i);
                        // the slice that completed is posted again (the context names queue and slice)
                        int q = (int) (ctx % 10) - 1;
                        int slice = (int) (ctx / 10);
                        synchronized (queues[q]) {
                            l.rio.receive(queues[q][1], l.buf(10 + 10 * q + slice, (q + 1) * 100_000L + slice * 4096L,
                                    4096), 1, 0, ctx);
                        }
                    }
                }
            }
            for (Thread t : threads) {
                t.join(5000);
            }
            assertNull(failure.get());
            assertEquals(2 * rounds, sends);
            assertEquals(rounds, posts);
            assertEquals(2L * rounds * 100, received);
        }
    }

    @Test
    void randomSendsAndReceivesKeepTheByteStreamIntact() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            // a small send buffer makes short sends, which the provider continues; no Nagle delays
            l.sockets.setOption(pair[1], io.nettyrio.rio.RioSocketOption.SO_SNDBUF, 8192);
            l.sockets.setOption(pair[1], io.nettyrio.rio.RioSocketOption.TCP_NODELAY, 1);
            long server = l.rio.createRequestQueue(pair[0], 4, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 16, 1, l.cq, l.cq, 2);
            // the stream: byte i of the stream is (i * 7 + i / 251); sent from a 256 KiB window of the buffer
            int window = 256 * 1024;
            int total = 4 * 1024 * 1024;
            Random random = new Random(7);
            java.lang.foreign.MemorySegment memory = l.memory;
            long receiveBase = 600 * 1024;
            int receiveSize = 16 * 1024;
            long sent = 0;      // bytes handed to sends
            long acked = 0;     // bytes whose sends completed
            long received = 0;
            int sendsOut = 0;
            int[] sendLength = new int[16];
            int sendHead = 0;
            int sendTail = 0;
            boolean[] receiveBusy = new boolean[4];
            for (int r = 0; r < 4; r++) {
                l.rio.receive(server, l.buf(20 + r, receiveBase + (long) r * receiveSize, receiveSize), 1, 0, 100 + r);
                receiveBusy[r] = true;
            }
            int nextReceiveContext = 100; // receives complete in posting order
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS * 4;
            while (received < total && System.nanoTime() < deadline) {
                // queue a few sends of random sizes, some deferred, within the window and the capacity
                int burst = 1 + random.nextInt(6);
                for (int b = 0; b < burst && sendsOut < 16 && sent < total; b++) {
                    int length = (int) Math.min(1 + random.nextInt(20_000), total - sent);
                    if (sent + length - acked > window) {
                        break;
                    }
                    for (int k = 0; k < length; k++) {
                        long i = sent + k;
                        memory.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i % window, (byte) (i * 7 + i / 251));
                    }
                    // a send never wraps the window: split at its end
                    long offset = sent % window;
                    if (offset + length > window) {
                        length = (int) (window - offset);
                    }
                    boolean last = b == burst - 1 || sendsOut == 15;
                    l.rio.send(client, l.buf(sendTail, offset, length), 1, last ? 0 : RioConstants.RIO_MSG_DEFER,
                            200 + sendTail);
                    sendLength[sendTail] = length;
                    sendTail = (sendTail + 1) % 16;
                    sendsOut++;
                    sent += length;
                }
                l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                int n = l.rio.dequeueCompletion(l.cq, l.results, 64);
                for (int i = 0; i < n; i++) {
                    assertEquals(0, l.status(i));
                    long ctx = l.requestContext(i);
                    if (ctx >= 200) {
                        assertEquals(200 + sendHead, ctx, "sends complete in order");
                        assertEquals(sendLength[sendHead], l.bytes(i), "a send completes whole");
                        acked += sendLength[sendHead];
                        sendHead = (sendHead + 1) % 16;
                        sendsOut--;
                    } else {
                        assertEquals(nextReceiveContext, ctx, "receives complete in order");
                        int r = (int) (ctx - 100);
                        int got = l.bytes(i);
                        assertTrue(got > 0, "no EOF before the end");
                        long base = receiveBase + (long) r * receiveSize;
                        for (int k = 0; k < got; k++) {
                            long at = received + k;
                            byte expected = (byte) (at * 7 + at / 251);
                            if (memory.get(java.lang.foreign.ValueLayout.JAVA_BYTE, base + k) != expected) {
                                throw new AssertionError("stream byte " + at + " is wrong");
                            }
                        }
                        received += got;
                        l.rio.receive(server, l.buf(20 + r, base, receiveSize), 1, 0, ctx);
                        nextReceiveContext = 100 + (r + 1) % 4;
                    }
                }
                if (n == 0) {
                    l.port.getQueuedCompletionStatus(l.entries, 1_000_000L);
                }
            }
            assertEquals(total, received);
        }
    }
}
