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
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The provider's argument checks, capacities and error codes, as Windows documents them. */
class IoUringValidationTest {

    private static void assertWsa(int expected, Executable call) {
        RioException e = assertThrows(RioException.class, call);
        assertEquals(expected, e.wsaError(), e.getMessage());
    }

    @Test
    void requestArguments() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(pair[0], 2, 1, 2, 1, l.cq, l.cq, 1);
            MemorySegment ok = l.buf(0, 0, 10);
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(0, ok, 1, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq ^ 0x100000000L, ok, 1, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, ok, 1, 0x10, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, ok, 1, RioConstants.RIO_MSG_WAITALL, 0));
            int commit = RioConstants.RIO_MSG_COMMIT_ONLY;
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, null, 0, commit | RioConstants.RIO_MSG_DEFER, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, ok, 1, commit, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, null, 0, commit, 5));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.receive(rq, null, 1, commit, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, null, 1, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, ok, 0, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, ok, 2, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, null, 0, 0, 0)); // NULL data only on UDP
            MemorySegment unknown = l.arena.allocate(RioLayouts.RIO_BUF);
            unknown.set(ValueLayout.JAVA_LONG, 0, 12345);
            unknown.set(ValueLayout.JAVA_INT, 12, 1);
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.send(rq, unknown, 1, 0, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.send(rq, l.buf(1, (1 << 20) - 5, 10), 1, 0, 0));
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.send(rq, l.rioBuf.asSlice(0, 8), 1, 0, 0));
            // a commit with nothing deferred is fine
            l.rio.send(rq, null, 0, commit, 0);
            l.rio.receive(rq, null, 0, commit, 0);
        }
    }

    @Test
    void bufferRegistration() throws Exception {
        try (Loopback l = new Loopback(8)) {
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.registerBuffer(MemorySegment.ofArray(new byte[16]), 16));
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.registerBuffer(null, 16));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.registerBuffer(l.memory, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.registerBuffer(l.memory.asSlice(0, 10), 11));
            MemorySegment freed;
            try (Arena a = Arena.ofConfined()) {
                freed = a.allocate(64);
            }
            MemorySegment gone = freed;
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.registerBuffer(gone, 64));
            long id = l.rio.registerBuffer(l.memory.asSlice(0, 100), 100);
            l.rio.deregisterBuffer(id);
            l.rio.deregisterBuffer(id); // an invalid ID is ignored
            l.rio.deregisterBuffer(RioConstants.RIO_INVALID_BUFFERID);
        }
    }

    @Test
    void deregisteredBufferFailsTheCallAndADeferredRequest() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(pair[1], 1, 1, 2, 1, l.cq, l.cq, 1);
            long id = l.rio.registerBuffer(l.memory.asSlice(0, 4096), 4096);
            MemorySegment b = l.arena.allocate(RioLayouts.RIO_BUF);
            b.set(ValueLayout.JAVA_LONG, 0, id);
            b.set(ValueLayout.JAVA_INT, 12, 100);
            l.rio.send(rq, b, 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.deregisterBuffer(id);
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.send(rq, b, 1, 0, 2));
            // The deferred send never reaches the kernel with memory that is no longer registered.
            l.rio.send(rq, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            assertEquals(1, l.awaitResults(1));
            assertEquals(WsaError.WSAEFAULT, l.status(0));
            assertEquals(1, l.requestContext(0));
        }
    }

    @Test
    void aDeregisteredBufferInTheMiddleOfADeferredBatchFailsAloneAndInOrder() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 1);
            long client = l.rio.createRequestQueue(pair[1], 1, 1, 4, 1, l.cq, l.cq, 2);
            long id = l.rio.registerBuffer(l.memory.asSlice(8192, 4096), 4096);
            MemorySegment other = l.arena.allocate(RioLayouts.RIO_BUF);
            other.set(ValueLayout.JAVA_LONG, 0, id);
            other.set(ValueLayout.JAVA_INT, 12, 10);
            l.rio.send(client, l.buf(0, 0, 10), 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.send(client, other, 1, RioConstants.RIO_MSG_DEFER, 2);
            l.rio.send(client, l.buf(1, 10, 10), 1, RioConstants.RIO_MSG_DEFER, 3);
            l.rio.deregisterBuffer(id);
            l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            assertEquals(3, l.awaitResults(3));
            assertEquals(1, l.requestContext(0));
            assertEquals(0, l.status(0));
            assertEquals(2, l.requestContext(1));
            assertEquals(WsaError.WSAEFAULT, l.status(1));
            assertEquals(3, l.requestContext(2));
            assertEquals(0, l.status(2));
            assertEquals(10, l.bytes(2));
            l.rio.receive(server, l.buf(2, 100_000, 100), 1, RioConstants.RIO_MSG_WAITALL, 4);
            l.sockets.shutdown(pair[1], RioConstants.SD_SEND);
            assertEquals(1, l.awaitResults(1));
            assertEquals(20, l.bytes(0), "the peer gets the two good sends only");
        }
    }

    @Test
    void queuesAndCapacities() throws Exception {
        try (Loopback l = new Loopback(4)) {
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            assertWsa(WsaError.WSAENOTSOCK, () -> l.rio.createRequestQueue(99, 1, 1, 1, 1, l.cq, l.cq, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createRequestQueue(pair[0], 1, 2, 1, 1, l.cq, l.cq, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createRequestQueue(pair[0], 0, 1, 0, 1, l.cq, l.cq, 0));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, 0, l.cq, 0));
            assertWsa(WsaError.WSAENOBUFS, () -> l.rio.createRequestQueue(pair[0], 3, 1, 2, 1, l.cq, l.cq, 0));
            long rq = l.rio.createRequestQueue(pair[0], 1, 1, 2, 1, l.cq, l.cq, 0);
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 0));
            // 3 of the queue's 4 entries are bound: another socket gets 1 at most.
            assertWsa(WsaError.WSAENOBUFS, () -> l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 0));
            assertWsa(WsaError.WSAETOOMANYREFS, () -> l.rio.resizeCompletionQueue(l.cq, 2));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.resizeCompletionQueue(l.cq, 0));
            l.rio.resizeCompletionQueue(l.cq, 8);
            // outstanding capacity: deferred requests are charged at once, and only a dequeue gives it back
            l.rio.send(rq, l.buf(0, 0, 10), 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.send(rq, l.buf(1, 100, 10), 1, RioConstants.RIO_MSG_DEFER, 2);
            assertWsa(WsaError.WSAENOBUFS, () -> l.rio.send(rq, l.buf(2, 200, 10), 1, 0, 3));
            assertWsa(WsaError.WSAETOOMANYREFS, () -> l.rio.resizeRequestQueue(rq, 1, 1));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.resizeRequestQueue(rq, 0, 0));
            l.rio.send(rq, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            l.awaitResultsFor(100_000_000L);
            // awaitResultsFor dequeued them: capacity is back
            l.rio.resizeRequestQueue(rq, 2, 4);
            for (int i = 0; i < 4; i++) {
                l.rio.send(rq, l.buf(i, 100L * i, 10), 1, RioConstants.RIO_MSG_DEFER, 10 + i);
            }
            assertWsa(WsaError.WSAENOBUFS, () -> l.rio.send(rq, l.buf(5, 600, 10), 1, 0, 3));
            l.rio.send(rq, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            // dequeue returns at most what is asked, in order
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
            int got = 0;
            while (got < 4 && System.nanoTime() < deadline) {
                int n = l.rio.dequeueCompletion(l.cq, l.results, 1);
                if (n == 1) {
                    assertEquals(10 + got, l.requestContext(0));
                    got++;
                }
            }
            assertEquals(4, got);
        }
    }

    @Test
    void completionQueueArguments() throws Exception {
        try (Loopback l = new Loopback(4)) {
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createCompletionQueue(0, null));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createCompletionQueue(RioConstants.RIO_MAX_CQ_SIZE + 1, null));
            MemorySegment nc = l.arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
            nc.set(ValueLayout.JAVA_INT, 0, RioConstants.RIO_IOCP_COMPLETION);
            nc.set(ValueLayout.JAVA_LONG, 8, 777);
            nc.set(ValueLayout.JAVA_LONG, 24, 1);
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createCompletionQueue(4, nc));
            nc.set(ValueLayout.JAVA_INT, 0, RioConstants.RIO_EVENT_COMPLETION);
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createCompletionQueue(4, nc));
            nc.set(ValueLayout.JAVA_INT, 0, RioConstants.RIO_IOCP_COMPLETION);
            nc.set(ValueLayout.JAVA_LONG, 8, l.port.handle());
            nc.set(ValueLayout.JAVA_LONG, 24, 0);
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.createCompletionQueue(4, nc)); // Overlapped NULL
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.dequeueCompletion(0, l.results, 1));
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.dequeueCompletion(l.cq, l.results, 0));
            assertWsa(WsaError.WSAEFAULT, () -> l.rio.dequeueCompletion(l.cq, l.results.asSlice(0, 24), 2));
            assertEquals(WsaError.WSAEINVAL, l.rio.notify(0));
            long polled = l.rio.createCompletionQueue(4, null);
            assertEquals(WsaError.WSAEINVAL, l.rio.notify(polled), "a polled queue has nothing to notify");
            assertEquals(0, l.rio.dequeueCompletion(polled, l.results, 4));
            l.rio.closeCompletionQueue(polled);
            l.rio.closeCompletionQueue(polled); // ignored
            assertWsa(WsaError.WSAEINVAL, () -> l.rio.dequeueCompletion(polled, l.results, 4));
        }
    }

    @Test
    void polledQueueWorksWithoutAPortAndCommitFromAnotherThread() throws Exception {
        try (Loopback l = new Loopback(8)) {
            long polled = l.rio.createCompletionQueue(8, null);
            long[] pair = l.tcpPair(RioConstants.AF_INET6);
            long server = l.rio.createRequestQueue(pair[0], 2, 1, 2, 1, polled, polled, 1);
            long client = l.rio.createRequestQueue(pair[1], 2, 1, 2, 1, polled, polled, 2);
            l.rio.receive(server, l.buf(0, 50_000, 100), 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.send(client, l.buf(1, 0, 100), 1, RioConstants.RIO_MSG_DEFER, 2);
            // Both commits run on a thread that ends at once: io_uring requests outlive their submitter.
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    l.rio.receive(server, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    Thread.sleep(50);
                    l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join(5000);
            assertEquals(null, failure.get());
            int got = 0;
            long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
            while (got < 2 && System.nanoTime() < deadline) {
                got += l.rio.dequeueCompletion(polled, l.results.asSlice(24L * got), 2 - got);
                Thread.onSpinWait();
            }
            assertEquals(2, got);
            assertEquals(0, l.status(0));
            assertEquals(0, l.status(1));
            assertEquals(100, l.bytes(0));
            assertEquals(100, l.bytes(1));
            l.sockets.close(pair[0]);
            l.sockets.close(pair[1]);
            l.rio.closeCompletionQueue(polled);
        }
    }

    @Test
    void socketCalls() throws Exception {
        try (Loopback l = new Loopback(4)) {
            assertWsa(WsaError.WSAEAFNOSUPPORT, () -> l.sockets.socket(99, RioConstants.SOCK_STREAM));
            assertWsa(WsaError.WSAEINVAL, () -> l.sockets.socket(RioConstants.AF_INET, 3));
            long s = l.sockets.socket(RioConstants.AF_INET6, RioConstants.SOCK_STREAM);
            assertEquals(0, l.sockets.getOption(s, RioSocketOption.IPV6_V6ONLY), "dual-stack");
            assertEquals(RioConstants.SOCK_STREAM, l.sockets.getOption(s, RioSocketOption.SO_TYPE));
            assertEquals(-1, l.sockets.getOption(s, RioSocketOption.SO_LINGER));
            l.sockets.setOption(s, RioSocketOption.SO_LINGER, 5);
            assertEquals(5, l.sockets.getOption(s, RioSocketOption.SO_LINGER));
            l.sockets.setOption(s, RioSocketOption.SO_LINGER, -1);
            assertEquals(-1, l.sockets.getOption(s, RioSocketOption.SO_LINGER));
            l.sockets.setOption(s, RioSocketOption.SO_KEEPALIVE, 1);
            assertEquals(1, l.sockets.getOption(s, RioSocketOption.SO_KEEPALIVE));
            assertEquals(0, l.sockets.getOption(s, RioSocketOption.SO_ERROR));
            assertWsa(WsaError.WSAENOPROTOOPT, () -> l.sockets.setOption(s, RioSocketOption.SO_ERROR, 1));
            assertEquals(null, l.sockets.remoteAddress(s));
            assertThrows(IllegalArgumentException.class, () -> l.sockets.bind(s, null));
            // an IPv4 address binds a dual-stack socket (IPv4-mapped)
            l.sockets.bind(s, new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), 0));
            assertEquals(Loopback.loopback(RioConstants.AF_INET), l.sockets.localAddress(s).getAddress());
            long v4 = l.sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_DGRAM);
            assertWsa(WsaError.WSAEAFNOSUPPORT, () -> l.sockets.bind(v4,
                    new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET6), 0)));
            l.sockets.close(v4);
            l.sockets.close(s);
            assertWsa(WsaError.WSAENOTSOCK, () -> l.sockets.close(s));
            assertWsa(WsaError.WSAENOTSOCK, () -> l.sockets.getOption(s, RioSocketOption.SO_TYPE));
            assertWsa(WsaError.WSAENOTSOCK, () -> l.sockets.accept(s, l.port, 1, 1));
        }
    }

    @Test
    void closedPort() throws Exception {
        IoUringProvider provider = new IoUringProvider();
        var port = provider.openPort();
        port.close();
        port.close();
        assertWsa(WsaError.ERROR_ABANDONED_WAIT_0,
                () -> port.getQueuedCompletionStatus(new io.nettyrio.rio.PortCompletions(1), 0));
        assertWsa(WsaError.WSAEINVAL, () -> port.post(1, 1));
    }
}
