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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every conformance case needs, so that the cases read as the documentation does: registered buffers in an
 * {@link Arena}, {@code RIO_BUF}s, completion queues bound to one {@link Port}, an accepted TCP pair, a UDP pair, a
 * plain JDK peer, and bounded waits for completions. Every wait here has a deadline: a provider that never
 * completes fails the case instead of hanging the build.
 *
 * <p>Only the model's interfaces are used, never anything of one provider, so the same fixture serves the Linux
 * provider here and real RIO on Windows.
 *
 * <p>{@link #close()} follows the shutdown order of {@code docs/rio-rules.md} (rule 8): close the sockets (which
 * frees their request queues and aborts their requests), drain the completion queues until they are quiet (so no
 * request still references registered memory), close the queues, deregister the buffers, close the port, and only
 * then free the memory.
 */
final class RioFixture implements AutoCloseable {
    /** Completion key of the notifications of the completion queues this fixture creates. */
    static final long KEY_CQ = 0x11;
    /** Completion key of accepts. */
    static final long KEY_ACCEPT = 0x22;
    /** Completion key of connects. */
    static final long KEY_CONNECT = 0x33;
    /** Completion key of {@link Port#post} wake-ups. */
    static final long KEY_WAKE = 0x44;

    /** How long a case waits for something that must happen. Generous: the build machine is small and busy. */
    static final long TIMEOUT_MILLIS = 10_000;
    /** How long a case watches for something that must not happen. */
    static final long QUIET_MILLIS = 300;

    /** The address families of the model, with their loopback addresses. */
    enum Family {
        IPV4(RioConstants.AF_INET, "127.0.0.1"),
        IPV6(RioConstants.AF_INET6, "::1");

        final int af;
        final InetAddress loopback;

        Family(int af, String loopback) {
            this.af = af;
            try {
                this.loopback = InetAddress.getByName(loopback);
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        InetSocketAddress any() {
            return new InetSocketAddress(loopback, 0);
        }
    }

    /** A registration: the memory and its {@code RIO_BUFFERID}. */
    record Registered(long id, MemorySegment memory) {
        int length() {
            return (int) memory.byteSize();
        }
    }

    /** One dequeued {@code RIORESULT}. */
    record Result(int status, int bytes, long socketContext, long requestContext) {
    }

    /** One completion-port entry. */
    record PortEntry(long key, long context, int status, long result) {
    }

    /** A completion queue with the {@code OVERLAPPED} its notifications report. */
    record Cq(long handle, long overlapped) {
    }

    /** A connected pair of registered-I/O sockets with their request queues. */
    record Pair(long a, long rqA, long b, long rqB) {
    }

    /** A registered-I/O socket with its request queue, connected to a plain JDK socket. */
    record JdkPeer(long socket, long rq, Socket peer) {
    }

    final RioProvider provider;
    final RegisteredIo rio;
    final RioSockets sockets;
    final Port port;
    final Arena arena = Arena.ofShared();

    private final PortCompletions portBatch = new PortCompletions(16);
    /** Port entries read while waiting for other ones: kept, so that no wait loses another's entry. */
    private final Deque<PortEntry> portBacklog = new ArrayDeque<>();
    private final MemorySegment results;
    private static final int RESULTS = 256;

    private final List<Long> openSockets = new ArrayList<>();
    private final List<Long> openCqs = new ArrayList<>();
    private final List<Long> registrations = new ArrayList<>();
    private final List<Closeable> jdkResources = new ArrayList<>();
    private final ExecutorService peerReader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "conformance-peer-reader");
        t.setDaemon(true);
        return t;
    });
    private long nextContext = 0x1000;

    RioFixture(RioProvider provider) throws RioException {
        this.provider = provider;
        this.rio = provider.registeredIo();
        this.sockets = provider.sockets();
        this.port = provider.openPort();
        this.results = arena.allocate(RioLayouts.RIORESULT, RESULTS);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Registered memory

    /** Registers {@code length} fresh bytes, filled with {@code fill}. */
    Registered register(int length, int fill) throws RioException {
        MemorySegment memory = arena.allocate(length, 64);
        memory.fill((byte) fill);
        long id = rio.registerBuffer(memory, length);
        registrations.add(id);
        return new Registered(id, memory);
    }

    /** Registers {@code length} fresh zero bytes. */
    Registered register(int length) throws RioException {
        return register(length, 0);
    }

    /** Registers {@code data} (copied into fresh native memory). */
    Registered register(byte[] data) throws RioException {
        Registered r = register(data.length);
        MemorySegment.copy(data, 0, r.memory(), ValueLayout.JAVA_BYTE, 0, data.length);
        return r;
    }

    /** Deregisters now, and forgets, so that {@link #close()} does not deregister again. */
    void deregister(Registered r) {
        rio.deregisterBuffer(r.id());
        registrations.remove(r.id());
    }

    /** A {@code RIO_BUF} for {@code length} bytes at {@code offset} of registration {@code bufferId}. */
    MemorySegment rioBuf(long bufferId, int offset, int length) {
        MemorySegment buf = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(buf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(buf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(buf, 0L, length);
        return buf;
    }

    /** A {@code RIO_BUF} for the whole registration. */
    MemorySegment rioBuf(Registered r) {
        return rioBuf(r.id(), 0, r.length());
    }

    /** A {@code RIO_BUF} for part of a registration. */
    MemorySegment rioBuf(Registered r, int offset, int length) {
        return rioBuf(r.id(), offset, length);
    }

    /** The bytes of a registration, copied out. */
    static byte[] bytes(Registered r, int offset, int length) {
        return r.memory().asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A fresh request context, distinct from every other this fixture handed out. */
    long context() {
        return nextContext++;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Completion queues

    /** A completion queue of {@code size} entries whose notifications go to {@link #port} with {@link #KEY_CQ}. */
    Cq cq(int size) throws RioException {
        return cq(size, KEY_CQ);
    }

    /** A completion queue of {@code size} entries whose notifications go to {@link #port} with {@code key}. */
    Cq cq(int size, long key) throws RioException {
        MemorySegment overlapped = arena.allocate(32, 8);
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(nc, 0L, MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(nc, 0L, MemorySegment.ofAddress(key));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(nc, 0L, overlapped);
        long cq = rio.createCompletionQueue(size, nc);
        openCqs.add(cq);
        return new Cq(cq, overlapped.address());
    }

    /** A completion queue without notification, only polled. */
    long polledCq(int size) throws RioException {
        long cq = rio.createCompletionQueue(size, MemorySegment.NULL);
        openCqs.add(cq);
        return cq;
    }

    /** Closes a completion queue now, and forgets it. */
    void closeCq(long cq) {
        rio.closeCompletionQueue(cq);
        openCqs.remove(cq);
    }

    /** Dequeues what is there now, at most {@code max} results. */
    List<Result> dequeue(long cq, int max) throws RioException {
        int n = rio.dequeueCompletion(cq, results, Math.min(max, RESULTS));
        assertTrue(n >= 0 && n <= max, "RIODequeueCompletion returned " + n + " for an array of " + max);
        List<Result> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long base = i * RioLayouts.RIORESULT.byteSize();
            out.add(new Result(
                    (int) RioLayouts.RIORESULT_Status.get(results, base),
                    (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base),
                    (long) RioLayouts.RIORESULT_SocketContext.get(results, base),
                    (long) RioLayouts.RIORESULT_RequestContext.get(results, base)));
        }
        return out;
    }

    /**
     * Waits until exactly {@code n} completions were dequeued from {@code cq}, within {@link #TIMEOUT_MILLIS}.
     * Between polls it waits briefly on the port, which is what drives a provider that is not the kernel itself; a
     * notification entry read on the way is kept for {@link #awaitPort}.
     */
    List<Result> await(long cq, int n) throws RioException {
        List<Result> got = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (got.size() < n) {
            got.addAll(dequeue(cq, n - got.size()));
            if (got.size() >= n) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("only " + got.size() + " of " + n + " completions within " + TIMEOUT_MILLIS + " ms: " + got);
            }
            pumpPort(2);
        }
        return got;
    }

    /** Waits for one completion. */
    Result await1(long cq) throws RioException {
        return await(cq, 1).get(0);
    }

    /** Asserts that no completion arrives on {@code cq} for {@link #QUIET_MILLIS}. */
    void assertNoCompletion(long cq) throws RioException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            List<Result> r = dequeue(cq, RESULTS);
            if (!r.isEmpty()) {
                fail("unexpected completions: " + r);
            }
            pumpPort(5);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Port

    private void pumpPort(long millis) throws RioException {
        int n = port.getQueuedCompletionStatus(portBatch, TimeUnit.MILLISECONDS.toNanos(millis));
        for (int i = 0; i < n; i++) {
            portBacklog.add(new PortEntry(portBatch.completionKey(i), portBatch.context(i), portBatch.status(i),
                    portBatch.result(i)));
        }
    }

    /** Waits for the next port entry with {@code key}, within {@code timeoutMillis}; null if none came. */
    PortEntry pollPort(long key, long timeoutMillis) throws RioException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (;;) {
            for (Iterator<PortEntry> it = portBacklog.iterator(); it.hasNext();) {
                PortEntry e = it.next();
                if (e.key() == key) {
                    it.remove();
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            pumpPort(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /** Waits for the next port entry with {@code key}; fails after {@link #TIMEOUT_MILLIS}. */
    PortEntry awaitPort(long key) throws RioException {
        PortEntry e = pollPort(key, TIMEOUT_MILLIS);
        if (e == null) {
            fail("no port entry with key " + key + " within " + TIMEOUT_MILLIS + " ms");
        }
        return e;
    }

    /** Forgets the port entries kept so far with {@code key} (notifications read by an earlier wait). */
    void clearPortBacklog(long key) {
        portBacklog.removeIf(e -> e.key() == key);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sockets

    /** A registered-I/O socket, closed by {@link #close()} unless closed earlier through {@link #closeSocket}. */
    long socket(Family family, int type) throws RioException {
        long s = sockets.socket(family.af, type);
        openSockets.add(s);
        return s;
    }

    /** Closes a socket now (aborting its requests), and forgets it. */
    void closeSocket(long s) throws RioException {
        openSockets.remove(s);
        sockets.close(s);
    }

    /** Resets a connection ({@code SO_LINGER} 0, then close), and forgets the socket. */
    void abortSocket(long s) throws RioException {
        openSockets.remove(s);
        sockets.abort(s);
    }

    /** A listening TCP socket on the loopback address of {@code family}. */
    long listener(Family family) throws RioException {
        long l = socket(family, RioConstants.SOCK_STREAM);
        sockets.bind(l, family.any());
        sockets.listen(l, 16);
        return l;
    }

    /** Connects through the port; returns the connect's port entry. */
    PortEntry connect(long s, InetSocketAddress remote) throws RioException {
        long ctx = context();
        sockets.connect(s, remote, port, KEY_CONNECT, ctx);
        PortEntry e = awaitPort(KEY_CONNECT);
        assertEquals(ctx, e.context(), "the connect completes with its own context");
        return e;
    }

    /**
     * A TCP connection between two registered-I/O sockets, accepted and connected through the port, each with a
     * request queue on {@code cq} ({@code maxReceive} and {@code maxSend} outstanding; socket contexts
     * {@code 0xA} and {@code 0xB}).
     */
    Pair tcpPair(Family family, long cq, int maxReceive, int maxSend) throws RioException {
        long listener = listener(family);
        InetSocketAddress where = sockets.localAddress(listener);
        long acceptCtx = context();
        sockets.accept(listener, port, KEY_ACCEPT, acceptCtx);
        long b = socket(family, RioConstants.SOCK_STREAM);
        PortEntry connected = connect(b, where);
        assertEquals(0, connected.status(), "connect status");
        PortEntry accepted = awaitPort(KEY_ACCEPT);
        assertEquals(0, accepted.status(), "accept status");
        assertEquals(acceptCtx, accepted.context());
        long a = accepted.result();
        openSockets.add(a);
        closeSocket(listener);
        long rqA = rio.createRequestQueue(a, maxReceive, 1, maxSend, 1, cq, cq, 0xA);
        long rqB = rio.createRequestQueue(b, maxReceive, 1, maxSend, 1, cq, cq, 0xB);
        return new Pair(a, rqA, b, rqB);
    }

    /**
     * A registered-I/O TCP socket connected (through the port) to a plain blocking JDK socket, with a request queue
     * on {@code cq} (socket context {@code 0xC}).
     */
    JdkPeer jdkPeer(Family family, long cq, int maxReceive, int maxSend) throws IOException {
        ServerSocket server = new ServerSocket(0, 4, family.loopback);
        jdkResources.add(server);
        long s = socket(family, RioConstants.SOCK_STREAM);
        PortEntry connected = connect(s, (InetSocketAddress) server.getLocalSocketAddress());
        assertEquals(0, connected.status(), "connect status");
        server.setSoTimeout((int) TIMEOUT_MILLIS);
        Socket peer = server.accept();
        jdkResources.add(peer);
        server.close();
        long rq = rio.createRequestQueue(s, maxReceive, 1, maxSend, 1, cq, cq, 0xC);
        return new JdkPeer(s, rq, peer);
    }

    /** A UDP socket bound to the loopback address of {@code family}, with a request queue on {@code cq}. */
    long[] udp(Family family, long cq, int maxReceive, int maxSend, long socketContext) throws RioException {
        long s = socket(family, RioConstants.SOCK_DGRAM);
        sockets.bind(s, family.any());
        long rq = rio.createRequestQueue(s, maxReceive, 1, maxSend, 1, cq, cq, socketContext);
        return new long[] {s, rq};
    }

    /** Keeps a JDK resource for {@link #close()}. */
    <T extends Closeable> T track(T resource) {
        jdkResources.add(resource);
        return resource;
    }

    /** Reads exactly {@code n} bytes from a JDK socket, within {@link #TIMEOUT_MILLIS}, blocking this thread. */
    static byte[] readFully(Socket peer, int n) throws IOException {
        peer.setSoTimeout((int) TIMEOUT_MILLIS);
        byte[] data = new byte[n];
        InputStream in = peer.getInputStream();
        int got = 0;
        while (got < n) {
            int k = in.read(data, got, n - got);
            if (k < 0) {
                fail("EOF after " + got + " of " + n + " bytes");
            }
            got += k;
        }
        return data;
    }

    /**
     * Reads exactly {@code n} bytes from a JDK peer while this thread keeps waiting on the port: an application
     * waits on its port, and a provider may rely on those waits to make progress (the io_uring one submits and
     * reaps there). A provider that needs no driving, like Windows, is not affected.
     */
    byte[] peerRead(Socket peer, int n) throws Exception {
        return whilePumping(peerReader.submit(() -> readFully(peer, n)));
    }

    /**
     * Asserts that nothing arrives on a JDK peer for {@link #QUIET_MILLIS}, while this thread keeps waiting on the
     * port: so a provider that submits during port waits is given every chance to send too early.
     */
    void assertPeerQuiet(Socket peer) throws Exception {
        int first = whilePumping(peerReader.submit(() -> {
            peer.setSoTimeout((int) QUIET_MILLIS);
            try {
                return peer.getInputStream().read();
            } catch (SocketTimeoutException expected) {
                return -2;
            }
        }));
        if (first != -2) {
            fail("the peer received " + (first < 0 ? "EOF" : "data (first byte " + first + ")")
                    + " before the commit");
        }
    }

    private <T> T whilePumping(Future<T> result) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS + 1_000);
        while (!result.isDone()) {
            if (System.nanoTime() - deadline > 0) {
                result.cancel(true);
                fail("the JDK peer did not finish within " + TIMEOUT_MILLIS + " ms");
            }
            pumpPort(2);
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Deterministic test data: byte {@code i} of stream {@code seed}. */
    static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        }
        return data;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Teardown

    @Override
    public void close() throws IOException {
        IOException failure = null;
        peerReader.shutdownNow();
        for (Closeable c : jdkResources) {
            try {
                c.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        for (long s : new ArrayList<>(openSockets)) {
            try {
                sockets.close(s);
            } catch (RioException e) {
                failure = failure == null ? e : failure;
            }
        }
        openSockets.clear();
        // The requests of the sockets just closed complete with an error; dequeue them so that no request still
        // references registered memory when it is deregistered and freed (RIODequeueCompletion page: only the
        // dequeue releases a request's hold on its buffer).
        for (long cq : openCqs) {
            try {
                drain(cq);
            } catch (RioException e) {
                failure = failure == null ? e : failure;
            }
        }
        for (long cq : openCqs) {
            rio.closeCompletionQueue(cq);
        }
        openCqs.clear();
        for (long id : registrations) {
            rio.deregisterBuffer(id);
        }
        registrations.clear();
        port.close();
        arena.close();
        if (failure != null) {
            throw failure;
        }
    }

    private void drain(long cq) throws RioException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            if (!dequeue(cq, RESULTS).isEmpty()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(50)) {
                return;
            }
            pumpPort(2);
        }
    }
}
