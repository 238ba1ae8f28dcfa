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
package io.nettyrio.testsuite.conformance;

import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.PortEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioFixture.KEY_WAKE;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * The port
 */
interface PortConformance extends ConformanceSection {
    /** A wait blocked on the port is woken by post() from another thread, with its key and context. */
    @Test
    default void postWakesABlockedWait() throws Exception {
        PortCompletions batch = new PortCompletions(4);
        CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
                fx().port.post(KEY_WAKE, 0xBEEF);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        int n = fx().port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(30_000));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        poster.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(1, n);
        assertEquals(KEY_WAKE, batch.completionKey(0));
        assertEquals(0xBEEF, batch.context(0));
        assertEquals(0, batch.status(0));
        assertEquals(0, batch.result(0));
        assertTrue(tookMillis < TIMEOUT_MILLIS, "woken after " + tookMillis + " ms");
    }

    /** A wait with a timeout and nothing queued returns 0 after about that timeout. */
    @Test
    default void waitTimesOutWithZero() throws Exception {
        PortCompletions batch = new PortCompletions(4);
        long start = System.nanoTime();
        assertEquals(0, fx().port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100)));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 90 && tookMillis < 5_000, "a 100 ms wait took " + tookMillis + " ms");
        assertEquals(0, fx().port.getQueuedCompletionStatus(batch, 0), "a poll of an empty port");
    }

    /** Entries posted before the wait are returned at once, up to the batch's capacity, the rest by the next. */
    @Test
    default void postedEntriesAreReturnedInBatches() throws Exception {
        for (int i = 0; i < 5; i++) {
            fx().port.post(KEY_WAKE, i);
        }
        PortCompletions batch = new PortCompletions(3);
        List<Long> contexts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (contexts.size() < 5 && System.nanoTime() - deadline < 0) {
            int n = fx().port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100));
            assertTrue(n <= 3, "more entries than the batch holds: " + n);
            for (int i = 0; i < n; i++) {
                assertEquals(KEY_WAKE, batch.completionKey(i));
                contexts.add(batch.context(i));
            }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), contexts.stream().sorted().toList());
    }

    /** post() "may be called from any thread at any time": posts from four threads at once all arrive. */
    @Test
    default void postsFromManyThreadsAllArrive() throws Exception {
        int threads = 4;
        int each = 250;
        ExecutorService posters = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = (long) t << 32;
                done.add(posters.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        fx().port.post(KEY_WAKE, base | i);
                    }
                    return null;
                }));
            }
            PortCompletions batch = new PortCompletions(64);
            long[] next = new long[threads];
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            while (received < threads * each) {
                assertTrue(System.nanoTime() - deadline < 0, "only " + received + " posts arrived");
                int n = fx().port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100));
                for (int i = 0; i < n; i++) {
                    assertEquals(KEY_WAKE, batch.completionKey(i));
                    int thread = (int) (batch.context(i) >>> 32);
                    // One thread's posts arrive in the order it made them.
                    assertEquals(next[thread]++, batch.context(i) & 0xFFFF_FFFFL, "post order of thread " + thread);
                    received++;
                }
            }
            for (Future<?> f : done) {
                f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            assertEquals(0, fx().port.getQueuedCompletionStatus(batch, 0), "no more entries than posts");
        } finally {
            posters.shutdownNow();
        }
    }

    /** Accept and connect complete through the port: keys, contexts, and the accepted socket. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void acceptAndConnectCompleteThroughThePort(Family family) throws Exception {
        long listener = fx().listener(family);
        InetSocketAddress where = fx().sockets.localAddress(listener);
        assertEquals(family.loopback, where.getAddress());
        fx().sockets.accept(listener, fx().port, RioFixture.KEY_ACCEPT, 0xACC);
        long client = fx().socket(family, SOCK_STREAM);
        PortEntry connected = fx().connect(client, where);
        assertStatus(0, connected.status(), "connect");
        PortEntry accepted = fx().awaitPort(RioFixture.KEY_ACCEPT);
        assertStatus(0, accepted.status(), "accept");
        assertEquals(0xACC, accepted.context());
        long server = accepted.result();
        fx().closeSocket(listener);
        try {
            assertEquals(fx().sockets.localAddress(client), fx().sockets.remoteAddress(server));
            assertEquals(fx().sockets.localAddress(server), fx().sockets.remoteAddress(client));
            assertEquals(where.getPort(), fx().sockets.remoteAddress(client).getPort());
        } finally {
            fx().sockets.close(server);
        }
    }

    /** Socket options set are read back; SO_TYPE tells TCP from UDP; an unconnected socket has no peer. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void socketOptionsRoundTrip(Family family) throws Exception {
        long tcp = fx().socket(family, SOCK_STREAM);
        long udp = fx().socket(family, SOCK_DGRAM);
        assertEquals(SOCK_STREAM, fx().sockets.getOption(tcp, RioSocketOption.SO_TYPE));
        assertEquals(SOCK_DGRAM, fx().sockets.getOption(udp, RioSocketOption.SO_TYPE));
        for (RioSocketOption option : List.of(RioSocketOption.TCP_NODELAY,
                RioSocketOption.SO_KEEPALIVE, RioSocketOption.SO_REUSEADDR)) {
            fx().sockets.setOption(tcp, option, 1);
            assertEquals(1, fx().sockets.getOption(tcp, option), option.name());
            fx().sockets.setOption(tcp, option, 0);
            assertEquals(0, fx().sockets.getOption(tcp, option), option.name());
        }
        fx().sockets.setOption(tcp, RioSocketOption.SO_LINGER, 5);
        assertEquals(5, fx().sockets.getOption(tcp, RioSocketOption.SO_LINGER));
        fx().sockets.setOption(tcp, RioSocketOption.SO_LINGER, -1);
        assertEquals(-1, fx().sockets.getOption(tcp, RioSocketOption.SO_LINGER), "linger off");
        assertNull(fx().sockets.remoteAddress(tcp), "an unconnected socket has no peer");
    }

    /** "An IPv6 socket is dual-stack (IPV6_V6ONLY off)": it connects to an IPv4 address. */
    @Test
    default void ipv6SocketsAreDualStack() throws Exception {
        long client = fx().socket(Family.IPV6, SOCK_STREAM);
        assertEquals(0, fx().sockets.getOption(client, RioSocketOption.IPV6_V6ONLY));
        long listener = fx().listener(Family.IPV4);
        InetSocketAddress where = fx().sockets.localAddress(listener);
        fx().sockets.accept(listener, fx().port, RioFixture.KEY_ACCEPT, 1);
        assertStatus(0, fx().connect(client, where).status(), "an IPv6 socket connecting to 127.0.0.1");
        PortEntry accepted = fx().awaitPort(RioFixture.KEY_ACCEPT);
        assertStatus(0, accepted.status(), "accept");
        fx().sockets.close(accepted.result());
    }

    /** A connect to a port where nobody listens completes with WSAECONNREFUSED. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void connectToAClosedPortIsRefused(Family family) throws Exception {
        // The probe stays bound, never listening, until the connect is refused: a SYN to a port with no listening
        // socket is answered with a reset, and neither another process nor the client's own ephemeral port (a
        // socket connecting to its own address succeeds) can take the port meanwhile, as they could a closed one.
        long probe = fx().socket(family, SOCK_STREAM);
        fx().sockets.bind(probe, family.any());
        InetSocketAddress nobody = fx().sockets.localAddress(probe);
        long client = fx().socket(family, SOCK_STREAM);
        assertStatus(WsaError.WSAECONNREFUSED, fx().connect(client, nobody).status(), "connect to a closed port");
        fx().closeSocket(probe);
    }

    /** Closing the listening socket completes its pending accept with WSA_OPERATION_ABORTED. */
    @Test
    default void closingTheListenerAbortsItsAccept() throws Exception {
        long listener = fx().listener(Family.IPV4);
        fx().sockets.accept(listener, fx().port, RioFixture.KEY_ACCEPT, 0xAB);
        assertNull(fx().pollPort(RioFixture.KEY_ACCEPT, 100));
        fx().closeSocket(listener);
        PortEntry e = fx().awaitPort(RioFixture.KEY_ACCEPT);
        assertEquals(0xAB, e.context());
        assertStatus(WsaError.WSA_OPERATION_ABORTED, e.status(), "accept after the listener closed");
    }
}
