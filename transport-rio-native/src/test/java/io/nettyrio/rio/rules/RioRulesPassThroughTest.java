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
package io.nettyrio.rio.rules;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.WsaError;

import io.nettyrio.testing.ExpectedRuleViolations;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DONT_NOTIFY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_HANDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RioRules is transparent for legal sequences: the same calls reach the provider, contexts come back as the caller
 * gave them, the provider's own exceptions pass through, and bad input fails clearly.
 */
class RioRulesPassThroughTest extends RioRulesTestSupport {

    @Test
    void contextsAreRewrittenOnDequeueWithSeveralRequests() throws Exception {
        long regC = io.registerBuffer(arena.allocate(SIZE, 8), SIZE);
        io.receive(tcpRq, rioBuf(regA, 0, 512), 1, 0, 0xA1L);
        io.receive(udpRq, rioBuf(regA, 512, 512), 1, 0, 0xA2L);
        io.send(tcpRq, rioBuf(regB, 0, 100), 1, 0, 0xB1L);
        io.send(udpRq, rioBuf(regC, 0, 100), 1, 0, 0L);
        io.receive(udpRq, rioBuf(regA, 1024, 512), 1, 0, 0L);
        assertEquals(5, fake.contexts.size());
        assertEquals(5, new HashSet<>(fake.contexts).size(), "the provider sees one context per request");

        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 2);
        List<Long> contexts = new ArrayList<>();
        List<Long> socketContexts = new ArrayList<>();
        int n;
        int calls = 0;
        while ((n = io.dequeueCompletion(cq, results, 2)) > 0) {
            calls++;
            assertTrue(n <= 2);
            for (int i = 0; i < n; i++) {
                long off = i * RioLayouts.RIORESULT.byteSize();
                contexts.add((long) RioLayouts.RIORESULT_RequestContext.get(results, off));
                socketContexts.add((long) RioLayouts.RIORESULT_SocketContext.get(results, off));
                assertEquals(0, (int) RioLayouts.RIORESULT_Status.get(results, off));
                assertEquals(7, (int) RioLayouts.RIORESULT_BytesTransferred.get(results, off));
            }
        }
        assertEquals(3, calls);
        assertEquals(List.of(0xA1L, 0xA2L, 0xB1L, 0L, 0L), contexts);
        assertEquals(List.of(0x7C9L, 0x0D9L, 0x7C9L, 0x0D9L, 0x0D9L), socketContexts);
        // everything released: the registrations are free for a send again
        RioRules.checkNotInFlight(io, regA);
        io.send(tcpRq, rioBuf(regA, 0, 1), 1, 0, 9);
    }

    @Test
    void flagsPassThroughUnchanged() throws Exception {
        io.send(tcpRq, rioBuf(regA, 0, 10), 1, RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER, 1);
        io.receive(tcpRq, rioBuf(regB, 0, 10), 1, RIO_MSG_DONT_NOTIFY | RIO_MSG_WAITALL, 2);
        io.send(tcpRq, null, 0, RIO_MSG_COMMIT_ONLY, 0);
        assertEquals(List.of(RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER, RIO_MSG_DONT_NOTIFY | RIO_MSG_WAITALL),
                fake.flagsSeen);
        assertEquals(List.of("send", "receive", "send"), fake.calls.subList(fake.calls.size() - 3,
                fake.calls.size()));
        assertEquals(List.of(1L, 2L), dequeueAll(cq));
    }

    @Test
    void commitOnlyFromASecondThreadOverlapsASend() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> sender = holdInside("send", release,
                () -> io.send(tcpRq, rioBuf(regA, 0, 10), 1, RIO_MSG_DEFER, 1));
        try {
            int before = fake.calls.size();
            io.send(tcpRq, null, 0, RIO_MSG_COMMIT_ONLY, 0);
            io.receive(tcpRq, MemorySegment.NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
            assertEquals(List.of("send", "receive"), fake.calls.subList(before, fake.calls.size()));
        } finally {
            release.countDown();
        }
        sender.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1L), dequeueAll(cq));
    }

    @Test
    void providerExceptionsPassThroughAndReleaseTheRequest() throws Exception {
        RioException full = new RioException("RIOSend", WsaError.WSAENOBUFS);
        fake.failNext = full;
        MemorySegment buf = rioBuf(regA, 0, 10);
        assertSame(full, assertThrows(RioException.class, () -> io.send(tcpRq, buf, 1, 0, 1)));
        // the refused send holds nothing: same RIO_BUF, same registration, and nothing left in flight
        RioRules.checkNotInFlight(io, regA);
        io.receive(udpRq, buf, 1, 0, 2);
        assertEquals(List.of(2L), dequeueAll(cq));
        sockets.close(tcp);
        sockets.close(udp);
        io.closeCompletionQueue(cq);
    }

    @Test
    void providerExceptionsOfOtherCallsPassThrough() throws Exception {
        RioException e = assertThrows(RioException.class, () -> io.registerBuffer(arena.allocate(8), 0));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertFalse(e instanceof RioRulesException);
        RioException notSock = new RioException("RIOCreateRequestQueue", WsaError.WSAENOTSOCK);
        fake.failNext = notSock;
        assertSame(notSock, assertThrows(RioException.class,
                () -> io.createRequestQueue(12345, 1, 1, 1, 1, cq, cq, 0)));
    }

    @ExpectedRuleViolations("unknown handles are refused by the checker with WSAEINVAL (RioRulesException)")
    @Test
    void unknownHandlesFailWithWsaeinvalBeforeTheProvider() throws Exception {
        invalid(UNKNOWN_HANDLE, () -> io.send(0xDEADL, null, 0, RIO_MSG_COMMIT_ONLY, 0));
        invalid(UNKNOWN_HANDLE, () -> io.receive(RioConstants.RIO_INVALID_RQ, rioBuf(regA, 0, 1), 1, 0, 1));
        invalid(UNKNOWN_HANDLE, () -> io.dequeueCompletion(0xDEADL, arena.allocate(24), 1));
        invalid(UNKNOWN_HANDLE, () -> io.resizeCompletionQueue(RioConstants.RIO_INVALID_CQ, 8));
        invalid(UNKNOWN_HANDLE, () -> io.createRequestQueue(tcp, 1, 1, 1, 1, cq, 0xDEADL, 0));
        invalid(UNKNOWN_HANDLE, () -> io.resizeRequestQueue(0xDEADL, 1, 1));
        int before = fake.calls.size();
        assertEquals(WsaError.WSAEINVAL, io.notify(0xDEADL));
        assertEquals(before, fake.calls.size());
    }

    @Test
    void invalidIdsTheDocumentationSaysAreIgnoredPassThrough() {
        // RIOCloseCompletionQueue and RIODeregisterBuffer ignore an invalid handle: do as Windows does.
        io.closeCompletionQueue(0xDEADL);
        io.deregisterBuffer(RioConstants.RIO_INVALID_BUFFERID);
        assertEquals(List.of("closeCompletionQueue", "deregisterBuffer:" + RioConstants.RIO_INVALID_BUFFERID),
                fake.calls.subList(fake.calls.size() - 2, fake.calls.size()));
    }

    @Test
    void rioBufThatIsNotANativeRioBufIsAnIllegalArgument() {
        IllegalArgumentException e = notReaching(IllegalArgumentException.class,
                () -> io.send(tcpRq, MemorySegment.ofArray(new byte[16]), 1, 0, 1));
        assertTrue(e.getMessage().contains("pData"), e::getMessage);
        notReaching(IllegalArgumentException.class, () -> io.receive(tcpRq, arena.allocate(8), 1, 0, 1));
        notReaching(IllegalArgumentException.class, () -> io.receiveEx(udpRq, rioBuf(regA, 0, 10), 1, null,
                arena.allocate(4), null, null, 0, 1));
    }

    @Test
    void freedRioBufIsAFaultLikeOnWindows() throws Exception {
        MemorySegment freed;
        try (java.lang.foreign.Arena gone = java.lang.foreign.Arena.ofConfined()) {
            freed = gone.allocate(RioLayouts.RIO_BUF);
        }
        MemorySegment freedBuf = freed;
        RioException e = notReaching(RioException.class, () -> io.send(tcpRq, freedBuf, 1, 0, 1));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        e = notReaching(RioException.class, () -> io.receiveEx(udpRq, rioBuf(regA, 0, 8), 1, null, freedBuf, null,
                null, 0, 1));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        // nothing was claimed by the refused receiveEx
        io.send(tcpRq, rioBuf(regA, 0, 8), 1, 0, 2);
        assertEquals(List.of(2L), dequeueAll(cq));
    }

    @ExpectedRuleViolations("asserts that the pool check refuses a slice still in flight")
    @Test
    void misalignedRioBufAndResultsAreReadAsWindowsWould() throws Exception {
        MemorySegment block = arena.allocate(64, 8);
        MemorySegment buf = block.asSlice(3, 16);
        buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, regA);
        buf.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 8, 10);
        buf.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 12, 20);
        io.receive(tcpRq, buf, 1, 0, 0x51L);
        RioRules.checkNotInFlight(io, regA, 0, 10);
        assertThrows(RioRuleViolation.class, () -> RioRules.checkNotInFlight(io, regA, 29, 1));
        assertEquals(List.of(0x51L), dequeueAll(cq));
    }

    @Test
    void sendExAddressSlotsMayShareARegistration() throws Exception {
        // docs/datagram.md: one address registration with one slot per outstanding request; only send data holds
        // its entire registration.
        long addresses = io.registerBuffer(arena.allocate(28 * 4, 8), 28 * 4);
        long regC = io.registerBuffer(arena.allocate(SIZE, 8), SIZE);
        io.sendEx(udpRq, rioBuf(regA, 0, 10), 1, null, rioBuf(addresses, 0, 28), null, null, 0, 1);
        io.sendEx(udpRq, rioBuf(regB, 0, 10), 1, null, rioBuf(addresses, 28, 28), null, null, 0, 2);
        io.receiveEx(udpRq, rioBuf(regC, 0, 100), 1, null, rioBuf(addresses, 56, 28), null, null, 0, 3);
        io.receiveEx(udpRq, rioBuf(regC, 100, 100), 1, null, rioBuf(addresses, 84, 28), null, null, 0, 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), dequeueAll(cq));
    }

    @Test
    void receivesMayShareARegistrationInDisjointSlices() throws Exception {
        for (int i = 0; i < 8; i++) {
            io.receive(i % 2 == 0 ? tcpRq : udpRq, rioBuf(regA, i * 512, 512), 1, 0, i);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), dequeueAll(cq));
    }

    @Test
    void portsAreUnwrappedForTheProvidersSocketCalls() throws Exception {
        Port port = rules.openPort();
        sockets.accept(tcp, port, 1, 2);
        sockets.connect(tcp, new java.net.InetSocketAddress("127.0.0.1", 9), port, 1, 3);
        assertEquals(List.of("accept:FakePort"), fake.calls("accept"));
        assertEquals(List.of("connect:FakePort"), fake.calls("connect"));
        assertEquals(fake.calls("openPort").size(), 1);
        port.close();
    }

    @Test
    void wrappingIsIdempotentAndUnwrapGivesTheProviderBack() {
        assertSame(rules, RioRules.wrap(rules));
        assertSame(fake, RioRules.unwrap(rules));
        assertSame(fake, RioRules.unwrap(fake));
        assertEquals("fake", rules.name());
    }

    @Test
    void aResultForARequestNeverStartedIsAProviderBug() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        fake.corruptContext = 0x5EL;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> io.dequeueCompletion(cq, arena.allocate(RioLayouts.RIORESULT, 4), 4));
        assertTrue(e.getMessage().contains("provider bug"), e::getMessage);
    }

    @Test
    void threadsOnTheirOwnQueuesNeverTripTheRules() throws Exception {
        int threads = 2;
        int rounds = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long myCq = io.createCompletionQueue(64, null);
                long mySocket = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
                long myRq = io.createRequestQueue(mySocket, 4, 1, 4, 1, myCq, myCq, t);
                long sendReg = io.registerBuffer(arena.allocate(256, 8), 256);
                long recvReg = io.registerBuffer(arena.allocate(256, 8), 256);
                MemorySegment sendBuf = rioBuf(sendReg, 0, 256);
                MemorySegment recvBuf = rioBuf(recvReg, 0, 256);
                MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 4);
                done.add(pool.submit(() -> {
                    int completed = 0;
                    for (int i = 0; i < rounds; i++) {
                        io.send(myRq, sendBuf, 1, RIO_MSG_DEFER, 2L * i);
                        io.receive(myRq, recvBuf, 1, 0, 2L * i + 1);
                        int n = io.dequeueCompletion(myCq, results, 4);
                        for (int k = 0; k < n; k++) {
                            long ctx = (long) RioLayouts.RIORESULT_RequestContext.get(results,
                                    k * RioLayouts.RIORESULT.byteSize());
                            assertEquals(2L * i + k, ctx);
                        }
                        completed += n;
                    }
                    return completed;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(2 * rounds, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
