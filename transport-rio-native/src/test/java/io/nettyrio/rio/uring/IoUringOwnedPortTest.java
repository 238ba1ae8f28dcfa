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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Owned ports ({@link IoUringProvider#openOwnedPort}): the ring runs deferred task work for the thread that first
 * waited on the port, requests from other threads still go out (the owner submits them, woken if it sleeps), and
 * another thread's wait is refused with a clear exception instead of hanging.
 */
class IoUringOwnedPortTest {

    private static Loopback owned() throws Exception {
        Loopback l = new Loopback(256, true);
        if (!((UringPort) l.port).ring.isOwned()) {
            l.close();
            Assumptions.abort("this kernel has no IORING_SETUP_DEFER_TASKRUN (Linux 6.1 or later)");
        }
        return l;
    }

    /** Waits 1 ms on {@code port} on another thread: returns the entry count, or the RioException it threw. */
    private static Object waitOnAnotherThread(Port port) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return port.getQueuedCompletionStatus(new PortCompletions(1), 1_000_000L);
            } catch (RioException e) {
                return e;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void roundTripsCompleteThroughTheOwnersWaits() throws Exception {
        try (Loopback l = owned()) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 2, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            for (int i = 0; i < 100; i++) {
                l.rio.receive(server, l.buf(0, 0, 64), 1, 0, 10 + i);
                l.memory.set(ValueLayout.JAVA_INT_UNALIGNED, 4096, i);
                l.rio.send(client, l.buf(1, 4096, 4), 1, 0, 20 + i);
                assertEquals(2, l.awaitResults(2), "round " + i);
                for (int r = 0; r < 2; r++) {
                    assertEquals(0, l.status(r));
                    assertEquals(4, l.bytes(r));
                }
                assertEquals(i, l.memory.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            }
        }
    }

    @Test
    void aSendFromAnotherThreadWakesTheSleepingOwnerToSubmitIt() throws Exception {
        try (Loopback l = owned()) {
            long[] pair = l.tcpPair(RioConstants.AF_INET); // this thread waited first: it owns the port
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 2);
            l.rio.receive(server, l.buf(0, 0, 64), 1, 0, 7);
            assertEquals(0, l.rio.notify(l.cq));
            l.memory.set(ValueLayout.JAVA_LONG, 8192, 0x1122334455667788L);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    // Let the owner fall asleep in its wait first (if it has not yet, the send still goes out with
                    // the owner's next enter).
                    Thread.sleep(200);
                    l.rio.send(client, l.buf(1, 8192, 8), 1, 0, 8);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // One wait, far longer than the test may take: only the wake-up of the other thread's submission ends it
            // with the notification; without it the send would sit in the SQ until the wait timed out.
            PortCompletions out = new PortCompletions(8);
            long start = System.nanoTime();
            int n = l.port.getQueuedCompletionStatus(out, TimeUnit.SECONDS.toNanos(60));
            while (n > 0 && out.completionKey(0) != Loopback.KEY_RIO) {
                n = l.port.getQueuedCompletionStatus(out, TimeUnit.SECONDS.toNanos(60));
            }
            sent.get(10, TimeUnit.SECONDS);
            assertTrue(n > 0, "the owner's wait returned with an entry");
            assertEquals(Loopback.KEY_RIO, out.completionKey(0));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "woken, not timed out");
            assertEquals(2, l.awaitResults(2));
            assertEquals(0x1122334455667788L, l.memory.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void closesocketOnAnotherThreadAbortsTheReceivesInFlight() throws Exception {
        try (Loopback l = owned()) {
            long[] pair = l.tcpPair(RioConstants.AF_INET6);
            long server = l.rio.createRequestQueue(pair[0], 2, 1, 1, 1, l.cq, l.cq, 1);
            l.rio.receive(server, l.buf(0, 0, 64), 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.receive(server, l.buf(1, 64, 64), 1, 0, 2);
            // The receives reach the kernel with the owner's next enter.
            assertEquals(0, l.awaitResultsFor(50_000_000L));
            CompletableFuture.runAsync(() -> {
                try {
                    l.sockets.close(pair[0]);
                } catch (RioException e) {
                    throw new RuntimeException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(WsaError.WSA_OPERATION_ABORTED, l.status(i));
                assertEquals(i + 1, l.requestContext(i), "in the order posted");
            }
        }
    }

    /**
     * A dequeue that has results in hand returns them without an {@code io_uring_enter} only to run the task work
     * of completions still in the kernel: the owner's next enter runs that, and the dequeue after brings its
     * results. Before, every reap that saw {@code IORING_SQ_TASKRUN} entered, up to three enters per event-loop
     * iteration where the submission at the batch's end runs the work anyway.
     */
    @Test
    void aDequeueWithResultsInHandLeavesTaskWorkToTheNextEnter() throws Exception {
        try (Loopback l = owned()) {
            long listener = l.track(l.sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM));
            l.sockets.bind(listener, new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), 0));
            l.sockets.listen(listener, 4);
            InetSocketAddress address = l.sockets.localAddress(listener);
            try (SocketChannel peerA = SocketChannel.open(address); SocketChannel peerB = SocketChannel.open(address)) {
                long a = l.rio.createRequestQueue(accept(l, listener), 2, 1, 1, 1, l.cq, l.cq, 1);
                long b = l.rio.createRequestQueue(accept(l, listener), 1, 1, 1, 1, l.cq, l.cq, 2);
                IoUringStatistics stats = l.provider.statistics();
                Ring ring = ((UringPort) l.port).ring;
                l.rio.receive(a, l.buf(0, 0, 64), 1, 0, 10);
                l.rio.receive(a, l.buf(1, 64, 64), 1, 0, 11);
                l.rio.receive(b, l.buf(2, 128, 64), 1, 0, 20);
                peerA.write(ByteBuffer.wrap(new byte[] {1}));
                peerB.write(ByteBuffer.wrap(new byte[] {2}));
                awaitTaskWork(ring);
                // Nothing in hand: the dequeue enters to run the task work, which completes both receives.
                assertEquals(1, l.rio.dequeueCompletion(l.cq, l.results, 1));
                long first = l.requestContext(0);
                peerA.write(ByteBuffer.wrap(new byte[] {3}));
                awaitTaskWork(ring);
                long base = stats.enterCalls();
                assertEquals(1, l.rio.dequeueCompletion(l.cq, l.results, 8), "the result in hand, alone");
                long second = l.requestContext(0);
                assertEquals(base, stats.enterCalls(), "no enter only to run task work while results are in hand");
                assertTrue(ring.taskWorkPending(), "the task work still waits");
                assertEquals(10 + 20, first + second);
                // Nothing in hand any more: this dequeue runs the task work and brings the third receive.
                assertEquals(1, l.rio.dequeueCompletion(l.cq, l.results, 8));
                assertEquals(base + 1, stats.enterCalls());
                assertEquals(11, l.requestContext(0));
                assertEquals(1, l.bytes(0));
                assertEquals(3, l.memory.get(ValueLayout.JAVA_BYTE, 64));
            }
        }
    }

    private static long accept(Loopback l, long listener) throws Exception {
        l.sockets.accept(listener, l.port, Loopback.KEY_ACCEPT, 5);
        PortCompletions out = new PortCompletions(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (l.port.getQueuedCompletionStatus(out, 10_000_000L) > 0) {
                assertEquals(Loopback.KEY_ACCEPT, out.completionKey(0));
                assertEquals(0, out.status(0));
                return l.track(out.result(0));
            }
        }
        throw new AssertionError("no accept");
    }

    private static void awaitTaskWork(Ring ring) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ring.taskWorkPending()) {
            assertTrue(System.nanoTime() < deadline, "the kernel queued task work for the receive");
            Thread.sleep(1);
        }
    }

    @Test
    void anotherThreadsWaitIsRefusedNamingTheOwner() throws Exception {
        try (Loopback l = owned()) {
            l.port.getQueuedCompletionStatus(new PortCompletions(1), 0); // this thread owns the port now
            RioException e = assertInstanceOf(RioException.class, waitOnAnotherThread(l.port));
            assertEquals(WsaError.WSAEINVAL, e.wsaError());
            assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
            // The owner goes on as before.
            assertEquals(0, l.port.getQueuedCompletionStatus(new PortCompletions(1), 1_000_000L));
        }
    }

    @Test
    void withDeferredTaskWorkOffAnOwnedPortIsAnOrdinaryOne() throws Exception {
        IoUringProvider provider = new IoUringProvider();
        provider.deferTaskrun = false; // as io.nettyrio.uring.deferTaskrun=false, or a kernel before 6.1
        Port port = provider.openOwnedPort();
        try {
            assertFalse(((UringPort) port).ring.isOwned());
            port.getQueuedCompletionStatus(new PortCompletions(1), 0);
            assertEquals(0, waitOnAnotherThread(port), "any thread may wait on it");
        } finally {
            port.close();
        }
    }

    @Test
    void anOrdinaryPortStaysOpenToAnyThread() throws Exception {
        try (Loopback l = new Loopback(64)) {
            assertFalse(((UringPort) l.port).ring.isOwned());
            l.port.getQueuedCompletionStatus(new PortCompletions(1), 0);
            assertEquals(0, waitOnAnotherThread(l.port));
        }
    }
}
