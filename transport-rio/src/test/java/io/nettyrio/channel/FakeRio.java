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
package io.nettyrio.channel;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A provider for unit tests: {@link RegisteredIo} and {@link RioSockets} are Mockito mocks whose answers record
 * every send (flags and the bytes its registered slice held at the call) and let the test decide when each request
 * completes; the {@link Port} is a small in-memory queue. Connects succeed at once.
 */
final class FakeRio {
    static final long CQ = 0x100;
    static final long SOCKET = 7;

    /** One RIOSend call as the mock saw it. */
    record SendCall(int flags, long bufferId, int offset, int length, byte[] bytes) {
    }

    final RegisteredIo rio = mock(RegisteredIo.class);
    final RioSockets sockets = mock(RioSockets.class);
    final RioProvider provider = mock(RioProvider.class);
    final FakePort port = new FakePort();
    final List<SendCall> sends = new CopyOnWriteArrayList<>();
    final List<Integer> receiveFlags = new CopyOnWriteArrayList<>();
    final Map<Long, MemorySegment> registered = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextBufferId = new AtomicLong(0x1000);
    private final AtomicLong nextSocket = new AtomicLong(SOCKET);
    private final AtomicLong nextRq = new AtomicLong(0x200);
    /**
     * Per request queue: its socket, its SocketContext and its requests pending. The counts are atomic because the
     * event loop adds (in the send and receive answers) while the test thread takes away (in {@link #completeSend}).
     */
    private record Queue(long socket, long context, AtomicLong sends, AtomicLong receives) {
    }

    private final Map<Long, Queue> queues = new ConcurrentHashMap<>();
    volatile long socketContext;
    /** Whether closing the socket completes its pending requests with WSA_OPERATION_ABORTED, as closesocket does. */
    volatile boolean completeOnClose = true;
    /** The index (in {@link #sends}) of a send to refuse once with WSAENOBUFS, as RIOSend does with a full CQ. */
    volatile int refuseSendAt = -1;
    final java.util.concurrent.atomic.AtomicInteger refusedSends = new java.util.concurrent.atomic.AtomicInteger();

    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    FakeRio() throws Exception {
        when(provider.registeredIo()).thenReturn(rio);
        when(provider.sockets()).thenReturn(sockets);
        when(provider.openPort()).thenReturn(port);
        when(provider.openOwnedPort()).thenReturn(port);
        when(rio.createCompletionQueue(anyInt(), any())).thenReturn(CQ);
        when(rio.registerBuffer(any(), anyInt())).thenAnswer(inv -> {
            long id = nextBufferId.getAndIncrement();
            registered.put(id, inv.getArgument(0));
            return id;
        });
        when(rio.createRequestQueue(anyLong(), anyInt(), anyInt(), anyInt(), anyInt(), anyLong(), anyLong(),
                anyLong())).thenAnswer(inv -> {
                    socketContext = inv.getArgument(7);
                    long rq = nextRq.getAndIncrement();
                    queues.put(rq, new Queue(inv.getArgument(0), socketContext, new AtomicLong(), new AtomicLong()));
                    return rq;
                });
        doAnswer(inv -> {
            MemorySegment pData = inv.getArgument(1);
            int flags = inv.getArgument(3);
            if (pData == null || pData.equals(MemorySegment.NULL)) {
                sends.add(new SendCall(flags, 0, 0, 0, new byte[0]));
                return null;
            }
            if (refuseSendAt == sends.size()) {
                refuseSendAt = -1;
                refusedSends.incrementAndGet();
                throw new io.nettyrio.rio.RioException("RIOSend", io.nettyrio.rio.WsaError.WSAENOBUFS,
                        "injected: completion queue full");
            }
            MemorySegment buf = pData.reinterpret(RioLayouts.RIO_BUF.byteSize());
            long id = (long) RioLayouts.RIO_BUF_BufferId.get(buf, 0L);
            int offset = (int) RioLayouts.RIO_BUF_Offset.get(buf, 0L);
            int length = (int) RioLayouts.RIO_BUF_Length.get(buf, 0L);
            byte[] bytes = registered.get(id).asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            // Counted pending before it is recorded: a test that sees the send in the list of sends may complete it at
            // once, from its own thread.
            queues.get((Long) inv.getArgument(0)).sends().incrementAndGet();
            sends.add(new SendCall(flags, id, offset, length, bytes));
            return null;
        }).when(rio).send(anyLong(), any(), anyInt(), anyInt(), anyLong());
        doAnswer(inv -> {
            if (inv.getArgument(1) != null && !MemorySegment.NULL.equals(inv.getArgument(1))) {
                queues.get((Long) inv.getArgument(0)).receives().incrementAndGet();
            }
            receiveFlags.add(inv.getArgument(3));
            return null;
        }).when(rio).receive(anyLong(), any(), anyInt(), anyInt(), anyLong());
        when(rio.dequeueCompletion(anyLong(), any(), anyInt())).thenAnswer(inv -> {
            MemorySegment array = ((MemorySegment) inv.getArgument(1))
                    .reinterpret(RioLayouts.RIORESULT.byteSize() * (int) inv.getArgument(2));
            int max = inv.getArgument(2);
            int n = 0;
            long[] r;
            while (n < max && (r = results.poll()) != null) {
                long base = n * RioLayouts.RIORESULT.byteSize();
                RioLayouts.RIORESULT_Status.set(array, base, (int) r[0]);
                RioLayouts.RIORESULT_BytesTransferred.set(array, base, (int) r[1]);
                RioLayouts.RIORESULT_SocketContext.set(array, base, r[2]);
                RioLayouts.RIORESULT_RequestContext.set(array, base, r[3]);
                n++;
            }
            return n;
        });
        when(sockets.socket(anyInt(), anyInt())).thenAnswer(inv -> nextSocket.getAndIncrement());
        doAnswer(inv -> {
            port.complete(RioIoHandler.KEY_SOCKET, inv.getArgument(4), 0, 0);
            return null;
        }).when(sockets).connect(anyLong(), any(), any(), anyLong(), anyLong());
        doAnswer(inv -> {
            if (completeOnClose) {
                long socket = inv.getArgument(0);
                for (Queue q : queues.values()) {
                    if (q.socket() != socket) {
                        continue;
                    }
                    for (long n = q.sends().getAndSet(0); n > 0; n--) {
                        results.add(new long[] {io.nettyrio.rio.WsaError.WSA_OPERATION_ABORTED, 0, q.context(),
                                RioSocketChannel.CTX_SEND});
                    }
                    for (long n = q.receives().getAndSet(0); n > 0; n--) {
                        results.add(new long[] {io.nettyrio.rio.WsaError.WSA_OPERATION_ABORTED, 0, q.context(),
                                RioSocketChannel.CTX_RECEIVE});
                    }
                    port.complete(RioIoHandler.KEY_CQ, 0, 0, 0);
                }
            }
            return null;
        }).when(sockets).close(anyLong());
        when(sockets.remoteAddress(anyLong())).thenReturn(new InetSocketAddress("127.0.0.1", 9));
        when(sockets.localAddress(anyLong())).thenReturn(new InetSocketAddress("127.0.0.1", 40000));
    }

    /** Completes the oldest send (RIO completes sends in order) with {@code status} and {@code bytes}. */
    void completeSend(int status, int bytes) {
        queueOf(socketContext).sends().decrementAndGet();
        results.add(new long[] {status, bytes, socketContext, RioSocketChannel.CTX_SEND});
        port.complete(RioIoHandler.KEY_CQ, 0, 0, 0);
    }

    private Queue queueOf(long context) {
        for (Queue q : queues.values()) {
            if (q.context() == context) {
                return q;
            }
        }
        throw new AssertionError("no request queue with SocketContext " + context);
    }

    /** Completes every pending receive of the latest request queue with {@code status}. */
    void completePendingReceives(int status) {
        for (long i = queueOf(socketContext).receives().get(); i > 0; i--) {
            completeReceive(status, 0);
        }
    }

    /** Completes the oldest receive. */
    void completeReceive(int status, int bytes) {
        queueOf(socketContext).receives().decrementAndGet();
        results.add(new long[] {status, bytes, socketContext, RioSocketChannel.CTX_RECEIVE});
        port.complete(RioIoHandler.KEY_CQ, 0, 0, 0);
    }

    /**
     * Waits (polling) for {@code condition}: 10 s, for what must happen on an event loop that a loaded machine may
     * not schedule for seconds.
     */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** An in-memory completion port. */
    static final class FakePort implements Port {
        private final LinkedBlockingQueue<long[]> entries = new LinkedBlockingQueue<>();
        /**
         * The longest one wait blocks, even an infinite one: 50 ms by default, so that a test's completions are
         * picked up without relying on the loop being woken; a test of the wakeup itself makes it long.
         */
        volatile long maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(50);

        void complete(long key, long context, int status, long result) {
            entries.add(new long[] {key, context, status, result});
        }

        @Override
        public long handle() {
            return 0x1234;
        }

        @Override
        public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws InterruptedIoException {
            out.clear();
            long[] e;
            try {
                long wait = timeoutNanos < 0 ? maxWaitNanos : Math.min(timeoutNanos, maxWaitNanos);
                e = entries.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                throw new InterruptedIoException();
            }
            while (e != null) {
                out.add(e[0], e[1], (int) e[2], e[3]);
                e = out.isFull() ? null : entries.poll();
            }
            return out.size();
        }

        @Override
        public void post(long completionKey, long context) {
            complete(completionKey, context, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    /** The port wait was interrupted. */
    static final class InterruptedIoException extends io.nettyrio.rio.RioException {
        private static final long serialVersionUID = 1L;

        InterruptedIoException() {
            super("GetQueuedCompletionStatusEx", io.nettyrio.rio.WsaError.WSAEINTR);
        }
    }
}
