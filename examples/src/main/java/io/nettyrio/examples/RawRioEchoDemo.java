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
package io.nettyrio.examples;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The demo program: a loopback TCP echo server and its client, both driven through the raw RIO model
 * ({@link RegisteredIo}, {@link Port}, {@link RioSockets}) as a Windows RIO program drives real RIO: one completion
 * queue that notifies a completion port, {@code RIONotify} to arm it, {@code RIODequeueCompletion} to read the
 * results, and each completion routed by its {@code SocketContext}. It sends a few messages, prints what happens,
 * and exits with 0 if every echo came back intact (1 otherwise).
 *
 * <p>Run it with {@code ./mvnw -pl examples exec:exec} (see the README).
 */
public final class RawRioEchoDemo {
    private static final String[] MESSAGES = {"hello, registered I/O", "a second message", "bye"};

    private static final long KEY_CQ = 1;
    private static final long KEY_ACCEPT = 2;
    private static final long KEY_CONNECT = 3;

    private static final long SERVER = 0x5E;
    private static final long CLIENT = 0xC1;
    private static final long RECEIVE = 1;
    private static final long SEND = 2;

    private static final int BUFFER = 256;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RegisteredIo rio;
    private final RioSockets sockets;
    private final Port port;
    private final Arena arena;
    private final PortCompletions portEntries = new PortCompletions(8);
    private final MemorySegment results;
    private final PrintStream out;
    private long cq;

    private RawRioEchoDemo(RioProvider provider, Port port, Arena arena, PrintStream out) {
        this.out = out;
        this.rio = provider.registeredIo();
        this.sockets = provider.sockets();
        this.port = port;
        this.arena = arena;
        this.results = arena.allocate(RioLayouts.RIORESULT, 16);
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        if (!Rio.isAvailable()) {
            System.err.println("RIO is not available here: " + Rio.unavailabilityCause());
            System.exit(2);
        }
        boolean ok = run(Rio.provider(), System.out);
        System.out.println(ok ? "Every echo came back intact." : "FAILED: an echo did not come back intact.");
        System.exit(ok ? 0 : 1);
    }

    /**
     * Runs the echo through {@code provider}, printing each step to {@code out}.
     *
     * @return whether every echo came back intact and the end of the stream was seen
     */
    static boolean run(RioProvider provider, PrintStream out) throws RioException {
        out.println("RIO provider: " + provider.name() + (Rio.rulesEnabled() ? " (checked by RioRules)" : ""));
        try (Arena arena = Arena.ofShared(); Port port = provider.openPort()) {
            return new RawRioEchoDemo(provider, port, arena, out).run();
        }
    }

    private boolean run() throws RioException {
        // A completion queue that notifies the port: RIO_NOTIFICATION_COMPLETION of type RIO_IOCP_COMPLETION.
        MemorySegment overlapped = arena.allocate(RioLayouts.OVERLAPPED);
        MemorySegment notification = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(notification, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(notification, 0L, MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(notification, 0L, MemorySegment.ofAddress(KEY_CQ));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(notification, 0L, overlapped);
        cq = rio.createCompletionQueue(8, notification);

        // One registration per buffer: a send's whole registration must not be used by another request until the
        // send completes (RIOSend remarks), so the client's send and receive buffers are registered apart. The
        // server echoes straight out of the buffer it received into.
        MemorySegment serverMemory = arena.allocate(BUFFER);
        MemorySegment clientOutMemory = arena.allocate(BUFFER);
        MemorySegment clientInMemory = arena.allocate(BUFFER);
        long serverBuf = rio.registerBuffer(serverMemory, BUFFER);
        long clientOut = rio.registerBuffer(clientOutMemory, BUFFER);
        long clientIn = rio.registerBuffer(clientInMemory, BUFFER);

        long listener = 0;
        long server = 0;
        long client = 0;
        boolean ok = true;
        try {
            listener = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
            sockets.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sockets.listen(listener, 1);
            InetSocketAddress address = sockets.localAddress(listener);
            out.println("server listening on " + address);

            // Accept and connect both complete through the port (AcceptEx and ConnectEx on Windows).
            sockets.accept(listener, port, KEY_ACCEPT, 0);
            client = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
            sockets.connect(client, address, port, KEY_CONNECT, 0);
            server = awaitAcceptAndConnect();
            sockets.close(listener);
            listener = 0;
            out.println("client " + sockets.localAddress(client) + " connected to server "
                    + sockets.localAddress(server));

            long serverQueue = rio.createRequestQueue(server, 1, 1, 1, 1, cq, cq, SERVER);
            long clientQueue = rio.createRequestQueue(client, 1, 1, 1, 1, cq, cq, CLIENT);

            for (String message : MESSAGES) {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                MemorySegment.copy(bytes, 0, clientOutMemory, ValueLayout.JAVA_BYTE, 0, bytes.length);
                rio.receive(serverQueue, rioBuf(serverBuf, 0, BUFFER), 1, 0, RECEIVE);
                rio.receive(clientQueue, rioBuf(clientIn, 0, BUFFER), 1, 0, RECEIVE);
                rio.send(clientQueue, rioBuf(clientOut, 0, bytes.length), 1, 0, SEND);
                out.println("client sends \"" + message + "\" (" + bytes.length + " bytes)");

                // Drive both ends from this one thread until the client has its echo and every send completed.
                int echoed = -1;
                int sendsPending = 2;
                long deadline = System.nanoTime() + TIMEOUT_NANOS;
                while (echoed < 0 || sendsPending > 0) {
                    int n = awaitResults(deadline);
                    for (int i = 0; i < n; i++) {
                        long base = i * RioLayouts.RIORESULT.byteSize();
                        int status = (int) RioLayouts.RIORESULT_Status.get(results, base);
                        int bytesTransferred = (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base);
                        long socket = (long) RioLayouts.RIORESULT_SocketContext.get(results, base);
                        long request = (long) RioLayouts.RIORESULT_RequestContext.get(results, base);
                        String who = socket == SERVER ? "server" : "client";
                        if (status != 0) {
                            throw new RioException(who + (request == SEND ? " send" : " receive"), status);
                        }
                        if (request == SEND) {
                            sendsPending--;
                            out.println("  " + who + " send completed: " + bytesTransferred + " bytes");
                        } else if (socket == SERVER) {
                            out.println("  server received " + bytesTransferred + " bytes, echoes them");
                            rio.send(serverQueue, rioBuf(serverBuf, 0, bytesTransferred), 1, 0, SEND);
                        } else {
                            echoed = bytesTransferred;
                        }
                    }
                }
                String echo = new String(clientInMemory.asSlice(0, echoed).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
                out.println("client got the echo \"" + echo + "\"");
                ok &= echo.equals(message);
            }

            // A graceful close: the server's receive completes with 0 bytes and status 0, RIO's end of stream.
            rio.receive(serverQueue, rioBuf(serverBuf, 0, BUFFER), 1, 0, RECEIVE);
            sockets.shutdown(client, RioConstants.SD_SEND);
            int n = awaitResults(System.nanoTime() + TIMEOUT_NANOS);
            int eofBytes = (int) RioLayouts.RIORESULT_BytesTransferred.get(results, 0L);
            int eofStatus = (int) RioLayouts.RIORESULT_Status.get(results, 0L);
            boolean eof = n == 1 && eofBytes == 0 && eofStatus == 0;
            out.println(eof ? "server saw the end of the stream (a 0-byte receive)"
                    : "unexpected completion after shutdown: " + eofBytes + " bytes, status "
                    + WsaError.name(eofStatus));
            ok &= eof;
        } finally {
            // Shutdown order (docs/rio-api.md, "The per-thread IOCP + RIO pattern"): sockets, then the completion
            // queue, then the buffers.
            // Every request was dequeued above, so nothing still references the registered memory.
            for (long s : new long[] {listener, server, client}) {
                if (s != 0) {
                    sockets.close(s);
                }
            }
            rio.closeCompletionQueue(cq);
            rio.deregisterBuffer(serverBuf);
            rio.deregisterBuffer(clientOut);
            rio.deregisterBuffer(clientIn);
        }
        return ok;
    }

    /** Waits for the accept and the connect; returns the accepted socket. */
    private long awaitAcceptAndConnect() throws RioException {
        long accepted = 0;
        boolean connected = false;
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (accepted == 0 || !connected) {
            int n = port.getQueuedCompletionStatus(portEntries, remaining(deadline));
            for (int i = 0; i < n; i++) {
                if (portEntries.status(i) != 0) {
                    throw new RioException(portEntries.completionKey(i) == KEY_ACCEPT ? "accept" : "connect",
                            portEntries.status(i));
                }
                if (portEntries.completionKey(i) == KEY_ACCEPT) {
                    accepted = portEntries.result(i);
                } else if (portEntries.completionKey(i) == KEY_CONNECT) {
                    connected = true;
                }
            }
        }
        return accepted;
    }

    /**
     * The per-thread loop of a RIO program: arm RIONotify, wait on the port for the queue's notification, then
     * dequeue what is there. Returns the number of results in {@link #results}.
     */
    private int awaitResults(long deadline) throws RioException {
        for (;;) {
            int n = rio.dequeueCompletion(cq, results, 16);
            if (n > 0) {
                return n;
            }
            int armed = rio.notify(cq);
            if (armed != 0 && armed != WsaError.WSAEALREADY) {
                throw new RioException("RIONotify", armed);
            }
            port.getQueuedCompletionStatus(portEntries, remaining(deadline));
        }
    }

    private static long remaining(long deadline) throws RioException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new RioException("GetQueuedCompletionStatusEx", WsaError.WAIT_TIMEOUT, "the demo waited too long");
        }
        return left;
    }

    /** A fresh {@code RIO_BUF}: each request in flight gets its own (RIOSend remarks). */
    private MemorySegment rioBuf(long bufferId, int offset, int length) {
        MemorySegment buf = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(buf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(buf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(buf, 0L, length);
        return buf;
    }
}
