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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testing.ExpectedRuleViolations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each fault kind of {@link FaultInjectingProvider} over the real provider on loopback: the fault happens, it is
 * counted, and the data that do arrive are intact and in order.
 */
class FaultInjectingProviderTest {
    private static final Set<Integer> CALL_CODES = Set.of(WsaError.WSAENOBUFS, WsaError.WSAEINVAL,
            WsaError.WSAEFAULT);

    static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
        }
        return data;
    }

    /**
     * Streams {@code messages} messages of {@code size} bytes from one socket of a TCP pair to the other, one send
     * in flight at a time, the receiver with one receive of {@code receiveLength} bytes posted at a time. A call
     * that fails (an injected fault) is retried, as a caller that sees WSAENOBUFS would; its code is recorded.
     * Returns the bytes received; checks that sends complete in order, once each.
     */
    private static byte[] stream(FaultLoopback l, int messages, int size, int receiveLength, List<Integer> failures)
            throws RioException {
        long[] pair = l.tcpPair();
        long rqA = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 0xA);
        long rqB = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 0xB);
        byte[] data = pattern(messages * size, 1);
        FaultLoopback.Registered in = l.register(receiveLength);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long receiveContext = 1;
        postReceive(l, rqA, in, receiveLength, receiveContext, failures);
        int sent = 0;
        int sendsCompleted = 0;
        boolean sendPending = false;
        long deadline = System.nanoTime() + FaultLoopback.TIMEOUT_NANOS;
        while (received.size() < data.length || sendsCompleted < messages) {
            assertTrue(System.nanoTime() < deadline, "stream stalled at " + received.size() + " bytes");
            if (!sendPending && sent < messages) {
                FaultLoopback.Registered out = l.register(Arrays.copyOfRange(data, sent * size, (sent + 1) * size));
                while (true) {
                    try {
                        l.rio.send(rqB, l.buf(out, 0, size), 1, 0, 1000 + sent);
                        break;
                    } catch (RioException e) {
                        assertTrue(CALL_CODES.contains(e.wsaError()), e.toString());
                        failures.add(e.wsaError());
                    }
                }
                sent++;
                sendPending = true;
            }
            FaultLoopback.Result r = l.next();
            assertEquals(0, r.status(), "status of " + r);
            if (r.socketContext() == 0xB) {
                assertEquals(1000 + sendsCompleted, r.requestContext(), "sends complete in order, once each");
                assertEquals(size, r.bytes());
                sendsCompleted++;
                sendPending = false;
            } else {
                assertEquals(receiveContext, r.requestContext(), "receives complete once each");
                assertTrue(r.bytes() > 0, "no EOF in the middle of the stream");
                received.writeBytes(in.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                if (received.size() < data.length) {
                    postReceive(l, rqA, in, receiveLength, ++receiveContext, failures);
                }
            }
        }
        assertArrayEquals(data, received.toByteArray(), "the data arrive intact and in order");
        return received.toByteArray();
    }

    private static void postReceive(FaultLoopback l, long rq, FaultLoopback.Registered in, int length,
                                    long context, List<Integer> failures) {
        while (true) {
            try {
                l.rio.receive(rq, l.buf(in, 0, length), 1, 0, context);
                return;
            } catch (RioException e) {
                assertTrue(CALL_CODES.contains(e.wsaError()), e.toString());
                failures.add(e.wsaError());
            }
        }
    }

    @ParameterizedTest(name = "RioRules outside: {0}")
    @ValueSource(booleans = {false, true})
    void callFailuresAreThrownBeforeTheProviderAndCounted(boolean rulesOutside) throws Exception {
        List<Integer> failures = new ArrayList<>();
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(42).callFailure(0.4).build(), rulesOutside)) {
            stream(l, 40, 100, 4096, failures);
            assertTrue(failures.size() > 5, "faults injected: " + failures.size());
            assertEquals(failures.size(), l.faults.counters().callFailures());
            assertTrue(failures.containsAll(CALL_CODES), "every code is used: " + failures);
            assertEquals(0, l.faults.counters().completionErrors());
        }
    }

    @Test
    void theSameSeedInjectsTheSameFaults() throws Exception {
        List<Integer> first = new ArrayList<>();
        List<Integer> again = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(7).callFailure(0.3).build(), false)) {
            stream(l, 20, 10, 4096, first);
        }
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(7).callFailure(0.3).build(), false)) {
            stream(l, 20, 10, 4096, again);
        }
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(8).callFailure(0.3).build(), false)) {
            stream(l, 20, 10, 4096, other);
        }
        assertEquals(first, again, "same seed, same calls: same faults");
        assertNotEquals(first, other, "another seed: other faults");
    }

    @Test
    void commitOnlyFailuresLeaveTheDeferredRequestsPending() throws Exception {
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(1).commitOnlyFailure(1.0).build(), false)) {
            long[] pair = l.tcpPair();
            long rqA = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 0xA);
            long rqB = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 0xB);
            FaultLoopback.Registered out = l.register(pattern(10, 3));
            FaultLoopback.Registered in = l.register(64);
            l.rio.receive(rqA, l.buf(in, 0, 64), 1, 0, 1);
            l.rio.send(rqB, l.buf(out, 0, 10), 1, RioConstants.RIO_MSG_DEFER, 2);
            RioException e = assertThrows(RioException.class,
                    () -> l.rio.send(rqB, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0));
            assertTrue(CALL_CODES.contains(e.wsaError()));
            assertEquals(1, l.faults.counters().commitOnlyFailures());
            assertTrue(l.drainFor(200).isEmpty(), "the deferred send was not committed");
            // A later receive without DEFER on the same queue commits it ("RIOSend function (mswsock.h)",
            // RIO_MSG_DEFER), unaffected by the commit-only knob.
            FaultLoopback.Registered in2 = l.register(64);
            l.rio.receive(rqB, l.buf(in2, 0, 64), 1, 0, 3);
            List<FaultLoopback.Result> got = new ArrayList<>();
            got.add(l.next());
            got.add(l.next());
            assertTrue(got.stream().anyMatch(r -> r.requestContext() == 2 && r.bytes() == 10), got.toString());
            assertTrue(got.stream().anyMatch(r -> r.requestContext() == 1 && r.bytes() == 10), got.toString());
            assertArrayEquals(pattern(10, 3), in.memory().asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {WsaError.WSAECONNRESET, WsaError.WSAECONNABORTED, WsaError.WSA_OPERATION_ABORTED})
    @ExpectedRuleViolations("a request on the queue closed with its socket must be refused by RioRules")
    void aCompletionErrorResetsTheConnectionAndEveryLaterCompletionFails(int code) throws Exception {
        FaultConfig config = FaultConfig.builder(5).completionError(1.0, code).build();
        try (FaultLoopback l = new FaultLoopback(config, false);
             ServerSocket server = new ServerSocket(0, 1, FaultLoopback.loopback())) {
            long s = l.connect((InetSocketAddress) server.getLocalSocketAddress());
            server.setSoTimeout(10_000);
            try (Socket peer = server.accept()) {
                long rq = l.rio.createRequestQueue(s, 2, 1, 2, 1, l.cq, l.cq, 0xC);
                FaultLoopback.Registered in = l.register(64);
                FaultLoopback.Registered out = l.register(pattern(100, 9));
                l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 1);
                l.rio.send(rq, l.buf(out, 0, 100), 1, 0, 2);
                FaultLoopback.Result send = l.next();
                assertEquals(2, send.requestContext());
                assertEquals(code, send.status(), "the send's success is rewritten");
                assertEquals(0, send.bytes());
                FaultLoopback.Result receive = l.next();
                assertEquals(1, receive.requestContext());
                assertEquals(code, receive.status(), "the pending receive fails with the same error");
                assertEquals(0, receive.bytes());
                // The peer sees a real reset, after the data that were sent (intact).
                peer.setSoTimeout(10_000);
                InputStream stream = peer.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                CompletableFuture<IOException> reset = CompletableFuture.supplyAsync(() -> {
                    byte[] b = new byte[256];
                    try {
                        int k;
                        while ((k = stream.read(b)) >= 0) {
                            got.write(b, 0, k);
                        }
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                });
                long deadline = System.nanoTime() + FaultLoopback.TIMEOUT_NANOS;
                while (!reset.isDone() && System.nanoTime() < deadline) {
                    l.pump(5);
                }
                IOException e = reset.get(1, TimeUnit.SECONDS);
                assertTrue(e instanceof SocketException, "the peer sees a reset, not EOF: " + e);
                assertTrue(got.size() == 0 || Arrays.equals(pattern(100, 9), got.toByteArray()),
                        "what arrives before the reset is intact: " + got.size() + " bytes");
                // Later requests on the broken socket are accepted and fail with the same error.
                l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 3);
                l.rio.send(rq, l.buf(out, 0, 100), 1, 0, 4);
                FaultLoopback.Result later1 = l.next();
                FaultLoopback.Result later2 = l.next();
                assertEquals(3, later1.requestContext());
                assertEquals(4, later2.requestContext());
                assertEquals(code, later1.status());
                assertEquals(code, later2.status());
                assertEquals(0xC, later2.socketContext());
                // Capacity still counts: two receives outstanding on a queue of 2 is the limit.
                l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 5);
                l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 6);
                RioException full = assertThrows(RioException.class,
                        () -> l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 7));
                assertEquals(WsaError.WSAENOBUFS, full.wsaError());
                // Both fail (each waited for up to the loopback's timeout: a loaded machine may take longer than
                // a fixed window to deliver them), and nothing else comes.
                assertEquals(java.util.Set.of(5L, 6L), java.util.Set.of(l.next().requestContext(),
                        l.next().requestContext()));
                assertTrue(l.drainFor(100).isEmpty(), "a third completion for two receives");
                assertEquals(WsaError.WSAECONNRESET, assertThrows(RioException.class,
                        () -> l.sockets.getOption(s, io.nettyrio.rio.RioSocketOption.SO_ERROR)).wsaError());
                assertEquals(null, l.sockets.remoteAddress(s));
                l.sockets.close(s);
                l.forget(s);
                // The queue is gone once the caller closed the socket: the provider says WSAEINVAL, or RioRules
                // (below the decorator here) says USE_AFTER_CLOSE before it.
                Exception gone = assertThrows(Exception.class, () -> l.rio.receive(rq, l.buf(in, 0, 64), 1, 0, 8));
                assertTrue(gone instanceof RioException || gone instanceof io.nettyrio.rio.rules.RioRuleViolation,
                        gone.toString());
            }
            FaultCounters c = l.faults.counters();
            assertEquals(1, c.completionErrors());
            assertEquals(1, c.socketsBroken());
            assertEquals(1, c.followUpErrors());
            assertEquals(4, c.synthesizedCompletions());
            assertEquals(0, l.faults.requestsInFlight());
        }
    }

    @Test
    void afterAnInjectedErrorTheReceiverHasAnIntactPrefixOfTheStream() throws Exception {
        FaultConfig config = FaultConfig.builder(11).completionError(0.05).build();
        try (FaultLoopback l = new FaultLoopback(config, false)) {
            long[] pair = l.tcpPair();
            long rqA = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 0xA);
            long rqB = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 0xB);
            int messages = 200;
            byte[] data = pattern(messages * 50, 4);
            FaultLoopback.Registered in = l.register(4096);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            l.rio.receive(rqA, l.buf(in, 0, 4096), 1, 0, 1);
            boolean aBroken = false;
            boolean bBroken = false;
            boolean receiving = true;
            for (int i = 0; i < messages && !bBroken; i++) {
                FaultLoopback.Registered out = l.register(Arrays.copyOfRange(data, i * 50, i * 50 + 50));
                l.rio.send(rqB, l.buf(out, 0, 50), 1, 0, 1000 + i);
                boolean sendDone = false;
                while (!sendDone) {
                    FaultLoopback.Result r = l.next();
                    if (r.socketContext() == 0xB) {
                        assertEquals(1000 + i, r.requestContext());
                        sendDone = true;
                        bBroken = r.status() != 0;
                    } else if (r.status() != 0) {
                        aBroken = true;
                        receiving = false;
                    } else if (r.bytes() == 0) {
                        receiving = false; // EOF: the sender's socket was reset... or closed
                    } else {
                        received.writeBytes(in.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                        l.rio.receive(rqA, l.buf(in, 0, 4096), 1, 0, 1);
                    }
                }
                if (aBroken) {
                    break;
                }
            }
            assertTrue(aBroken || bBroken, "an error was injected: " + l.faults.counters());
            assertTrue(l.faults.counters().completionErrors() >= 1);
            assertTrue(l.faults.counters().socketsBroken() >= 1);
            byte[] got = received.toByteArray();
            assertTrue(got.length < data.length);
            assertArrayEquals(Arrays.copyOf(data, got.length), got, "what arrived is an intact prefix");
        }
    }

    @Test
    void targetedFaultsHitOnlyTheNamedSockets() throws Exception {
        FaultConfig config = FaultConfig.builder(13).completionError(1.0).callFailure(1.0).split(1.0, 3)
                .onlySockets(0xB1).build();
        try (FaultLoopback l = new FaultLoopback(config, true)) {
            long[] pair1 = l.tcpPair();
            long[] pair2 = l.tcpPair();
            long rqA1 = l.rio.createRequestQueue(pair1[0], 1, 1, 1, 1, l.cq, l.cq, 0xA1);
            long rqB1 = l.rio.createRequestQueue(pair1[1], 1, 1, 1, 1, l.cq, l.cq, 0xB1);
            long rqA2 = l.rio.createRequestQueue(pair2[0], 1, 1, 1, 1, l.cq, l.cq, 0xA2);
            long rqB2 = l.rio.createRequestQueue(pair2[1], 1, 1, 1, 1, l.cq, l.cq, 0xB2);
            FaultLoopback.Registered in1 = l.register(64);
            FaultLoopback.Registered out1 = l.register(pattern(10, 1));
            l.rio.receive(rqA1, l.buf(in1, 0, 64), 1, 0, 1);
            RioException refused = assertThrows(RioException.class,
                    () -> l.rio.send(rqB1, l.buf(out1, 0, 10), 1, 0, 2));
            assertTrue(CALL_CODES.contains(refused.wsaError()), "the targeted socket's calls fail");
            // The test resets the targeted socket by hand; its peer (not targeted) sees the real reset. Pair 2 is not
            // targeted: none of its calls fails, none of its receives is split, none of its completions rewritten.
            l.sockets.abort(pair1[1]);
            l.forget(pair1[1]);
            FaultLoopback.Result reset = l.next();
            assertEquals(1, reset.requestContext());
            assertEquals(WsaError.WSAECONNRESET, reset.status(), "the peer of the broken socket sees a reset");
            byte[] data = pattern(20 * 200, 8);
            FaultLoopback.Registered in2 = l.register(4096);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            l.rio.receive(rqA2, l.buf(in2, 0, 4096), 1, 0, 10);
            for (int i = 0; i < 20; i++) {
                FaultLoopback.Registered out = l.register(Arrays.copyOfRange(data, i * 200, i * 200 + 200));
                l.rio.send(rqB2, l.buf(out, 0, 200), 1, 0, 100 + i);
                boolean sent = false;
                while (!sent) {
                    FaultLoopback.Result r = l.next();
                    assertEquals(0, r.status(), r.toString());
                    if (r.socketContext() == 0xB2) {
                        assertEquals(100 + i, r.requestContext());
                        sent = true;
                    } else {
                        assertEquals(0xA2, r.socketContext());
                        received.writeBytes(in2.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                        l.rio.receive(rqA2, l.buf(in2, 0, 4096), 1, 0, 10);
                    }
                }
            }
            while (received.size() < data.length) {
                FaultLoopback.Result r = l.next();
                assertEquals(0, r.status());
                received.writeBytes(in2.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                if (received.size() < data.length) {
                    l.rio.receive(rqA2, l.buf(in2, 0, 4096), 1, 0, 10);
                }
            }
            assertArrayEquals(data, received.toByteArray(), "the other connection's data arrive intact");
            FaultCounters c = l.faults.counters();
            assertEquals(1, c.callFailures(), c.toString());
            assertEquals(0, c.splitReceives(), c.toString());
            assertEquals(0, c.completionErrors(), c.toString());
        }
    }

    @Test
    void aCompletionErrorOnOneConnectionLeavesTheOtherStreaming() throws Exception {
        FaultConfig config = FaultConfig.builder(17).completionError(1.0).onlySockets(0xB1).build();
        try (FaultLoopback l = new FaultLoopback(config, false)) {
            long[] pair1 = l.tcpPair();
            long[] pair2 = l.tcpPair();
            long rqA1 = l.rio.createRequestQueue(pair1[0], 1, 1, 1, 1, l.cq, l.cq, 0xA1);
            long rqB1 = l.rio.createRequestQueue(pair1[1], 1, 1, 1, 1, l.cq, l.cq, 0xB1);
            long rqA2 = l.rio.createRequestQueue(pair2[0], 1, 1, 1, 1, l.cq, l.cq, 0xA2);
            long rqB2 = l.rio.createRequestQueue(pair2[1], 1, 1, 1, 1, l.cq, l.cq, 0xB2);
            FaultLoopback.Registered in1 = l.register(64);
            FaultLoopback.Registered out1 = l.register(pattern(10, 1));
            FaultLoopback.Registered in2 = l.register(4096);
            byte[] data = pattern(20 * 200, 8);
            l.rio.receive(rqA1, l.buf(in1, 0, 64), 1, 0, 1);
            l.rio.receive(rqA2, l.buf(in2, 0, 4096), 1, 0, 10);
            l.rio.send(rqB1, l.buf(out1, 0, 10), 1, 0, 2);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int sent = 0;
            int sendsDone = 0;
            boolean b1Failed = false;
            boolean a1Done = false;
            FaultLoopback.Registered out = l.register(Arrays.copyOfRange(data, 0, 200));
            l.rio.send(rqB2, l.buf(out, 0, 200), 1, 0, 100);
            sent++;
            while (received.size() < data.length || sendsDone < 20 || !b1Failed || !a1Done) {
                FaultLoopback.Result r = l.next();
                if (r.socketContext() == 0xB1) {
                    assertTrue(r.status() != 0, "the targeted socket's send is rewritten: " + r);
                    b1Failed = true;
                } else if (r.socketContext() == 0xA1) {
                    // Its peer was reset: the data may or may not have arrived first, but nothing is rewritten.
                    if (r.status() == 0 && r.bytes() > 0) {
                        assertArrayEquals(pattern(10, 1), in1.memory().asSlice(0, r.bytes())
                                .toArray(ValueLayout.JAVA_BYTE));
                        l.rio.receive(rqA1, l.buf(in1, 0, 64), 1, 0, 1);
                    } else {
                        a1Done = true;
                    }
                } else if (r.socketContext() == 0xB2) {
                    assertEquals(0, r.status(), r.toString());
                    assertEquals(100 + sendsDone, r.requestContext());
                    sendsDone++;
                    if (sent < 20) {
                        out = l.register(Arrays.copyOfRange(data, sent * 200, sent * 200 + 200));
                        l.rio.send(rqB2, l.buf(out, 0, 200), 1, 0, 100 + sent);
                        sent++;
                    }
                } else {
                    assertEquals(0, r.status(), r.toString());
                    received.writeBytes(in2.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                    if (received.size() < data.length) {
                        l.rio.receive(rqA2, l.buf(in2, 0, 4096), 1, 0, 10);
                    }
                }
            }
            assertArrayEquals(data, received.toByteArray(), "the other connection's data arrive intact");
            FaultCounters c = l.faults.counters();
            assertEquals(1, c.completionErrors(), c.toString());
            assertEquals(1, c.socketsBroken(), c.toString());
        }
    }

    @ParameterizedTest(name = "RioRules outside: {0}")
    @ValueSource(booleans = {false, true})
    void heldCompletionsArriveLaterInOrderAndWakeThePort(boolean rulesOutside) throws Exception {
        FaultConfig config = FaultConfig.builder(3).delay(0.8, 3).build();
        try (FaultLoopback l = new FaultLoopback(config, rulesOutside)) {
            long[] pair = l.tcpPair();
            long rqA = l.rio.createRequestQueue(pair[0], 4, 1, 1, 1, l.cq, l.cq, 0xA);
            long rqB = l.rio.createRequestQueue(pair[1], 1, 1, 8, 1, l.cq, l.cq, 0xB);
            int messages = 64;
            int size = 300;
            byte[] data = pattern(messages * size, 2);
            FaultLoopback.Registered in = l.register(4 * 1024);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long nextReceive = 0;
            long expectedReceive = 0;
            for (int k = 0; k < 4; k++) {
                l.rio.receive(rqA, l.buf(in, k * 1024, 1024), 1, 0, nextReceive++);
            }
            int sent = 0;
            int sendsDone = 0;
            while (sent < messages && sent - sendsDone < 8) {
                FaultLoopback.Registered out = l.register(Arrays.copyOfRange(data, sent * size, (sent + 1) * size));
                l.rio.send(rqB, l.buf(out, 0, size), 1, sent % 8 == 7 ? 0 : RioConstants.RIO_MSG_DEFER, sent);
                sent++;
            }
            l.rio.send(rqB, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            while (received.size() < data.length || sendsDone < messages) {
                FaultLoopback.Result r = l.next();
                assertEquals(0, r.status());
                if (r.socketContext() == 0xB) {
                    assertEquals(sendsDone, r.requestContext(), "sends complete in order, once each");
                    sendsDone++;
                    if (sent < messages) {
                        FaultLoopback.Registered out = l.register(
                                Arrays.copyOfRange(data, sent * size, (sent + 1) * size));
                        l.rio.send(rqB, l.buf(out, 0, size), 1, 0, sent);
                        sent++;
                    }
                } else {
                    assertEquals(expectedReceive, r.requestContext(), "receives complete in posting order");
                    int slot = (int) (expectedReceive % 4);
                    expectedReceive++;
                    received.writeBytes(in.memory().asSlice(slot * 1024L, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                    if (received.size() + 3 * 1024 < data.length) {
                        l.rio.receive(rqA, l.buf(in, slot * 1024, 1024), 1, 0, nextReceive++);
                    } else if (nextReceive - expectedReceive < 4 && received.size() < data.length) {
                        l.rio.receive(rqA, l.buf(in, slot * 1024, 1024), 1, 0, nextReceive++);
                    }
                }
            }
            assertArrayEquals(data, received.toByteArray(), "the data arrive intact and in order");
            FaultCounters c = l.faults.counters();
            assertTrue(c.heldDequeues() > 0, c.toString());
            assertTrue(c.heldCompletions() >= c.heldDequeues(), c.toString());
            assertTrue(c.wakeUps() > 0, "held completions woke the port: " + c);
        }
    }

    @ParameterizedTest(name = "RioRules outside: {0}")
    @ValueSource(booleans = {false, true})
    void splitReceivesDeliverSmallPiecesIntactAndInOrder(boolean rulesOutside) throws Exception {
        FaultConfig config = FaultConfig.builder(9).split(1.0, 7).build();
        try (FaultLoopback l = new FaultLoopback(config, rulesOutside)) {
            long[] pair = l.tcpPair();
            long rqA = l.rio.createRequestQueue(pair[0], 1, 1, 1, 1, l.cq, l.cq, 0xA);
            long rqB = l.rio.createRequestQueue(pair[1], 1, 1, 1, 1, l.cq, l.cq, 0xB);
            byte[] data = pattern(3000, 5);
            FaultLoopback.Registered out = l.register(data);
            FaultLoopback.Registered in = l.register(4096);
            l.rio.send(rqB, l.buf(out, 0, data.length), 1, 0, 1);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int pieces = 0;
            boolean sendDone = false;
            l.rio.receive(rqA, l.buf(in, 0, 4096), 1, 0, 2);
            while (received.size() < data.length || !sendDone) {
                FaultLoopback.Result r = l.next();
                assertEquals(0, r.status());
                if (r.requestContext() == 1) {
                    assertEquals(data.length, r.bytes(), "the send completes whole");
                    sendDone = true;
                } else {
                    assertTrue(r.bytes() >= 1 && r.bytes() <= 7, "a piece of at most 7 bytes: " + r.bytes());
                    received.writeBytes(in.memory().asSlice(0, r.bytes()).toArray(ValueLayout.JAVA_BYTE));
                    pieces++;
                    if (received.size() < data.length) {
                        l.rio.receive(rqA, l.buf(in, 0, 4096), 1, 0, 2);
                    }
                }
            }
            assertArrayEquals(data, received.toByteArray(), "the data arrive intact and in order");
            assertEquals(pieces, l.faults.counters().splitReceives());
            assertTrue(pieces >= data.length / 7);
            assertEquals(0, l.faults.splitBuffersInUse(), "every RIO_BUF copy is given back");
            // WAITALL receives are never split: their caller is promised a full buffer.
            l.rio.receive(rqA, l.buf(in, 0, 100), 1, RioConstants.RIO_MSG_WAITALL, 3);
            FaultLoopback.Registered out2 = l.register(pattern(100, 6));
            l.rio.send(rqB, l.buf(out2, 0, 100), 1, 0, 4);
            for (int i = 0; i < 2; i++) {
                FaultLoopback.Result r = l.next();
                assertEquals(100, r.bytes(), r.toString());
            }
            assertEquals(pieces, l.faults.counters().splitReceives());
        }
    }

    @Test
    void acceptAndConnectCallsFailWhenTargeted() throws Exception {
        // Contexts 1 (accept) and 2 (connect) of tcpPair are targeted with certainty; context 3 is not.
        FaultConfig config = FaultConfig.builder(3).acceptConnectFailure(1.0, WsaError.WSAEINVAL).onlySockets(1, 2)
                .build();
        try (FaultLoopback l = new FaultLoopback(config, true)) {
            RioException e = assertThrows(RioException.class, l::tcpPair);
            assertEquals(WsaError.WSAEINVAL, e.wsaError());
            assertEquals(1, l.faults.counters().acceptConnectFailures(), "the accept failed, nothing started");
            try (ServerSocket server = new ServerSocket(0, 1, FaultLoopback.loopback())) {
                l.connect((InetSocketAddress) server.getLocalSocketAddress());
                server.accept().close();
            }
            assertEquals(1, l.faults.counters().acceptConnectFailures(), "an untargeted connect is left alone");
        }
    }

    @Test
    void withEveryFaultOffNothingChanges() throws Exception {
        try (FaultLoopback l = new FaultLoopback(FaultConfig.builder(0).build(), false)) {
            List<Integer> failures = new ArrayList<>();
            stream(l, 20, 500, 256, failures);
            assertTrue(failures.isEmpty());
            assertEquals(0, l.faults.counters().total());
        }
    }

    @Test
    void systemPropertiesConfigureAWholeJvm() throws Exception {
        String[] names = {"seed", "callFailure", "delay", "maxHeldDequeues", "split", "maxSplitLength"};
        String[] values = {"77", "0.25", "0.5", "2", "1", "5"};
        try {
            for (int i = 0; i < names.length; i++) {
                System.setProperty(SystemPropertyFaultProvider.PREFIX + names[i], values[i]);
            }
            SystemPropertyFaultProvider p = new SystemPropertyFaultProvider();
            FaultConfig c = p.faults().config();
            assertEquals(77, c.seed());
            assertEquals(0.25, c.callFailure());
            assertEquals(0.5, c.delay());
            assertEquals(2, c.maxHeldDequeues());
            assertEquals(1.0, c.split());
            assertEquals(5, c.maxSplitLength());
            assertEquals(0, c.completionError());
            assertEquals(io.nettyrio.rio.rules.RioRules.unwrap(io.nettyrio.rio.Rio.provider()).name(), p.name());
            p.openPort().close();
            System.setProperty(SystemPropertyFaultProvider.PREFIX + "split", "lots");
            assertThrows(IllegalArgumentException.class, SystemPropertyFaultProvider::config);
        } finally {
            for (String n : names) {
                System.clearProperty(SystemPropertyFaultProvider.PREFIX + n);
            }
        }
    }

    @Test
    void configRejectsBadKnobs() {
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.builder(0).delay(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.builder(0).split(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultConfig.builder(0).callFailure(-0.1));
        assertTrue(FaultConfig.builder(99).delay(0.5, 2).build().toString().contains("seed=99"));
    }
}
