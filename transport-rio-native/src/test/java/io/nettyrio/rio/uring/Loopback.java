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
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test fixture: one provider, one port, one IOCP-notified completion queue, a registered buffer, and helpers to
 * connect TCP pairs and wait for results over loopback. Every wait is bounded.
 */
final class Loopback implements AutoCloseable {
    static final long KEY_RIO = 1;
    static final long KEY_ACCEPT = 2;
    static final long KEY_CONNECT = 3;
    static final long OVERLAPPED = 0x5151;
    /** How long a completion that must come may take: 10 s, for a loaded machine. */
    static final long TIMEOUT_NANOS = 10_000_000_000L;

    final IoUringProvider provider;
    final RegisteredIo rio;
    final RioSockets sockets;
    final Port port;
    final Arena arena = Arena.ofShared();
    final MemorySegment memory;
    final long bufferId;
    final long cq;
    final MemorySegment results;
    final MemorySegment rioBuf;
    final PortCompletions entries = new PortCompletions(64);
    final List<Long> openSockets = new ArrayList<>();

    Loopback(int cqSize) throws RioException {
        this(cqSize, false);
    }

    /** With {@code owned}, the port is an owned one ({@link IoUringProvider#openOwnedPort}). */
    Loopback(int cqSize, boolean owned) throws RioException {
        provider = new IoUringProvider();
        rio = provider.registeredIo();
        sockets = provider.sockets();
        port = owned ? provider.openOwnedPort() : provider.openPort();
        memory = arena.allocate(1 << 20, 4096);
        bufferId = rio.registerBuffer(memory, (int) memory.byteSize());
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        nc.set(ValueLayout.JAVA_INT, 0, RioConstants.RIO_IOCP_COMPLETION);
        nc.set(ValueLayout.JAVA_LONG, 8, port.handle());
        nc.set(ValueLayout.JAVA_LONG, 16, KEY_RIO);
        nc.set(ValueLayout.JAVA_LONG, 24, OVERLAPPED);
        cq = rio.createCompletionQueue(cqSize, nc);
        results = arena.allocate(RioLayouts.RIORESULT, 256);
        rioBuf = arena.allocate(RioLayouts.RIO_BUF, 64);
    }

    /** Writes RIO_BUF number {@code i} of {@link #rioBuf} and returns it as its own segment. */
    MemorySegment buf(int i, long offset, int length) {
        MemorySegment b = rioBuf.asSlice(16L * i, 16);
        b.set(ValueLayout.JAVA_LONG, 0, bufferId);
        b.set(ValueLayout.JAVA_INT, 8, (int) offset);
        b.set(ValueLayout.JAVA_INT, 12, length);
        return b;
    }

    long track(long socket) {
        openSockets.add(socket);
        return socket;
    }

    /** A connected TCP pair: {server, client}. */
    long[] tcpPair(short family) throws RioException {
        InetAddress loopback = loopback(family);
        long listener = track(sockets.socket(family, RioConstants.SOCK_STREAM));
        sockets.bind(listener, new InetSocketAddress(loopback, 0));
        sockets.listen(listener, 16);
        InetSocketAddress address = sockets.localAddress(listener);
        sockets.accept(listener, port, KEY_ACCEPT, 11);
        long client = track(sockets.socket(family, RioConstants.SOCK_STREAM));
        sockets.connect(client, address, port, KEY_CONNECT, 12);
        long server = 0;
        boolean connected = false;
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while ((server == 0 || !connected) && System.nanoTime() < deadline) {
            int n = port.getQueuedCompletionStatus(entries, 100_000_000L);
            for (int i = 0; i < n; i++) {
                if (entries.completionKey(i) == KEY_ACCEPT) {
                    assertEquals(0, entries.status(i), "accept status");
                    assertEquals(11, entries.context(i));
                    server = track(entries.result(i));
                } else if (entries.completionKey(i) == KEY_CONNECT) {
                    assertEquals(0, entries.status(i), "connect status");
                    assertEquals(12, entries.context(i));
                    connected = true;
                } else {
                    fail("unexpected port entry key " + entries.completionKey(i));
                }
            }
        }
        assertTrue(server != 0 && connected, "accept and connect complete");
        return new long[] {server, client};
    }

    static InetAddress loopback(short family) {
        try {
            return family == RioConstants.AF_INET ? InetAddress.getByName("127.0.0.1")
                    : InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Dequeues until {@code count} results are in {@link #results}, for at most the timeout. */
    int awaitResults(int count) throws RioException {
        int have = 0;
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (have < count && System.nanoTime() < deadline) {
            int n = rio.dequeueCompletion(cq, results.asSlice(24L * have), count - have);
            have += n;
            if (have < count) {
                port.getQueuedCompletionStatus(entries, 10_000_000L);
            }
        }
        return have;
    }

    /** Waits {@code nanos} and returns how many results arrived meanwhile (left in the queue). */
    int awaitResultsFor(long nanos) throws RioException {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() < deadline) {
            port.getQueuedCompletionStatus(entries, 10_000_000L);
        }
        return rio.dequeueCompletion(cq, results, 256);
    }

    int status(int i) {
        return results.get(ValueLayout.JAVA_INT, 24L * i);
    }

    int bytes(int i) {
        return results.get(ValueLayout.JAVA_INT, 24L * i + 4);
    }

    long socketContext(int i) {
        return results.get(ValueLayout.JAVA_LONG, 24L * i + 8);
    }

    long requestContext(int i) {
        return results.get(ValueLayout.JAVA_LONG, 24L * i + 16);
    }

    @Override
    public void close() {
        for (long s : openSockets) {
            try {
                sockets.close(s);
            } catch (RioException e) {
                // already closed by the test
            }
        }
        rio.closeCompletionQueue(cq);
        rio.deregisterBuffer(bufferId);
        port.close();
    }
}
