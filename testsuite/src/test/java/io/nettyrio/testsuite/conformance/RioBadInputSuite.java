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
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRuleViolation;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static io.nettyrio.rio.WsaError.WSAEFAULT;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.WsaError.WSAENOTSOCK;
import static io.nettyrio.rio.rules.RioRules.Rule.SLICE_OUTSIDE_REGISTRATION;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertBadPointer;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertIllegalArgument;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertIllegalOrWsa;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertRefused;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsaOneOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad input to the RIO model : invalid and closed handles, freed memory, negative sizes and
 * null arguments. Each must end in a {@link io.nettyrio.rio.RioException} with the Winsock code the documentation
 * gives (or, for a Java argument that is null or out of range, an {@link IllegalArgumentException}, as the
 * {@link io.nettyrio.rio.RioSockets} Javadoc says), never in a crash of the JVM and never with a dangling pointer
 * reaching the kernel. Every case ends by checking that the provider still works.
 *
 * <p>A subclass says which {@link RioProvider} to check; nothing here is specific to one operating system.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RioBadInputSuite {
    /** A handle value no provider hands out. */
    private static final long BOGUS = 0x7FFF_0000_DEADL;

    /** The provider under test. */
    protected abstract RioProvider provider() throws Exception;

    RioFixture fx;

    @BeforeEach
    void openFixture() throws Exception {
        fx = new RioFixture(provider());
    }

    @AfterEach
    void closeFixture() throws Exception {
        if (fx != null) {
            try {
                assertStillWorks();
            } finally {
                fx.close();
            }
        }
    }

    /** After the bad call, the provider still carries a send from end to end. */
    private void assertStillWorks() throws Exception {
        Cq cq = fx.cq(4);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 42));
        fx.rio.send(j.rq(), fx.rioBuf(out), 1, 0, 1);
        assertEquals(16, fx.await1(cq.handle()).bytes());
        assertArrayEquals(pattern(16, 42), fx.peerRead(j.peer(), 16));
    }

    // =========================================================================================================
    // RIORegisterBuffer: WSAEFAULT for bad memory, WSAEINVAL for a bad length

    /** RIORegisterBuffer of NULL (MemorySegment.NULL or a Java null): WSAEFAULT, "bad pointer". */
    @Test
    void registerNullIsFault() {
        assertWsa(WSAEFAULT, () -> fx.rio.registerBuffer(NULL, 16));
        assertWsa(WSAEFAULT, () -> fx.rio.registerBuffer(null, 16));
    }

    /** Heap memory can move: it cannot be registered. */
    @Test
    void registerHeapMemoryIsFault() {
        assertWsa(WSAEFAULT, () -> fx.rio.registerBuffer(MemorySegment.ofArray(new byte[64]), 64));
    }

    /** Memory of a closed Arena: WSAEFAULT, and the provider never touches it. */
    @Test
    void registerFreedMemoryIsFault() {
        MemorySegment freed;
        try (Arena arena = Arena.ofConfined()) {
            freed = arena.allocate(64);
        }
        assertWsa(WSAEFAULT, () -> fx.rio.registerBuffer(freed, 64));
    }

    /** A length beyond the segment (a negative DWORD is one) is WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE, 65})
    void registerBadLengthIsInvalid(int length) {
        MemorySegment memory = fx.arena.allocate(64);
        assertWsa(WSAEINVAL, () -> fx.rio.registerBuffer(memory, length));
    }

    // =========================================================================================================
    // Freed memory behind a registration or a RIO_BUF ("RIOSend function (mswsock.h)", WSAEFAULT: "... or a buffer is
    // freed ...")

    /** A registration whose memory was freed: the send and the receive are WSAEFAULT, nothing is touched. */
    @Test
    void requestsOnFreedRegisteredMemoryAreFault() throws Exception {
        Cq cq = fx.cq(4);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        long id;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = arena.allocate(64);
            id = fx.rio.registerBuffer(memory, 64);
        }
        try {
            assertWsa(WSAEFAULT, () -> fx.rio.send(j.rq(), fx.rioBuf(id, 0, 64), 1, 0, 1));
            assertWsa(WSAEFAULT, () -> fx.rio.receive(j.rq(), fx.rioBuf(id, 0, 64), 1, 0, 2));
            fx.assertNoCompletion(cq.handle());
        } finally {
            fx.rio.deregisterBuffer(id);
        }
    }

    /** A RIO_BUF in freed memory, or too small to be one, is an invalid pointer: WSAEFAULT. */
    @Test
    void rioBufInFreedOrShortMemoryIsFault() throws Exception {
        Cq cq = fx.cq(4);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 1));
        MemorySegment freedBuf;
        try (Arena arena = Arena.ofConfined()) {
            freedBuf = arena.allocate(RioLayouts.RIO_BUF);
        }
        assertBadPointer(fx.rio, () -> fx.rio.send(j.rq(), freedBuf, 1, 0, 1));
        MemorySegment shortBuf = fx.arena.allocate(8);
        assertBadPointer(fx.rio, () -> fx.rio.send(j.rq(), shortBuf, 1, 0, 1));
        MemorySegment heapBuf = MemorySegment.ofArray(new long[2]);
        assertBadPointer(fx.rio, () -> fx.rio.send(j.rq(), heapBuf, 1, 0, 1));
        assertBadPointer(fx.rio, () -> fx.rio.receive(j.rq(), freedBuf, 1, 0, 1));
        fx.assertNoCompletion(cq.handle());
        // The registration itself is still good.
        fx.rio.send(j.rq(), fx.rioBuf(out), 1, 0, 2);
        assertEquals(2, fx.await1(cq.handle()).requestContext());
        fx.peerRead(j.peer(), 16);
    }

    /** Negative Offset or Length in a RIO_BUF (huge as ULONGs) lie outside the registration. */
    @ParameterizedTest
    @ValueSource(strings = {"-1,8", "0,-1", "-16,16", "2147483647,1"})
    void negativeOrHugeSliceIsRefused(String slice) throws Exception {
        int offset = Integer.parseInt(slice.split(",")[0]);
        int length = Integer.parseInt(slice.split(",")[1]);
        Cq cq = fx.cq(4);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered r = fx.register(64);
        assertRefused(fx.rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx.rio.send(j.rq(), fx.rioBuf(r, offset, length), 1, 0, 1), WSAEFAULT, WSAEINVAL);
        assertRefused(fx.rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx.rio.receive(j.rq(), fx.rioBuf(r, offset, length), 1, 0, 1), WSAEFAULT, WSAEINVAL);
        fx.assertNoCompletion(cq.handle());
    }

    /** A RIOSendEx address slice too short for a SOCKADDR_INET, or holding no known family, is refused. */
    @Test
    void badSendExAddressIsRefused() throws Exception {
        Cq cq = fx.cq(4);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 1);
        Registered data = fx.register(pattern(8, 1));
        Registered addr = fx.register(64);
        SockaddrInet.write(addr.memory(), 0, new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsaOneOf(() -> fx.rio.sendEx(udp[1], fx.rioBuf(data), 1, NULL, fx.rioBuf(addr, 0, 4),
                NULL, NULL, 0, 1), WSAEFAULT, WSAEINVAL);
        Registered garbage = fx.register(32, 0x7F);
        assertWsa(WSAEINVAL, () -> fx.rio.sendEx(udp[1], fx.rioBuf(data), 1, NULL, fx.rioBuf(garbage),
                NULL, NULL, 0, 1));
        fx.assertNoCompletion(cq.handle());
    }

    /** A RIOReceiveEx address slice shorter than SOCKADDR_INET (28 bytes) is refused. */
    @Test
    void shortReceiveExAddressIsRefused() throws Exception {
        Cq cq = fx.cq(4);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 1);
        Registered in = fx.register(64);
        Registered addr = fx.register(64);
        assertWsaOneOf(() -> fx.rio.receiveEx(udp[1], fx.rioBuf(in), 1, NULL,
                fx.rioBuf(addr, 0, 16), NULL, NULL, 0, 1), WSAEFAULT, WSAEINVAL);
    }

    // =========================================================================================================
    // Invalid and closed handles

    /** A request queue handle that is NULL or was never handed out: WSAEINVAL ("SocketQueue ... not valid"). */
    @ParameterizedTest
    @ValueSource(longs = {RioConstants.RIO_INVALID_RQ, BOGUS, -1L})
    void requestsOnAnInvalidRequestQueueAreInvalid(long rq) throws Exception {
        Registered r = fx.register(16);
        assertWsa(WSAEINVAL, () -> fx.rio.send(rq, fx.rioBuf(r), 1, 0, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.receive(rq, fx.rioBuf(r), 1, 0, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.send(rq, NULL, 0, RIO_MSG_COMMIT_ONLY, 0));
        assertWsa(WSAEINVAL, () -> fx.rio.sendEx(rq, fx.rioBuf(r), 1, NULL, NULL, NULL, NULL, 0, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.receiveEx(rq, fx.rioBuf(r), 1, NULL, NULL, NULL, NULL, 0, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.resizeRequestQueue(rq, 1, 1));
    }

    /** A completion queue handle that is NULL or was never handed out: every CQ call is WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(longs = {RioConstants.RIO_INVALID_CQ, BOGUS, -1L})
    void callsOnAnInvalidCompletionQueueAreInvalid(long cq) {
        MemorySegment array = fx.arena.allocate(RioLayouts.RIORESULT, 4);
        assertWsa(WSAEINVAL, () -> fx.rio.dequeueCompletion(cq, array, 4));
        assertEquals(WSAEINVAL, fx.rio.notify(cq));
        assertWsa(WSAEINVAL, () -> fx.rio.resizeCompletionQueue(cq, 8));
        fx.rio.closeCompletionQueue(cq); // "An invalid CQ is ignored."
    }

    /** Deregistering an ID twice, or one never handed out, is ignored ("An invalid ID is ignored"). */
    @Test
    void deregisteringAnInvalidIdIsIgnored() throws Exception {
        Registered r = fx.register(16);
        fx.deregister(r);
        fx.rio.deregisterBuffer(r.id());
        fx.rio.deregisterBuffer(BOGUS);
        fx.rio.deregisterBuffer(RioConstants.RIO_INVALID_BUFFERID);
    }

    /** A closed completion queue closed again is ignored. */
    @Test
    void closingACompletionQueueTwiceIsIgnored() throws Exception {
        long cq = fx.polledCq(4);
        fx.closeCq(cq);
        if (RioRules.isChecked(fx.rio)) {
            // On Windows a closed RIO_CQ is a freed pointer, not "an invalid CQ": RioRules refuses the second close.
            RioRuleViolation v = assertThrows(RioRuleViolation.class, () -> fx.rio.closeCompletionQueue(cq));
            assertEquals(RioRules.Rule.USE_AFTER_CLOSE, v.rule());
        } else {
            fx.rio.closeCompletionQueue(cq);
        }
    }

    /** RIOCreateRequestQueue on something that is not a socket: WSAENOTSOCK. */
    @Test
    void requestQueueOnANonSocketIsNotASocket() throws Exception {
        long cq = fx.polledCq(4);
        assertWsa(WSAENOTSOCK, () -> fx.rio.createRequestQueue(BOGUS, 1, 1, 1, 1, cq, cq, 1));
    }

    /** Socket calls on a handle that is not a socket (never one, or already closed): WSAENOTSOCK. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void socketCallsOnANonSocketAreNotASocket(boolean closedSocket) throws Exception {
        long s;
        if (closedSocket) {
            s = fx.socket(Family.IPV4, SOCK_STREAM);
            fx.closeSocket(s);
        } else {
            s = BOGUS;
        }
        InetSocketAddress any = Family.IPV4.any();
        assertWsa(WSAENOTSOCK, () -> fx.sockets.bind(s, any));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.listen(s, 1));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.localAddress(s));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.getOption(s, RioSocketOption.SO_RCVBUF));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.setOption(s, RioSocketOption.TCP_NODELAY, 1));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.shutdown(s, RioConstants.SD_BOTH));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.accept(s, fx.port, 1, 1));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.connect(s, any, fx.port, 1, 1));
        assertWsa(WSAENOTSOCK, () -> fx.sockets.close(s));
    }

    // =========================================================================================================
    // Sizes and counts

    /** A negative queue size is a huge DWORD: WSAEINVAL (above RIO_MAX_CQ_SIZE). */
    @Test
    void negativeCompletionQueueSizesAreInvalid() throws Exception {
        assertWsa(WSAEINVAL, () -> fx.rio.createCompletionQueue(-1, NULL));
        long cq = fx.polledCq(4);
        assertWsa(WSAEINVAL, () -> fx.rio.resizeCompletionQueue(cq, -1));
        assertWsa(WSAEINVAL, () -> fx.rio.resizeCompletionQueue(cq, 0));
    }

    /** RIO_NOTIFICATION_COMPLETION that is freed, too short, or of an unknown type is refused. */
    @Test
    void badNotificationCompletionIsRefused() {
        MemorySegment freed;
        try (Arena arena = Arena.ofConfined()) {
            freed = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        }
        assertWsa(WSAEFAULT, () -> fx.rio.createCompletionQueue(4, freed));
        assertWsa(WSAEFAULT, () -> fx.rio.createCompletionQueue(4, fx.arena.allocate(8)));
        MemorySegment unknownType = fx.arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(unknownType, 0L, 7);
        assertWsa(WSAEINVAL, () -> fx.rio.createCompletionQueue(4, unknownType));
        MemorySegment noOverlapped = fx.arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(noOverlapped, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(noOverlapped, 0L,
                MemorySegment.ofAddress(fx.port.handle()));
        // "With RIO_IOCP_COMPLETION, Iocp.Overlapped must not be NULL."
        assertWsa(WSAEINVAL, () -> fx.rio.createCompletionQueue(4, noOverlapped));
    }

    /** A RIORESULT array that is NULL, freed or shorter than ArraySize is never written: refused. */
    @Test
    void badDequeueArrayIsRefused() throws Exception {
        long cq = fx.polledCq(4);
        MemorySegment freed;
        try (Arena arena = Arena.ofConfined()) {
            freed = arena.allocate(RioLayouts.RIORESULT, 4);
        }
        assertWsa(WSAEFAULT, () -> fx.rio.dequeueCompletion(cq, NULL, 4));
        assertWsa(WSAEFAULT, () -> fx.rio.dequeueCompletion(cq, freed, 4));
        MemorySegment two = fx.arena.allocate(RioLayouts.RIORESULT, 2);
        assertWsa(WSAEFAULT, () -> fx.rio.dequeueCompletion(cq, two, 3));
        // A negative ArraySize is a huge ULONG: larger than the array (WSAEFAULT) or simply invalid (WSAEINVAL).
        assertWsaOneOf(() -> fx.rio.dequeueCompletion(cq, two, -1), WSAEFAULT, WSAEINVAL);
    }

    /** Negative outstanding counts are huge ULONGs: no completion queue has room for them. */
    @Test
    void negativeRequestQueueCountsAreRefused() throws Exception {
        long cq = fx.polledCq(8);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(s, Family.IPV4.any());
        RioAssertions.assertWsaOneOf(() -> fx.rio.createRequestQueue(s, -1, 1, 1, 1, cq, cq, 1),
                WsaError.WSAENOBUFS, WSAEINVAL);
        RioAssertions.assertWsaOneOf(() -> fx.rio.createRequestQueue(s, 1, 1, -1, 1, cq, cq, 1),
                WsaError.WSAENOBUFS, WSAEINVAL);
        long rq = fx.rio.createRequestQueue(s, 1, 1, 1, 1, cq, cq, 1);
        RioAssertions.assertWsaOneOf(() -> fx.rio.resizeRequestQueue(rq, -1, 1), WsaError.WSAENOBUFS, WSAEINVAL);
    }

    // =========================================================================================================
    // Java arguments: IllegalArgumentException (RioSockets Javadoc: "invalid arguments (null, negative, out of
    // range) are IllegalArgumentExceptions")

    /** An address family other than AF_INET / AF_INET6 (Winsock: WSAEAFNOSUPPORT). */
    @ParameterizedTest
    @ValueSource(ints = {99, 10, 0, -1})
    void socketWithUnknownFamilyIsRefused(int family) {
        // 10 is Linux's AF_INET6, not the model's 23: the model speaks Windows' families only.
        assertIllegalOrWsa(() -> fx.sockets.socket(family, SOCK_STREAM), WsaError.WSAEAFNOSUPPORT);
    }

    /** A socket type other than SOCK_STREAM / SOCK_DGRAM (Winsock: WSAESOCKTNOSUPPORT, 10044, or WSAEINVAL). */
    @ParameterizedTest
    @ValueSource(ints = {3, 0, -1})
    void socketWithUnknownTypeIsRefused(int type) {
        assertIllegalOrWsa(() -> fx.sockets.socket(RioConstants.AF_INET, type), WSAEINVAL, 10044);
    }

    /** A null or unresolved address for bind or connect. */
    @Test
    void nullAddressesAreIllegal() throws Exception {
        long s = fx.socket(Family.IPV4, SOCK_STREAM);
        assertIllegalArgument(() -> fx.sockets.bind(s, null));
        assertIllegalArgument(() -> fx.sockets.connect(s, null, fx.port, 1, 1));
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 80);
        assertIllegalArgument(() -> fx.sockets.bind(s, unresolved));
        assertIllegalArgument(() -> fx.sockets.connect(s, unresolved, fx.port, 1, 1));
    }

    /** A null port for accept or connect: "invalid arguments (null, ...) are IllegalArgumentExceptions". */
    @Test
    void nullPortIsIllegal() throws Exception {
        long l = fx.listener(Family.IPV4);
        assertIllegalArgument(() -> fx.sockets.accept(l, null, 1, 1));
        long s = fx.socket(Family.IPV4, SOCK_STREAM);
        assertIllegalArgument(() -> fx.sockets.connect(s, fx.sockets.localAddress(l), null, 1, 1));
    }

    /** A null option for getOption or setOption. */
    @Test
    void nullOptionIsIllegal() throws Exception {
        long s = fx.socket(Family.IPV4, SOCK_STREAM);
        assertIllegalArgument(() -> fx.sockets.getOption(s, null));
        assertIllegalArgument(() -> fx.sockets.setOption(s, null, 1));
    }

    /** shutdown with a {@code how} other than SD_RECEIVE, SD_SEND, SD_BOTH (Winsock: WSAEINVAL). */
    @ParameterizedTest
    @ValueSource(ints = {3, -1})
    void shutdownWithUnknownHowIsRefused(int how) throws Exception {
        long s = fx.socket(Family.IPV4, SOCK_STREAM);
        assertIllegalOrWsa(() -> fx.sockets.shutdown(s, how), WSAEINVAL);
    }

    /** listen with a negative backlog: "negative ... are IllegalArgumentExceptions" (Winsock: WSAEINVAL). */
    @Test
    void listenWithNegativeBacklogIsRefused() throws Exception {
        long s = fx.socket(Family.IPV4, SOCK_STREAM);
        fx.sockets.bind(s, Family.IPV4.any());
        assertIllegalOrWsa(() -> fx.sockets.listen(s, -1), WSAEINVAL);
    }

    /** A null batch for a port wait, and a batch of capacity 0. */
    @Test
    void nullBatchIsIllegal() {
        assertIllegalArgument(() -> fx.port.getQueuedCompletionStatus(null, 0));
        assertIllegalArgument(() -> new PortCompletions(0));
    }

    // =========================================================================================================
    // A closed port

    /** A closed port: waits fail with ERROR_ABANDONED_WAIT_0, posts with a RioException, a second close is quiet. */
    @Test
    void closedPortRefusesWaitsAndPosts() throws Exception {
        Port other = fx.provider.openPort();
        other.close();
        PortCompletions batch = new PortCompletions(4);
        assertWsa(WsaError.ERROR_ABANDONED_WAIT_0, () -> other.getQueuedCompletionStatus(batch, 0));
        assertWsa(WsaError.ERROR_ABANDONED_WAIT_0, () -> other.getQueuedCompletionStatus(batch, 1_000_000));
        assertThrows(RioException.class, () -> other.post(1, 1));
        other.close();
    }
}
