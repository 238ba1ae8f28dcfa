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
package io.nettyrio.rio.fault;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.RioSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test fixture of the fault decorator over the real provider ({@link Rio#provider()}), on loopback: one port, one
 * completion queue notifying it, registrations, TCP pairs, and a pump that waits on the port and dequeues only
 * when the queue's notification arrives, then re-arms it (the loop of "RIONotify function (mswsock.h)"). So a
 * completion the decorator holds back without waking the port makes the wait time out. Every wait is bounded.
 */
final class FaultLoopback implements AutoCloseable {
    static final long KEY_CQ = 0x11;
    static final long KEY_ACCEPT = 0x22;
    static final long KEY_CONNECT = 0x33;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int BATCH = 16;

    /** A registration. */
    record Registered(long id, MemorySegment memory) {
    }

    /** One dequeued RIORESULT. */
    record Result(int status, int bytes, long socketContext, long requestContext) {
    }

    final FaultInjectingProvider faults;
    final RioProvider provider;
    final RegisteredIo rio;
    final RioSockets sockets;
    final Port port;
    final Arena arena = Arena.ofShared();
    final long cq;
    private final MemorySegment results;
    private final PortCompletions batch = new PortCompletions(16);
    private final Deque<Result> collected = new ArrayDeque<>();
    private final Deque<long[]> portEntries = new ArrayDeque<>();
    private final List<Long> registrations = new ArrayList<>();
    private final List<Long> openSockets = new ArrayList<>();
    int notifications;

    /**
     * @param rulesOutside RioRules above the decorator (checking the caller) instead of below it (checking the
     *                     decorator's own calls)
     */
    FaultLoopback(FaultConfig config, boolean rulesOutside) throws RioException {
        RioProvider base = Rio.provider();
        if (rulesOutside) {
            faults = FaultInjectingProvider.wrap(RioRules.unwrap(base), config);
            provider = RioRules.wrap(faults);
        } else {
            faults = FaultInjectingProvider.wrap(base, config);
            provider = faults;
        }
        rio = provider.registeredIo();
        sockets = provider.sockets();
        port = provider.openPort();
        results = arena.allocate(RioLayouts.RIORESULT, BATCH);
        MemorySegment overlapped = arena.allocate(32, 8);
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(nc, 0L, MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(nc, 0L, MemorySegment.ofAddress(KEY_CQ));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(nc, 0L, overlapped);
        cq = rio.createCompletionQueue(256, nc);
        assertEquals(0, rio.notify(cq));
    }

    Registered register(int length) throws RioException {
        MemorySegment memory = arena.allocate(length, 64);
        long id = rio.registerBuffer(memory, length);
        registrations.add(id);
        return new Registered(id, memory);
    }

    Registered register(byte[] data) throws RioException {
        Registered r = register(data.length);
        MemorySegment.copy(data, 0, r.memory(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
        return r;
    }

    /** A fresh RIO_BUF (never reused, so RioRules' RIO_BUF rule cannot trip). */
    MemorySegment buf(Registered r, int offset, int length) {
        MemorySegment b = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(b, 0L, r.id());
        RioLayouts.RIO_BUF_Offset.set(b, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(b, 0L, length);
        return b;
    }

    long socket(int type) throws RioException {
        long s = sockets.socket(RioConstants.AF_INET, type);
        openSockets.add(s);
        return s;
    }

    void forget(long socket) {
        openSockets.remove(socket);
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** A connected TCP pair {accepted, connecting}. */
    long[] tcpPair() throws RioException {
        long listener = socket(RioConstants.SOCK_STREAM);
        sockets.bind(listener, new InetSocketAddress(loopback(), 0));
        sockets.listen(listener, 4);
        sockets.accept(listener, port, KEY_ACCEPT, 1);
        long client = socket(RioConstants.SOCK_STREAM);
        sockets.connect(client, sockets.localAddress(listener), port, KEY_CONNECT, 2);
        long[] accepted = awaitPort(KEY_ACCEPT);
        assertEquals(0, (int) accepted[2], "accept status");
        long[] connected = awaitPort(KEY_CONNECT);
        assertEquals(0, (int) connected[2], "connect status");
        openSockets.add(accepted[3]);
        sockets.close(listener);
        forget(listener);
        return new long[] {accepted[3], client};
    }

    /** Connects a RIO TCP socket to {@code remote}; returns it. */
    long connect(InetSocketAddress remote) throws RioException {
        long s = socket(RioConstants.SOCK_STREAM);
        sockets.connect(s, remote, port, KEY_CONNECT, 3);
        assertEquals(0, (int) awaitPort(KEY_CONNECT)[2], "connect status");
        return s;
    }

    /** Waits on the port once (up to {@code millis}); on the queue's notification, drains it and re-arms. */
    void pump(long millis) throws RioException {
        int n = port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(millis));
        for (int i = 0; i < n; i++) {
            if (batch.completionKey(i) == KEY_CQ) {
                notifications++;
                int k;
                do {
                    k = rio.dequeueCompletion(cq, results, BATCH);
                    for (int j = 0; j < k; j++) {
                        long base = j * RioLayouts.RIORESULT.byteSize();
                        collected.add(new Result((int) RioLayouts.RIORESULT_Status.get(results, base),
                                (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base),
                                (long) RioLayouts.RIORESULT_SocketContext.get(results, base),
                                (long) RioLayouts.RIORESULT_RequestContext.get(results, base)));
                    }
                } while (k == BATCH);
                int armed = rio.notify(cq);
                assertEquals(0, armed, "RIONotify after the queue's notification fired");
            } else {
                portEntries.add(new long[] {batch.completionKey(i), batch.context(i), batch.status(i),
                        batch.result(i)});
            }
        }
    }

    long[] awaitPort(long key) throws RioException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            for (long[] e : portEntries) {
                if (e[0] == key) {
                    portEntries.remove(e);
                    return e;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no port entry with key " + key);
            }
            pump(20);
        }
    }

    /** The next completion, waiting for it (bounded). */
    Result next() throws RioException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (collected.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                fail("no completion within " + TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS) + " ms; "
                        + faults.counters());
            }
            pump(20);
        }
        return collected.poll();
    }

    /** The completions that arrive within {@code millis}. */
    List<Result> drainFor(long millis) throws RioException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0) {
            pump(5);
        }
        List<Result> out = new ArrayList<>(collected);
        collected.clear();
        return out;
    }

    @Override
    public void close() throws RioException {
        for (long s : openSockets) {
            try {
                sockets.close(s);
            } catch (RioException e) {
                // closed by the test
            }
        }
        openSockets.clear();
        drainFor(100);
        rio.closeCompletionQueue(cq);
        for (long id : registrations) {
            rio.deregisterBuffer(id);
        }
        port.close();
        arena.close();
    }
}
