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
package io.nettyrio.examples.bench;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One end of a loopback TCP connection driven through the raw RIO model, for {@link RawModelBenchmark}: its own
 * port, completion queue and request queue, and a fixed set of registered slots. It is driven by one thread at a
 * time, as a RIO request queue must be. Each slot is its own registration, so a send never shares a registration
 * with another request (RIOSend remarks), and each slot has its own {@code RIO_BUF}, written once: the hot path
 * allocates nothing.
 */
final class RioEndpoint implements AutoCloseable {
    private static final long KEY_CQ = 1;
    private static final long KEY_ACCEPT = 2;
    private static final long KEY_CONNECT = 3;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final RegisteredIo rio;
    private final RioSockets sockets;
    private final Port port;
    private final Arena arena = Arena.ofShared();
    private final PortCompletions portEntries = new PortCompletions(4);
    private final MemorySegment results;
    private final int resultCapacity;
    private final long cq;
    private final MemorySegment[] slots;
    private final long[] bufferIds;
    private final MemorySegment[] rioBufs;
    private long socket;
    private long rq;
    private boolean closed;

    /** Set in the request context of sends, so that a completion tells a send from a receive of the same slot. */
    static final long SEND = 1L << 32;

    /** What {@link #await} read: one result at a time. */
    int status;
    int bytes;
    long context;
    private int next;
    private int count;

    private RioEndpoint(RioProvider provider, int slotCount, int slotSize, int queueDepth) throws RioException {
        this.rio = provider.registeredIo();
        this.sockets = provider.sockets();
        this.port = provider.openPort();
        this.resultCapacity = 2 * queueDepth;
        this.results = arena.allocate(RioLayouts.RIORESULT, resultCapacity);
        MemorySegment overlapped = arena.allocate(RioLayouts.OVERLAPPED);
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(nc, 0L, MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(nc, 0L, MemorySegment.ofAddress(KEY_CQ));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(nc, 0L, overlapped);
        this.cq = rio.createCompletionQueue(2 * queueDepth, nc);
        slots = new MemorySegment[slotCount];
        bufferIds = new long[slotCount];
        rioBufs = new MemorySegment[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = arena.allocate(slotSize, 64);
            bufferIds[i] = rio.registerBuffer(slots[i], slotSize);
            rioBufs[i] = arena.allocate(RioLayouts.RIO_BUF);
            RioLayouts.RIO_BUF_BufferId.set(rioBufs[i], 0L, bufferIds[i]);
        }
    }

    /**
     * Connects two endpoints over loopback TCP (accept and connect through the ports), each with a request queue
     * of {@code queueDepth} receives and sends, and {@code slotCount} registered slots of {@code slotSize}.
     */
    static RioEndpoint[] connectedPair(RioProvider provider, int slotCount, int slotSize, int queueDepth)
            throws RioException {
        RioEndpoint server = new RioEndpoint(provider, slotCount, slotSize, queueDepth);
        RioEndpoint client = new RioEndpoint(provider, slotCount, slotSize, queueDepth);
        RioSockets sockets = server.sockets;
        long listener = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
        try {
            sockets.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sockets.listen(listener, 1);
            sockets.accept(listener, server.port, KEY_ACCEPT, 0);
            client.socket = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
            sockets.connect(client.socket, sockets.localAddress(listener), client.port, KEY_CONNECT, 0);
            client.awaitPort(KEY_CONNECT);
            server.socket = server.awaitPort(KEY_ACCEPT);
        } finally {
            sockets.close(listener);
        }
        for (RioEndpoint e : new RioEndpoint[] {server, client}) {
            e.sockets.setOption(e.socket, RioSocketOption.TCP_NODELAY, 1);
            e.rq = e.rio.createRequestQueue(e.socket, queueDepth, 1, queueDepth, 1, e.cq, e.cq, 0);
        }
        return new RioEndpoint[] {server, client};
    }

    private long awaitPort(long key) throws RioException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (;;) {
            int n = port.getQueuedCompletionStatus(portEntries, remaining(deadline));
            for (int i = 0; i < n; i++) {
                if (portEntries.completionKey(i) == key) {
                    if (portEntries.status(i) != 0) {
                        throw new RioException(key == KEY_ACCEPT ? "accept" : "connect", portEntries.status(i));
                    }
                    return portEntries.result(i);
                }
            }
        }
    }

    /** The memory of slot {@code i}. */
    MemorySegment slot(int i) {
        return slots[i];
    }

    /** Posts a receive into slot {@code i} (up to {@code length} bytes), with request context {@code i}. */
    void receive(int i, int length) throws RioException {
        RioLayouts.RIO_BUF_Offset.set(rioBufs[i], 0L, 0);
        RioLayouts.RIO_BUF_Length.set(rioBufs[i], 0L, length);
        rio.receive(rq, rioBufs[i], 1, 0, i);
    }

    /** Sends {@code length} bytes of slot {@code i}, with request context {@code i | SEND}. */
    void send(int i, int length, int flags) throws RioException {
        RioLayouts.RIO_BUF_Offset.set(rioBufs[i], 0L, 0);
        RioLayouts.RIO_BUF_Length.set(rioBufs[i], 0L, length);
        rio.send(rq, rioBufs[i], 1, flags, i | SEND);
    }

    /** Starts every deferred send ({@code RIO_MSG_COMMIT_ONLY}). */
    void commit() throws RioException {
        rio.send(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
    }

    /** Whether {@link #await} has a dequeued result ready, so that it will not wait. */
    boolean hasResult() {
        return next < count;
    }

    /** Whether the last result was a send's. */
    boolean wasSend() {
        return (context & SEND) != 0;
    }

    /** The slot of the last result. */
    int slotOfResult() {
        return (int) context;
    }

    /**
     * Waits for the next completion and sets {@link #status}, {@link #bytes} and {@link #context}. Results are
     * dequeued in batches; when none is there, RIONotify is armed and the thread waits on the port, as a RIO
     * event loop does.
     */
    void await() throws RioException {
        if (next == count) {
            next = 0;
            count = 0;
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while ((count = rio.dequeueCompletion(cq, results, resultCapacity)) == 0) {
                int armed = rio.notify(cq);
                if (armed != 0 && armed != WsaError.WSAEALREADY) {
                    throw new RioException("RIONotify", armed);
                }
                port.getQueuedCompletionStatus(portEntries, remaining(deadline));
            }
        }
        long base = next++ * RioLayouts.RIORESULT.byteSize();
        status = (int) RioLayouts.RIORESULT_Status.get(results, base);
        bytes = (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base);
        context = (long) RioLayouts.RIORESULT_RequestContext.get(results, base);
        if (status != 0) {
            throw new RioException("RIO request " + context, status);
        }
    }

    private static long remaining(long deadline) throws RioException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new RioException("GetQueuedCompletionStatusEx", WsaError.WAIT_TIMEOUT, "benchmark stalled");
        }
        return left;
    }

    /** Closes the socket, drains what it aborted, and frees everything. */
    @Override
    public void close() throws RioException {
        if (closed) {
            return;
        }
        closed = true;
        if (socket != 0) {
            sockets.close(socket);
            socket = 0;
        }
        // The close aborts pending receives; their completions must be dequeued before the memory goes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(50)) {
            if (rio.dequeueCompletion(cq, results, resultCapacity) > 0) {
                quietSince = System.nanoTime();
            } else {
                port.getQueuedCompletionStatus(portEntries, TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        rio.closeCompletionQueue(cq);
        for (long id : bufferIds) {
            rio.deregisterBuffer(id);
        }
        port.close();
        arena.close();
    }
}
