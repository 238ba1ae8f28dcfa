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
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.PortEntry;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DONT_NOTIFY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static io.nettyrio.rio.WsaError.WSAEALREADY;
import static io.nettyrio.rio.WsaError.WSAEFAULT;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.WsaError.WSAENOBUFS;
import static io.nettyrio.rio.rules.RioRules.Rule.SLICE_OUTSIDE_REGISTRATION;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_BUFFER;
import static io.nettyrio.rio.rules.RioRules.Rule.USE_AFTER_CLOSE;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertRefused;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsaOneOf;
import static io.nettyrio.testsuite.conformance.RioFixture.KEY_CQ;
import static io.nettyrio.testsuite.conformance.RioFixture.KEY_WAKE;
import static io.nettyrio.testsuite.conformance.RioFixture.QUIET_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite of the RIO model: every rule, flag and error code that Microsoft documents for the RIO
 * functions ({@code rio-reference.md} section 2 and the seed, the {@code RIOSend} reference page), plus the
 * {@link io.nettyrio.rio.Port} and {@link io.nettyrio.rio.RioSockets} contracts of the model's Javadoc. Each case
 * names, in its comment, the sentence of the documentation it checks.
 *
 * <p>A subclass says which {@link RioProvider} to check. The suite uses only the model's interfaces and loopback
 * sockets, nothing of one operating system, so it runs unchanged against the io_uring provider here and against
 * real RIO on Windows. Bad input (invalid handles, freed memory, nulls) is checked by {@link RioBadInputSuite}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RioConformanceSuite {

    /** The provider under test. Called once per case. */
    protected abstract RioProvider provider() throws Exception;

    RioFixture fx;

    @BeforeEach
    void openFixture() throws Exception {
        fx = new RioFixture(provider());
    }

    @AfterEach
    void closeFixture() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    // =========================================================================================================
    // pData and DataBufferCount (seed: "pData ... may be NULL for a bound registered I/O UDP socket ...
    // DataBufferCount ... should be set to zero if the pData is NULL. Otherwise, this parameter should be set to 1")

    /** pData NULL with count 0 on a UDP socket sends an empty datagram, and its send completes with 0 bytes. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void udpSendWithNullDataSendsAnEmptyDatagram(Family family) throws Exception {
        Cq cq = fx.cq(8);
        DatagramSocket peer = fx.track(new DatagramSocket(family.any()));
        peer.setSoTimeout((int) TIMEOUT_MILLIS);
        long[] udp = fx.udp(family, cq.handle(), 1, 1, 0x5);
        fx.sockets.connectDatagram(udp[0], (InetSocketAddress) peer.getLocalSocketAddress());

        long ctx = fx.context();
        fx.rio.send(udp[1], NULL, 0, 0, ctx);

        Result r = fx.await1(cq.handle());
        assertStatus(0, r.status(), "empty datagram send");
        assertEquals(0, r.bytes());
        assertEquals(ctx, r.requestContext());
        DatagramPacket p = new DatagramPacket(new byte[16], 16);
        peer.receive(p);
        assertEquals(0, p.getLength(), "the datagram is empty");
        assertEquals(fx.sockets.localAddress(udp[0]).getPort(), p.getPort(), "it comes from the RIO socket");
    }

    /** The same through RIOSendEx on an unconnected UDP socket, the destination in a registered slice. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void udpSendExWithNullDataSendsAnEmptyDatagram(Family family) throws Exception {
        Cq cq = fx.cq(8);
        DatagramSocket peer = fx.track(new DatagramSocket(family.any()));
        peer.setSoTimeout((int) TIMEOUT_MILLIS);
        long[] udp = fx.udp(family, cq.handle(), 1, 1, 0x5);
        Registered addr = fx.register(SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, (InetSocketAddress) peer.getLocalSocketAddress());

        fx.rio.sendEx(udp[1], NULL, 0, NULL, fx.rioBuf(addr), NULL, NULL, 0, fx.context());

        assertStatus(0, fx.await1(cq.handle()).status(), "empty datagram sendEx");
        DatagramPacket p = new DatagramPacket(new byte[16], 16);
        peer.receive(p);
        assertEquals(0, p.getLength());
    }

    /** pData NULL is only for UDP: on TCP it is WSAEINVAL, and nothing completes. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void tcpSendWithNullDataIsInvalid(Family family) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(family, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), NULL, 0, 0, fx.context()));
        fx.assertNoCompletion(cq.handle());
    }

    /** pData NULL with DataBufferCount 1 is WSAEINVAL. */
    @Test
    void nullDataWithCountOneIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        fx.sockets.connectDatagram(udp[0], new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAEINVAL, () -> fx.rio.send(udp[1], NULL, 1, 0, fx.context()));
        fx.assertNoCompletion(cq.handle());
    }

    /** A RIO_BUF with DataBufferCount 0 or 2 is WSAEINVAL, for sends and receives. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void dataWithCountOtherThanOneIsInvalid(int count) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 1));
        Registered in = fx.register(16);
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), fx.rioBuf(out), count, 0, fx.context()));
        assertWsa(WSAEINVAL, () -> fx.rio.receive(p.rqB(), fx.rioBuf(in), count, 0, fx.context()));
        fx.assertNoCompletion(cq.handle());
    }

    /** A receive needs a buffer: pData NULL without COMMIT_ONLY is WSAEINVAL (model Javadoc of receive). */
    @Test
    void receiveWithNullDataIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.receive(p.rqA(), NULL, 0, 0, fx.context()));
    }

    // =========================================================================================================
    // Flags (seed: RIO_MSG_COMMIT_ONLY "... the pData and RequestContext parameters must be NULL and the
    // DataBufferCount parameter must be zero"; WSAEINVAL "if ... the Flags parameter contains a value not valid for
    // a send operation")

    /** COMMIT_ONLY with data is WSAEINVAL. */
    @Test
    void commitOnlyWithDataIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), fx.rioBuf(out), 1, RIO_MSG_COMMIT_ONLY, 0));
        Registered in = fx.register(16);
        assertWsa(WSAEINVAL, () -> fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, RIO_MSG_COMMIT_ONLY, 0));
        fx.assertNoCompletion(cq.handle());
    }

    /** COMMIT_ONLY with a request context is WSAEINVAL. */
    @Test
    void commitOnlyWithContextIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY, 42));
        assertWsa(WSAEINVAL, () -> fx.rio.receive(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY, 42));
    }

    /** COMMIT_ONLY must be the only flag. */
    @ParameterizedTest
    @ValueSource(ints = {RIO_MSG_DEFER, RIO_MSG_DONT_NOTIFY, RIO_MSG_DEFER | RIO_MSG_DONT_NOTIFY})
    void commitOnlyWithAnotherFlagIsInvalid(int other) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY | other, 0));
    }

    /** COMMIT_ONLY on RIOSendEx: "all five pointers and RequestContext must be NULL". */
    @Test
    void commitOnlySendExWithAddressIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered addr = fx.register(SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAEINVAL, () -> fx.rio.sendEx(udp[1], NULL, 0, NULL, fx.rioBuf(addr), NULL, NULL,
                RIO_MSG_COMMIT_ONLY, 0));
    }

    /** Flags a send does not know (0x10, 0x80000000) and WAITALL (receive only) are WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x80000000, RIO_MSG_WAITALL})
    void invalidSendFlagsAreInvalid(int flags) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.send(p.rqA(), fx.rioBuf(out), 1, flags, fx.context()));
        fx.assertNoCompletion(cq.handle());
    }

    /** Flags a receive does not know are WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x100})
    void invalidReceiveFlagsAreInvalid(int flags) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(16);
        assertWsa(WSAEINVAL, () -> fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, flags, fx.context()));
    }

    /** RIOSendEx: "pLocalAddress is reserved and must be NULL". */
    @Test
    void sendExWithLocalAddressIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered addr = fx.register(2 * SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, new InetSocketAddress(Family.IPV4.loopback, 9));
        SockaddrInet.write(addr.memory(), SockaddrInet.SIZE, fx.sockets.localAddress(udp[0]));
        Registered data = fx.register(pattern(8, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.sendEx(udp[1], fx.rioBuf(data), 1,
                fx.rioBuf(addr, SockaddrInet.SIZE, SockaddrInet.SIZE), fx.rioBuf(addr, 0, SockaddrInet.SIZE),
                NULL, NULL, 0, fx.context()));
    }

    // =========================================================================================================
    // Buffers (seed, WSAEFAULT: "returned if a buffer identifier is deregistered or a buffer is freed for any of
    // the RIO_BUF structures passed in parameters before the operation is queued or invoked")

    /** A send from a deregistered buffer is WSAEFAULT. */
    @Test
    void sendFromDeregisteredBufferIsFault() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(16, 1));
        fx.deregister(out);
        assertRefused(fx.rio, UNKNOWN_BUFFER, () -> fx.rio.send(p.rqA(), fx.rioBuf(out), 1, 0, fx.context()),
                WSAEFAULT);
        fx.assertNoCompletion(cq.handle());
    }

    /** A receive into a deregistered buffer is WSAEFAULT. */
    @Test
    void receiveIntoDeregisteredBufferIsFault() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(16);
        fx.deregister(in);
        assertRefused(fx.rio, UNKNOWN_BUFFER,
                () -> fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, fx.context()), WSAEFAULT);
    }

    /** A BufferId that was never registered (including RIO_INVALID_BUFFERID) is WSAEFAULT. */
    @ParameterizedTest
    @ValueSource(longs = {RioConstants.RIO_INVALID_BUFFERID, 0x7654321L, 0L})
    void unknownBufferIdIsFault(long bufferId) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertRefused(fx.rio, UNKNOWN_BUFFER,
                () -> fx.rio.send(p.rqA(), fx.rioBuf(bufferId, 0, 8), 1, 0, fx.context()), WSAEFAULT);
        assertRefused(fx.rio, UNKNOWN_BUFFER,
                () -> fx.rio.receive(p.rqA(), fx.rioBuf(bufferId, 0, 8), 1, 0, fx.context()), WSAEFAULT);
    }

    /**
     * "Any buffer completely contained within a single registered buffer": a slice reaching outside its
     * registration is refused (the documentation gives no code; WSAEFAULT or WSAEINVAL are the two it could be).
     */
    @ParameterizedTest
    @ValueSource(strings = {"0,65", "64,1", "63,2", "1,64"})
    void sliceOutsideRegistrationIsRefused(String slice) throws Exception {
        int offset = Integer.parseInt(slice.split(",")[0]);
        int length = Integer.parseInt(slice.split(",")[1]);
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx.register(pattern(64, 1));
        Registered in = fx.register(64);
        assertRefused(fx.rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx.rio.send(p.rqA(), fx.rioBuf(out, offset, length), 1, 0, fx.context()), WSAEFAULT, WSAEINVAL);
        assertRefused(fx.rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx.rio.receive(p.rqB(), fx.rioBuf(in, offset, length), 1, 0, fx.context()),
                WSAEFAULT, WSAEINVAL);
        fx.assertNoCompletion(cq.handle());
    }

    /** RIORegisterBuffer: "WSAEINVAL ... DataLength == 0". */
    @Test
    void registeringZeroBytesIsInvalid() throws Exception {
        MemorySegment memory = fx.arena.allocate(64);
        assertWsa(WSAEINVAL, () -> fx.rio.registerBuffer(memory, 0));
    }

    /** A slice at the very end of its registration is fine, and only its bytes are sent. */
    @Test
    void sliceAtTheEndOfItsRegistrationIsSent() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        byte[] data = pattern(64, 3);
        Registered out = fx.register(data);
        fx.rio.send(j.rq(), fx.rioBuf(out, 40, 24), 1, 0, fx.context());
        assertEquals(24, fx.await1(cq.handle()).bytes());
        assertArrayEquals(Arrays.copyOfRange(data, 40, 64), fx.peerRead(j.peer(), 24));
    }

    /** Registering the same memory twice gives two distinct BufferIds, both usable (ctsTraffic's pattern). */
    @Test
    void sameMemoryRegisteredTwiceGivesTwoIds() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        byte[] data = pattern(32, 4);
        Registered first = fx.register(data);
        long second = fx.rio.registerBuffer(first.memory(), 32);
        try {
            assertNotEquals(first.id(), second);
            assertNotEquals(RioConstants.RIO_INVALID_BUFFERID, second);
            fx.rio.send(j.rq(), fx.rioBuf(first.id(), 0, 16), 1, RIO_MSG_DEFER, 1);
            fx.rio.send(j.rq(), fx.rioBuf(second, 16, 16), 1, 0, 2);
            assertEquals(2, fx.await(cq.handle(), 2).size());
            assertArrayEquals(data, fx.peerRead(j.peer(), 32));
        } finally {
            fx.rio.deregisterBuffer(second);
        }
    }

    // =========================================================================================================
    // RIO_MSG_DEFER and RIO_MSG_COMMIT_ONLY (seed: DEFER "... the request ... is not executed until ... a send
    // without the RIO_MSG_DEFER flag set"; COMMIT_ONLY triggers "all sends in a send queue")

    /** Deferred sends do not go out; a later send without DEFER sends them all, in order. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void deferredSendsWaitForASendWithoutDefer(Family family) throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(family, cq.handle(), 1, 4);
        Registered[] out = new Registered[4];
        for (int i = 0; i < 4; i++) {
            out[i] = fx.register(pattern(100, i));
        }
        for (int i = 0; i < 3; i++) {
            fx.rio.send(j.rq(), fx.rioBuf(out[i]), 1, RIO_MSG_DEFER, 100 + i);
        }
        fx.assertPeerQuiet(j.peer());
        fx.assertNoCompletion(cq.handle());

        fx.rio.send(j.rq(), fx.rioBuf(out[3]), 1, 0, 103);

        byte[] got = fx.peerRead(j.peer(), 400);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(pattern(100, i), Arrays.copyOfRange(got, i * 100, i * 100 + 100), "send " + i);
        }
        List<Result> done = fx.await(cq.handle(), 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(100 + i, done.get(i).requestContext(), "sends complete in order");
            assertStatus(0, done.get(i).status(), "send " + i);
            assertEquals(100, done.get(i).bytes());
        }
    }

    /** Deferred sends wait for COMMIT_ONLY, which itself completes nothing. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void deferredSendsWaitForCommitOnly(Family family) throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(family, cq.handle(), 1, 3);
        for (int i = 0; i < 3; i++) {
            fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(50, i))), 1, RIO_MSG_DEFER, 200 + i);
        }
        fx.assertPeerQuiet(j.peer());

        fx.rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);

        byte[] got = fx.peerRead(j.peer(), 150);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pattern(50, i), Arrays.copyOfRange(got, i * 50, i * 50 + 50));
        }
        List<Result> done = fx.await(cq.handle(), 3);
        assertEquals(List.of(200L, 201L, 202L), done.stream().map(Result::requestContext).toList());
        fx.assertNoCompletion(cq.handle());
    }

    /** COMMIT_ONLY "do[es] not need to be serialized": it may come from another thread. */
    @Test
    void commitOnlyFromAnotherThread() throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(64, 1))), 1, RIO_MSG_DEFER, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(64, 2))), 1, RIO_MSG_DEFER, 2);
        fx.assertPeerQuiet(j.peer());

        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> commit = other.submit(() -> {
                fx.rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
                return null;
            });
            commit.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            other.shutdownNow();
        }
        byte[] got = fx.peerRead(j.peer(), 128);
        assertArrayEquals(pattern(64, 1), Arrays.copyOfRange(got, 0, 64));
        assertArrayEquals(pattern(64, 2), Arrays.copyOfRange(got, 64, 128));
        assertEquals(2, fx.await(cq.handle(), 2).size());
    }

    /** COMMIT_ONLY with nothing deferred is accepted, sends nothing and completes nothing. */
    @Test
    void commitOnlyWithNothingDeferredDoesNothing() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx.rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        fx.rio.receive(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        fx.assertPeerQuiet(j.peer());
        fx.assertNoCompletion(cq.handle());
    }

    /** A deferred receive is not started before a commit; RIOReceive with COMMIT_ONLY starts it. */
    @Test
    void deferredReceiveWaitsForCommit() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(64);
        fx.rio.receive(j.rq(), fx.rioBuf(in), 1, RIO_MSG_DEFER, 77);
        j.peer().getOutputStream().write(pattern(10, 5));
        fx.assertNoCompletion(cq.handle());

        fx.rio.receive(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);

        Result r = fx.await1(cq.handle());
        assertEquals(77, r.requestContext());
        assertEquals(10, r.bytes());
        assertArrayEquals(pattern(10, 5), bytes(in, 0, 10));
    }

    // =========================================================================================================
    // Outstanding capacity (seed: "The send request is charged against the outstanding I/O capacity on the RIO_RQ
    // ... regardless of whether RIO_MSG_DEFER is set"; RIODequeueCompletion: "Only after a request's completion
    // has been dequeued does the system release ... its quota charge")

    /** MaxOutstandingSend deferred sends fill the queue: one more is WSAENOBUFS, deferred or not. */
    @Test
    void deferredSendsAreChargedAgainstCapacity() throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 4);
        for (int i = 0; i < 4; i++) {
            fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, i))), 1, RIO_MSG_DEFER, i);
        }
        Registered extra = fx.register(pattern(8, 9));
        assertWsa(WSAENOBUFS, () -> fx.rio.send(j.rq(), fx.rioBuf(extra), 1, RIO_MSG_DEFER, 9));
        assertWsa(WSAENOBUFS, () -> fx.rio.send(j.rq(), fx.rioBuf(extra), 1, 0, 9));

        fx.rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        assertEquals(List.of(0L, 1L, 2L, 3L), fx.await(cq.handle(), 4).stream().map(Result::requestContext)
                .toList(), "the four sends, and not the refused ones, complete");
        fx.assertNoCompletion(cq.handle());
        fx.peerRead(j.peer(), 32);
    }

    /** Capacity comes back when the completion is dequeued, not when the send is done. */
    @Test
    void capacityReturnsOnlyAfterDequeue() throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, 0, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, 0, 2);
        fx.peerRead(j.peer(), 16);
        // Both sends are done (the peer has every byte), but not yet dequeued: still charged.
        Thread.sleep(50);
        Registered third = fx.register(pattern(8, 3));
        assertWsa(WSAENOBUFS, () -> fx.rio.send(j.rq(), fx.rioBuf(third), 1, 0, 3));

        assertEquals(1, fx.await(cq.handle(), 1).get(0).requestContext());
        fx.rio.send(j.rq(), fx.rioBuf(third), 1, 0, 3);
        assertArrayEquals(pattern(8, 3), fx.peerRead(j.peer(), 8));
        assertEquals(List.of(2L, 3L), fx.await(cq.handle(), 2).stream().map(Result::requestContext).toList());
    }

    /** MaxOutstandingReceive bounds the receives posted. */
    @Test
    void receivesAreChargedAgainstCapacity() throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 2, 1);
        Registered in = fx.register(3 * 16);
        fx.rio.receive(j.rq(), fx.rioBuf(in, 0, 16), 1, 0, 1);
        fx.rio.receive(j.rq(), fx.rioBuf(in, 16, 16), 1, 0, 2);
        assertWsa(WSAENOBUFS, () -> fx.rio.receive(j.rq(), fx.rioBuf(in, 32, 16), 1, 0, 3));
    }

    /** WSAENOBUFS: "... the I/O completion queue was created with zero send entries" (and receive entries). */
    @Test
    void requestQueueWithoutSendOrReceiveEntriesRefusesThem() throws Exception {
        Cq cq = fx.cq(8);
        Registered buf = fx.register(16);
        long[] sendOnly = fx.udp(Family.IPV4, cq.handle(), 0, 1, 1);
        assertWsa(WSAENOBUFS, () -> fx.rio.receive(sendOnly[1], fx.rioBuf(buf), 1, 0, 1));

        long[] receiveOnly = fx.udp(Family.IPV4, cq.handle(), 1, 0, 2);
        fx.sockets.connectDatagram(receiveOnly[0], new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAENOBUFS, () -> fx.rio.send(receiveOnly[1], fx.rioBuf(buf), 1, 0, 1));
        fx.assertNoCompletion(cq.handle());
    }

    /** RIOResizeRequestQueue raises the outstanding capacity. */
    @Test
    void resizeRequestQueueRaisesCapacity() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        Registered second = fx.register(pattern(8, 2));
        assertWsa(WSAENOBUFS, () -> fx.rio.send(j.rq(), fx.rioBuf(second), 1, 0, 2));

        fx.rio.resizeRequestQueue(j.rq(), 1, 2);

        fx.rio.send(j.rq(), fx.rioBuf(second), 1, 0, 2);
        assertEquals(2, fx.await(cq.handle(), 2).size());
        fx.peerRead(j.peer(), 16);
    }

    /** RIOResizeRequestQueue: WSAEINVAL "... or both RQ values 0". */
    @Test
    void resizeRequestQueueToZeroIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.resizeRequestQueue(j.rq(), 0, 0));
    }

    // =========================================================================================================
    // Completion queue capacity (RIOCreateRequestQueue: "a socket may only be associated with a completion queue
    // ... if it guarantees not to exceed the capacity for total queued completions")

    /** A request queue that would overfill its completion queue is WSAENOBUFS; after a resize it fits. */
    @Test
    void requestQueueNeedsRoomInItsCompletionQueue() throws Exception {
        Cq cq = fx.cq(4);
        long[] first = fx.udp(Family.IPV4, cq.handle(), 2, 2, 1);
        long second = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(second, Family.IPV4.any());
        assertWsa(WSAENOBUFS,
                () -> fx.rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2));

        fx.rio.resizeCompletionQueue(cq.handle(), 6);

        long rq = fx.rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
        assertNotEquals(first[1], rq);
    }

    /** A queue used separately for receives and sends counts each side on its own queue. */
    @Test
    void receiveAndSendQueuesAreChargedSeparately() throws Exception {
        Cq receives = fx.cq(2);
        Cq sends = fx.cq(1);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(s, Family.IPV4.any());
        long rq = fx.rio.createRequestQueue(s, 2, 1, 1, 1, receives.handle(), sends.handle(), 1);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
        long t = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(t, Family.IPV4.any());
        assertWsa(WSAENOBUFS, () -> fx.rio.createRequestQueue(t, 0, 1, 1, 1, receives.handle(), sends.handle(), 2));
    }

    /** RIOResizeCompletionQueue: shrinking below what is in use fails (WSAETOOMANYREFS "cannot shrink yet"). */
    @Test
    void completionQueueCannotShrinkBelowItsUse() throws Exception {
        Cq cq = fx.cq(8);
        fx.udp(Family.IPV4, cq.handle(), 3, 3, 1);
        assertWsaOneOf(() -> fx.rio.resizeCompletionQueue(cq.handle(), 4),
                WsaError.WSAETOOMANYREFS, WSAENOBUFS, WSAEINVAL);
        fx.rio.resizeCompletionQueue(cq.handle(), 6);
    }

    /** RIOResizeCompletionQueue keeps the entries queued. */
    @Test
    void resizeKeepsQueuedCompletions() throws Exception {
        Cq cq = fx.cq(4);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, 0, 2);
        fx.peerRead(j.peer(), 16);
        Thread.sleep(50);
        fx.rio.resizeCompletionQueue(cq.handle(), 64);
        assertEquals(List.of(1L, 2L), fx.await(cq.handle(), 2).stream().map(Result::requestContext).toList());
    }

    /** closesocket frees the request queue and gives its completion-queue slots back. */
    @Test
    void closingASocketGivesItsCompletionQueueSlotsBack() throws Exception {
        Cq cq = fx.cq(2);
        long[] first = fx.udp(Family.IPV4, cq.handle(), 1, 1, 1);
        long second = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(second, Family.IPV4.any());
        assertWsa(WSAENOBUFS, () -> fx.rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2));
        fx.closeSocket(first[0]);
        long rq = fx.rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
    }

    /** RIOCreateCompletionQueue: WSAEINVAL for QueueSize < 1 or > RIO_MAX_CQ_SIZE. */
    @ParameterizedTest
    @ValueSource(ints = {0, RioConstants.RIO_MAX_CQ_SIZE + 1})
    void completionQueueSizeOutOfRangeIsInvalid(int size) {
        assertWsa(WSAEINVAL, () -> fx.rio.createCompletionQueue(size, NULL));
    }

    /** RIOResizeCompletionQueue: WSAEINVAL for a size above RIO_MAX_CQ_SIZE. */
    @Test
    void completionQueueResizeAboveMaximumIsInvalid() throws Exception {
        long cq = fx.polledCq(4);
        assertWsa(WSAEINVAL, () -> fx.rio.resizeCompletionQueue(cq, RioConstants.RIO_MAX_CQ_SIZE + 1));
    }

    // =========================================================================================================
    // RIOCreateRequestQueue arguments

    /** MaxReceiveDataBuffers and MaxSendDataBuffers must be 1. */
    @ParameterizedTest
    @ValueSource(strings = {"2,1", "1,2", "0,1", "1,0"})
    void dataBuffersOtherThanOneAreInvalid(String counts) throws Exception {
        int receiveBuffers = Integer.parseInt(counts.split(",")[0]);
        int sendBuffers = Integer.parseInt(counts.split(",")[1]);
        long cq = fx.polledCq(8);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(s, Family.IPV4.any());
        assertWsa(WSAEINVAL, () -> fx.rio.createRequestQueue(s, 1, receiveBuffers, 1, sendBuffers, cq, cq, 1));
        assertNotEquals(RioConstants.RIO_INVALID_RQ, fx.rio.createRequestQueue(s, 1, 1, 1, 1, cq, cq, 1),
                "the refused call left the socket usable");
    }

    /** WSAEINVAL: "both Max* are 0". */
    @Test
    void requestQueueWithNoCapacityIsInvalid() throws Exception {
        long cq = fx.polledCq(8);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(s, Family.IPV4.any());
        assertWsa(WSAEINVAL, () -> fx.rio.createRequestQueue(s, 0, 1, 0, 1, cq, cq, 1));
    }

    /** WSAEINVAL: "a CQ is RIO_INVALID_CQ" (either one), or a completion queue already closed. */
    @Test
    void requestQueueOnInvalidCompletionQueueIsInvalid() throws Exception {
        long cq = fx.polledCq(8);
        long closed = fx.polledCq(8);
        fx.closeCq(closed);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.sockets.bind(s, Family.IPV4.any());
        assertWsa(WSAEINVAL, () -> fx.rio.createRequestQueue(s, 1, 1, 1, 1, RioConstants.RIO_INVALID_CQ, cq, 1));
        assertWsa(WSAEINVAL, () -> fx.rio.createRequestQueue(s, 1, 1, 1, 1, cq, RioConstants.RIO_INVALID_CQ, 1));
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.createRequestQueue(s, 1, 1, 1, 1, closed, closed, 1),
                WSAEINVAL);
    }

    /** A socket has one request queue: a second RIOCreateRequestQueue on it is refused. */
    @Test
    void secondRequestQueueOnOneSocketIsInvalid() throws Exception {
        long cq = fx.polledCq(8);
        long[] udp = fx.udp(Family.IPV4, cq, 1, 1, 1);
        assertWsa(WSAEINVAL, () -> fx.rio.createRequestQueue(udp[0], 1, 1, 1, 1, cq, cq, 2));
    }

    /** WSAENOTSOCK for a handle that is not a socket (here: one already closed). */
    @Test
    void requestQueueOnClosedSocketIsNotASocket() throws Exception {
        long cq = fx.polledCq(8);
        long s = fx.socket(Family.IPV4, SOCK_DGRAM);
        fx.closeSocket(s);
        assertWsa(WsaError.WSAENOTSOCK, () -> fx.rio.createRequestQueue(s, 1, 1, 1, 1, cq, cq, 1));
    }

    /** After closesocket the request queue is gone: a send or receive on it is WSAEINVAL ("bad RQ"). */
    @Test
    void requestsOnTheQueueOfAClosedSocketAreInvalid() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        fx.closeSocket(p.a());
        Registered out = fx.register(pattern(8, 1));
        Registered in = fx.register(8);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.send(p.rqA(), fx.rioBuf(out), 1, 0, 1), WSAEINVAL);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, 1), WSAEINVAL);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.send(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0),
                WSAEINVAL);
    }

    /** A closed completion queue: dequeue is RIO_CORRUPT_CQ (WSAEINVAL), RIONotify and resize WSAEINVAL. */
    @Test
    void closedCompletionQueueIsInvalid() throws Exception {
        Cq cq = fx.cq(8);
        fx.closeCq(cq.handle());
        MemorySegment array = fx.arena.allocate(RioLayouts.RIORESULT, 4);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.dequeueCompletion(cq.handle(), array, 4), WSAEINVAL);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> {
            int code = fx.rio.notify(cq.handle());
            // RIONotify returns its error rather than throwing: turn it into the same shape for the assertion.
            if (code != 0) {
                throw new RioException("RIONotify", code);
            }
        }, WSAEINVAL);
        assertRefused(fx.rio, USE_AFTER_CLOSE, () -> fx.rio.resizeCompletionQueue(cq.handle(), 16), WSAEINVAL);
    }

    // =========================================================================================================
    // RIONotify ("Once a completion queue notification is issued, the application must call the RIONotify
    // function in order to receive another"; WSAEALREADY "a previous RIONotify request has not yet completed")

    /** One RIONotify, one notification, with the key and OVERLAPPED of the queue; none after it without a re-arm. */
    @Test
    void notifyFiresOnce() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        assertEquals(0, fx.rio.notify(cq.handle()));
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, 0, 1);

        PortEntry e = fx.awaitPort(KEY_CQ);
        assertEquals(cq.overlapped(), e.context(), "the notification carries Iocp.Overlapped");

        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, 0, 2);
        fx.peerRead(j.peer(), 16);
        assertNull(fx.pollPort(KEY_CQ, QUIET_MILLIS), "a second notification without a second RIONotify");
        assertEquals(2, fx.await(cq.handle(), 2).size());
    }

    /** A second RIONotify before the first fired is WSAEALREADY; after it fired, RIONotify arms again. */
    @Test
    void secondNotifyBeforeItFiresIsAlready() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        assertEquals(0, fx.rio.notify(cq.handle()));
        assertEquals(WSAEALREADY, fx.rio.notify(cq.handle()));
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, 0, 1);
        fx.awaitPort(KEY_CQ);
        assertEquals(1, fx.await(cq.handle(), 1).size());
        assertEquals(0, fx.rio.notify(cq.handle()), "re-armed after the notification fired");
        assertEquals(WSAEALREADY, fx.rio.notify(cq.handle()));
    }

    /** "If the CQ already holds a completion ... the notification fires right away." */
    @Test
    void notifyFiresAtOnceWhenACompletionIsQueued() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, 0, 1);
        fx.peerRead(j.peer(), 8);
        assertEquals(0, fx.rio.notify(cq.handle()));
        assertNotNull(fx.pollPort(KEY_CQ, TIMEOUT_MILLIS), "RIONotify on a non-empty queue fires");
        assertEquals(1, fx.await(cq.handle(), 1).size());
    }

    /** RIO_MSG_DONT_NOTIFY completions do not trigger RIONotify, but are dequeued; a later one does trigger it. */
    @Test
    void dontNotifyCompletionsDoNotTriggerNotify() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        assertEquals(0, fx.rio.notify(cq.handle()));
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, RIO_MSG_DONT_NOTIFY, 1);
        fx.peerRead(j.peer(), 8);
        assertNull(fx.pollPort(KEY_CQ, QUIET_MILLIS), "a DONT_NOTIFY completion triggered the notification");
        Result quiet = fx.await1(cq.handle());
        assertEquals(1, quiet.requestContext());
        assertStatus(0, quiet.status(), "DONT_NOTIFY send");

        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, 0, 2);
        assertNotNull(fx.pollPort(KEY_CQ, TIMEOUT_MILLIS), "the armed notification fires for a normal completion");
        assertEquals(2, fx.await1(cq.handle()).requestContext());
    }

    /** RIONotify on a queue that holds only DONT_NOTIFY completions does not fire: they "never trigger it". */
    @Test
    void notifyIgnoresQueuedDontNotifyCompletions() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, RIO_MSG_DONT_NOTIFY, 1);
        fx.peerRead(j.peer(), 8);
        assertEquals(0, fx.rio.notify(cq.handle()));
        assertNull(fx.pollPort(KEY_CQ, QUIET_MILLIS), "RIONotify fired for a DONT_NOTIFY completion");
        assertEquals(1, fx.await1(cq.handle()).requestContext());
    }

    /** Two queues notifying one port: each notification carries its own queue's key and OVERLAPPED. */
    @Test
    void notificationsOfTwoQueuesCarryTheirOwnKeys() throws Exception {
        Cq first = fx.cq(4, 0x101);
        Cq second = fx.cq(4, 0x102);
        JdkPeer j1 = fx.jdkPeer(Family.IPV4, first.handle(), 1, 1);
        JdkPeer j2 = fx.jdkPeer(Family.IPV4, second.handle(), 1, 1);
        assertEquals(0, fx.rio.notify(first.handle()));
        assertEquals(0, fx.rio.notify(second.handle()));
        fx.rio.send(j2.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, 0, 2);
        PortEntry e2 = fx.awaitPort(0x102);
        assertEquals(second.overlapped(), e2.context());
        assertNull(fx.pollPort(0x101, QUIET_MILLIS), "the idle queue notified");
        fx.rio.send(j1.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, 0, 1);
        PortEntry e1 = fx.awaitPort(0x101);
        assertEquals(first.overlapped(), e1.context());
        assertEquals(1, fx.await1(first.handle()).requestContext());
        assertEquals(2, fx.await1(second.handle()).requestContext());
        fx.peerRead(j1.peer(), 8);
        fx.peerRead(j2.peer(), 8);
    }

    /** A DONT_NOTIFY receive does not trigger RIONotify either. */
    @Test
    void dontNotifyReceiveDoesNotTriggerNotify() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(16);
        fx.rio.receive(j.rq(), fx.rioBuf(in), 1, RIO_MSG_DONT_NOTIFY, 5);
        assertEquals(0, fx.rio.notify(cq.handle()));
        j.peer().getOutputStream().write(pattern(16, 1));
        assertNull(fx.pollPort(KEY_CQ, QUIET_MILLIS));
        Result r = fx.await1(cq.handle());
        assertEquals(16, r.bytes());
    }

    // =========================================================================================================
    // RIODequeueCompletion and RIORESULT

    /** At most ArraySize results, oldest first; the rest stay queued; an empty queue gives 0. */
    @Test
    void dequeueReturnsAtMostTheNumberAskedInOrder() throws Exception {
        Cq cq = fx.cq(16);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 5);
        for (int i = 0; i < 5; i++) {
            fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, i))), 1, i < 4 ? RIO_MSG_DEFER : 0, 10 + i);
        }
        fx.peerRead(j.peer(), 40);
        List<Result> two = fx.await(cq.handle(), 2);
        assertEquals(List.of(10L, 11L), two.stream().map(Result::requestContext).toList());
        List<Result> rest = fx.await(cq.handle(), 3);
        assertEquals(List.of(12L, 13L, 14L), rest.stream().map(Result::requestContext).toList());
        assertTrue(fx.dequeue(cq.handle(), 16).isEmpty());
    }

    /** Many sends on one queue complete in order, and their bytes arrive in order. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void manySendsCompleteInOrder(Family family) throws Exception {
        int n = 64;
        Cq cq = fx.cq(n + 1);
        JdkPeer j = fx.jdkPeer(family, cq.handle(), 1, n);
        for (int i = 0; i < n; i++) {
            fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(1000, i))), 1, i < n - 1 ? RIO_MSG_DEFER : 0, i);
        }
        byte[] got = fx.peerRead(j.peer(), n * 1000);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(pattern(1000, i), Arrays.copyOfRange(got, i * 1000, (i + 1) * 1000), "send " + i);
        }
        List<Result> done = fx.await(cq.handle(), n);
        for (int i = 0; i < n; i++) {
            assertEquals(i, done.get(i).requestContext());
            assertEquals(1000, done.get(i).bytes());
        }
    }

    /** RIORESULT: Status, BytesTransferred, SocketContext (of the queue) and RequestContext (of the request). */
    @Test
    void resultFieldsDescribeTheRequest() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(100);
        Registered out = fx.register(pattern(37, 1));
        fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, 0x1234_5678_9ABCL);
        fx.rio.send(p.rqB(), fx.rioBuf(out), 1, 0, -2L);
        List<Result> done = fx.await(cq.handle(), 2);
        Result send = done.stream().filter(r -> r.requestContext() == -2L).findFirst().orElseThrow();
        Result receive = done.stream().filter(r -> r.requestContext() == 0x1234_5678_9ABCL).findFirst()
                .orElseThrow();
        assertStatus(0, send.status(), "send");
        assertEquals(37, send.bytes());
        assertEquals(0xB, send.socketContext());
        assertStatus(0, receive.status(), "receive");
        assertEquals(37, receive.bytes());
        assertEquals(0xA, receive.socketContext());
        assertArrayEquals(pattern(37, 1), bytes(in, 0, 37));
    }

    /** A receive completes with what arrived; it is not filled before completing (no WAITALL). */
    @Test
    void receiveCompletesWithWhatArrived() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(1000);
        fx.rio.receive(j.rq(), fx.rioBuf(in), 1, 0, 1);
        j.peer().getOutputStream().write(pattern(10, 2));
        Result r = fx.await1(cq.handle());
        assertEquals(10, r.bytes());
        assertArrayEquals(pattern(10, 2), bytes(in, 0, 10));
    }

    /** RIO_MSG_WAITALL: "completes only when the buffer is full, the connection closes, or ... fails". */
    @Test
    void waitAllReceiveWaitsForAFullBuffer() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(100);
        fx.rio.receive(j.rq(), fx.rioBuf(in), 1, RIO_MSG_WAITALL, 1);
        byte[] data = pattern(100, 3);
        OutputStream out = j.peer().getOutputStream();
        out.write(data, 0, 40);
        out.flush();
        fx.assertNoCompletion(cq.handle());
        out.write(data, 40, 60);
        Result r = fx.await1(cq.handle());
        assertEquals(100, r.bytes());
        assertArrayEquals(data, bytes(in, 0, 100));
    }

    /** WAITALL also completes when "the connection closes": with what arrived before the end of the stream. */
    @Test
    void waitAllReceiveCompletesAtEndOfStream() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(100);
        fx.rio.receive(j.rq(), fx.rioBuf(in), 1, RIO_MSG_WAITALL, 1);
        j.peer().getOutputStream().write(pattern(40, 6));
        j.peer().getOutputStream().flush();
        fx.assertNoCompletion(cq.handle());
        j.peer().shutdownOutput();
        Result r = fx.await1(cq.handle());
        assertStatus(0, r.status(), "WAITALL at the end of the stream");
        assertEquals(40, r.bytes());
        assertArrayEquals(pattern(40, 6), bytes(in, 0, 40));
    }

    // =========================================================================================================
    // End of stream, reset, local close

    /** "A receive that completes with BytesTransferred == 0 and Status == 0 means the peer closed gracefully." */
    @ParameterizedTest
    @EnumSource(Family.class)
    void peerCloseCompletesAReceiveWithZeroBytes(Family family) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(family, cq.handle(), 1, 1);
        Registered in = fx.register(64);
        fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, 9);
        fx.closeSocket(p.b());
        Result r = fx.await1(cq.handle());
        assertEquals(9, r.requestContext());
        assertStatus(0, r.status(), "EOF");
        assertEquals(0, r.bytes());
    }

    /** shutdown(SD_SEND) is a graceful end too: the peer's receive completes with 0 bytes, status 0. */
    @Test
    void shutdownSendGivesThePeerEndOfStream() throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx.register(64);
        fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, 9);
        fx.sockets.shutdown(p.b(), RioConstants.SD_SEND);
        Result r = fx.await1(cq.handle());
        assertStatus(0, r.status(), "EOF after shutdown");
        assertEquals(0, r.bytes());
    }

    /** A reset by the peer completes a pending receive with WSAECONNRESET. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void peerResetFailsAReceiveWithConnReset(Family family) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(family, cq.handle(), 1, 1);
        Registered in = fx.register(64);
        fx.rio.receive(p.rqA(), fx.rioBuf(in), 1, 0, 9);
        fx.abortSocket(p.b());
        Result r = fx.await1(cq.handle());
        assertEquals(9, r.requestContext());
        assertStatus(WsaError.WSAECONNRESET, r.status(), "receive after RST");
        assertEquals(0, r.bytes());
    }

    /** Closing the local socket completes its pending receives with an error status; they are still dequeued. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void localCloseAbortsPendingReceives(Family family) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(family, cq.handle(), 2, 1);
        Registered in = fx.register(128);
        fx.rio.receive(p.rqA(), fx.rioBuf(in, 0, 64), 1, 0, 1);
        fx.rio.receive(p.rqA(), fx.rioBuf(in, 64, 64), 1, 0, 2);
        fx.assertNoCompletion(cq.handle());
        fx.closeSocket(p.a());
        List<Result> done = fx.await(cq.handle(), 2);
        assertEquals(List.of(1L, 2L), done.stream().map(Result::requestContext).sorted().toList());
        for (Result r : done) {
            assertNotEquals(0, r.status(), "an aborted receive reports an error, not EOF: " + r);
            assertEquals(0, r.bytes());
            assertEquals(0xA, r.socketContext());
        }
    }

    /** Deferred sends never committed are pending requests too: closesocket completes them with an error. */
    @Test
    void localCloseAbortsDeferredSends() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        fx.rio.send(j.rq(), fx.rioBuf(fx.register(pattern(8, 2))), 1, RIO_MSG_DEFER, 2);
        fx.closeSocket(j.socket());
        List<Result> done = fx.await(cq.handle(), 2);
        assertEquals(List.of(1L, 2L), done.stream().map(Result::requestContext).sorted().toList());
        for (Result r : done) {
            assertNotEquals(0, r.status(), "a deferred send aborted by close reports an error: " + r);
        }
    }

    /** Closing a UDP socket aborts its pending receive too. */
    @Test
    void localCloseAbortsPendingUdpReceive() throws Exception {
        Cq cq = fx.cq(8);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered in = fx.register(64);
        fx.rio.receive(udp[1], fx.rioBuf(in), 1, 0, 3);
        fx.closeSocket(udp[0]);
        Result r = fx.await1(cq.handle());
        assertEquals(3, r.requestContext());
        assertNotEquals(0, r.status());
    }

    // =========================================================================================================
    // The port

    /** A wait blocked on the port is woken by post() from another thread, with its key and context. */
    @Test
    void postWakesABlockedWait() throws Exception {
        PortCompletions batch = new PortCompletions(4);
        CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
                fx.port.post(KEY_WAKE, 0xBEEF);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long start = System.nanoTime();
        int n = fx.port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(30_000));
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
    void waitTimesOutWithZero() throws Exception {
        PortCompletions batch = new PortCompletions(4);
        long start = System.nanoTime();
        assertEquals(0, fx.port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100)));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 90 && tookMillis < 5_000, "a 100 ms wait took " + tookMillis + " ms");
        assertEquals(0, fx.port.getQueuedCompletionStatus(batch, 0), "a poll of an empty port");
    }

    /** Entries posted before the wait are returned at once, up to the batch's capacity, the rest by the next. */
    @Test
    void postedEntriesAreReturnedInBatches() throws Exception {
        for (int i = 0; i < 5; i++) {
            fx.port.post(KEY_WAKE, i);
        }
        PortCompletions batch = new PortCompletions(3);
        List<Long> contexts = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (contexts.size() < 5 && System.nanoTime() - deadline < 0) {
            int n = fx.port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100));
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
    void postsFromManyThreadsAllArrive() throws Exception {
        int threads = 4;
        int each = 250;
        ExecutorService posters = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = (long) t << 32;
                done.add(posters.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        fx.port.post(KEY_WAKE, base | i);
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
                int n = fx.port.getQueuedCompletionStatus(batch, TimeUnit.MILLISECONDS.toNanos(100));
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
            assertEquals(0, fx.port.getQueuedCompletionStatus(batch, 0), "no more entries than posts");
        } finally {
            posters.shutdownNow();
        }
    }

    /** Accept and connect complete through the port: keys, contexts, and the accepted socket. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void acceptAndConnectCompleteThroughThePort(Family family) throws Exception {
        long listener = fx.listener(family);
        InetSocketAddress where = fx.sockets.localAddress(listener);
        assertEquals(family.loopback, where.getAddress());
        fx.sockets.accept(listener, fx.port, RioFixture.KEY_ACCEPT, 0xACC);
        long client = fx.socket(family, SOCK_STREAM);
        PortEntry connected = fx.connect(client, where);
        assertStatus(0, connected.status(), "connect");
        PortEntry accepted = fx.awaitPort(RioFixture.KEY_ACCEPT);
        assertStatus(0, accepted.status(), "accept");
        assertEquals(0xACC, accepted.context());
        long server = accepted.result();
        fx.closeSocket(listener);
        try {
            assertEquals(fx.sockets.localAddress(client), fx.sockets.remoteAddress(server));
            assertEquals(fx.sockets.localAddress(server), fx.sockets.remoteAddress(client));
            assertEquals(where.getPort(), fx.sockets.remoteAddress(client).getPort());
        } finally {
            fx.sockets.close(server);
        }
    }

    /** Socket options set are read back; SO_TYPE tells TCP from UDP; an unconnected socket has no peer. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void socketOptionsRoundTrip(Family family) throws Exception {
        long tcp = fx.socket(family, SOCK_STREAM);
        long udp = fx.socket(family, SOCK_DGRAM);
        assertEquals(SOCK_STREAM, fx.sockets.getOption(tcp, RioSocketOption.SO_TYPE));
        assertEquals(SOCK_DGRAM, fx.sockets.getOption(udp, RioSocketOption.SO_TYPE));
        for (RioSocketOption option : List.of(RioSocketOption.TCP_NODELAY,
                RioSocketOption.SO_KEEPALIVE, RioSocketOption.SO_REUSEADDR)) {
            fx.sockets.setOption(tcp, option, 1);
            assertEquals(1, fx.sockets.getOption(tcp, option), option.name());
            fx.sockets.setOption(tcp, option, 0);
            assertEquals(0, fx.sockets.getOption(tcp, option), option.name());
        }
        fx.sockets.setOption(tcp, RioSocketOption.SO_LINGER, 5);
        assertEquals(5, fx.sockets.getOption(tcp, RioSocketOption.SO_LINGER));
        fx.sockets.setOption(tcp, RioSocketOption.SO_LINGER, -1);
        assertEquals(-1, fx.sockets.getOption(tcp, RioSocketOption.SO_LINGER), "linger off");
        assertNull(fx.sockets.remoteAddress(tcp), "an unconnected socket has no peer");
    }

    /** "An IPv6 socket is dual-stack (IPV6_V6ONLY off)": it connects to an IPv4 address. */
    @Test
    void ipv6SocketsAreDualStack() throws Exception {
        long client = fx.socket(Family.IPV6, SOCK_STREAM);
        assertEquals(0, fx.sockets.getOption(client, RioSocketOption.IPV6_V6ONLY));
        long listener = fx.listener(Family.IPV4);
        InetSocketAddress where = fx.sockets.localAddress(listener);
        fx.sockets.accept(listener, fx.port, RioFixture.KEY_ACCEPT, 1);
        assertStatus(0, fx.connect(client, where).status(), "an IPv6 socket connecting to 127.0.0.1");
        PortEntry accepted = fx.awaitPort(RioFixture.KEY_ACCEPT);
        assertStatus(0, accepted.status(), "accept");
        fx.sockets.close(accepted.result());
    }

    /** A connect to a port where nobody listens completes with WSAECONNREFUSED. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void connectToAClosedPortIsRefused(Family family) throws Exception {
        long probe = fx.socket(family, SOCK_STREAM);
        fx.sockets.bind(probe, family.any());
        InetSocketAddress nobody = fx.sockets.localAddress(probe);
        fx.closeSocket(probe);
        long client = fx.socket(family, SOCK_STREAM);
        assertStatus(WsaError.WSAECONNREFUSED, fx.connect(client, nobody).status(), "connect to a closed port");
    }

    /** Closing the listening socket completes its pending accept with WSA_OPERATION_ABORTED. */
    @Test
    void closingTheListenerAbortsItsAccept() throws Exception {
        long listener = fx.listener(Family.IPV4);
        fx.sockets.accept(listener, fx.port, RioFixture.KEY_ACCEPT, 0xAB);
        assertNull(fx.pollPort(RioFixture.KEY_ACCEPT, 100));
        fx.closeSocket(listener);
        PortEntry e = fx.awaitPort(RioFixture.KEY_ACCEPT);
        assertEquals(0xAB, e.context());
        assertStatus(WsaError.WSA_OPERATION_ABORTED, e.status(), "accept after the listener closed");
    }

    // =========================================================================================================
    // Data: TCP and UDP, IPv4 and IPv6

    /** A 4 MiB send is one request that completes whole, and every byte arrives intact. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void largeSendCompletesWholeAndArrivesIntact(Family family) throws Exception {
        int size = 4 << 20;
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(family, cq.handle(), 1, 1);
        byte[] data = pattern(size, 7);
        Registered out = fx.register(data);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return RioFixture.readFully(j.peer(), size);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        fx.rio.send(j.rq(), fx.rioBuf(out), 1, 0, 1);
        Result r = fx.await1(cq.handle());
        assertStatus(0, r.status(), "4 MiB send");
        assertEquals(size, r.bytes(), "a RIO send completes whole");
        assertArrayEquals(data, reader.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** 4 MiB through two RIO sockets, received with many receives, arrives intact and in order. */
    @Test
    void largeTransferBetweenRioSocketsArrivesIntact() throws Exception {
        int size = 4 << 20;
        int chunk = 64 << 10;
        Cq cq = fx.cq(16);
        Pair p = fx.tcpPair(Family.IPV6, cq.handle(), 4, 4);
        byte[] data = pattern(size, 8);
        Registered out = fx.register(data);
        Registered in = fx.register(size);
        fx.rio.send(p.rqB(), fx.rioBuf(out), 1, 0, -1);
        int received = 0;
        boolean receivePending = false;
        boolean sendDone = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS * 3);
        while (received < size || !sendDone) {
            assertTrue(System.nanoTime() - deadline < 0, "transfer stalled at " + received);
            // One receive at a time, each into the bytes right after the last: a receive gets what has arrived,
            // so with several pending the slices would not be filled contiguously.
            if (!receivePending && received < size) {
                fx.rio.receive(p.rqA(), fx.rioBuf(in, received, Math.min(chunk, size - received)), 1, 0, received);
                receivePending = true;
            }
            Result r = fx.await1(cq.handle());
            assertStatus(0, r.status(), "transfer");
            if (r.requestContext() == -1) {
                assertEquals(size, r.bytes(), "the 4 MiB send completes whole");
                sendDone = true;
            } else {
                assertEquals(received, r.requestContext());
                assertTrue(r.bytes() > 0, "no EOF expected");
                received += r.bytes();
                receivePending = false;
            }
        }
        assertArrayEquals(data, bytes(in, 0, size));
    }

    /** UDP through RIOSendEx and RIOReceiveEx: the receiver learns the sender's SOCKADDR_INET. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void udpSendExAndReceiveExReportTheSender(Family family) throws Exception {
        Cq cq = fx.cq(8);
        long[] a = fx.udp(family, cq.handle(), 1, 1, 0xA);
        long[] b = fx.udp(family, cq.handle(), 1, 1, 0xB);
        Registered in = fx.register(256);
        Registered from = fx.register(SockaddrInet.SIZE);
        fx.rio.receiveEx(b[1], fx.rioBuf(in), 1, NULL, fx.rioBuf(from), NULL, NULL, 0, 2);

        Registered out = fx.register(pattern(123, 4));
        Registered to = fx.register(SockaddrInet.SIZE);
        SockaddrInet.write(to.memory(), 0, fx.sockets.localAddress(b[0]));
        fx.rio.sendEx(a[1], fx.rioBuf(out), 1, NULL, fx.rioBuf(to), NULL, NULL, 0, 1);

        List<Result> done = fx.await(cq.handle(), 2);
        Result sent = done.stream().filter(r -> r.requestContext() == 1).findFirst().orElseThrow();
        Result got = done.stream().filter(r -> r.requestContext() == 2).findFirst().orElseThrow();
        assertStatus(0, sent.status(), "sendEx");
        assertEquals(123, sent.bytes());
        assertEquals(0xA, sent.socketContext());
        assertStatus(0, got.status(), "receiveEx");
        assertEquals(123, got.bytes());
        assertEquals(0xB, got.socketContext());
        assertArrayEquals(pattern(123, 4), bytes(in, 0, 123));
        InetSocketAddress sender = SockaddrInet.read(from.memory(), 0);
        InetSocketAddress expected = fx.sockets.localAddress(a[0]);
        assertEquals(expected.getPort(), sender.getPort());
        assertEquals(expected.getAddress(), sender.getAddress());
    }

    /** RIOReceiveEx's pLocalAddress receives the SOCKADDR_INET the datagram was sent to. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void udpReceiveExReportsTheLocalAddress(Family family) throws Exception {
        Cq cq = fx.cq(8);
        long[] b = fx.udp(family, cq.handle(), 1, 1, 0xB);
        Registered in = fx.register(64);
        Registered local = fx.register(SockaddrInet.SIZE);
        fx.rio.receiveEx(b[1], fx.rioBuf(in), 1, fx.rioBuf(local), NULL, NULL, NULL, 0, 7);
        DatagramSocket sender = fx.track(new DatagramSocket(family.any()));
        InetSocketAddress to = fx.sockets.localAddress(b[0]);
        sender.send(new DatagramPacket(pattern(5, 1), 5, to));
        Result r = fx.await1(cq.handle());
        assertStatus(0, r.status(), "receiveEx");
        assertEquals(5, r.bytes());
        InetSocketAddress reported = SockaddrInet.read(local.memory(), 0);
        assertEquals(to.getAddress(), reported.getAddress());
        assertEquals(to.getPort(), reported.getPort());
    }

    /** UDP keeps datagram boundaries: each receive gets one whole datagram. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void udpKeepsDatagramBoundaries(Family family) throws Exception {
        Cq cq = fx.cq(16);
        long[] a = fx.udp(family, cq.handle(), 1, 3, 0xA);
        long[] b = fx.udp(family, cq.handle(), 3, 1, 0xB);
        fx.sockets.connectDatagram(a[0], fx.sockets.localAddress(b[0]));
        Registered in = fx.register(3 * 512);
        for (int i = 0; i < 3; i++) {
            fx.rio.receive(b[1], fx.rioBuf(in, i * 512, 512), 1, 0, 100 + i);
        }
        int[] sizes = {1, 300, 512};
        for (int i = 0; i < 3; i++) {
            fx.rio.send(a[1], fx.rioBuf(fx.register(pattern(sizes[i], i))), 1, i < 2 ? RIO_MSG_DEFER : 0, i);
        }
        List<Result> done = fx.await(cq.handle(), 6);
        List<Result> received = done.stream().filter(r -> r.socketContext() == 0xB).toList();
        assertEquals(3, received.size());
        for (int i = 0; i < 3; i++) {
            Result r = received.get(i);
            assertEquals(100 + i, r.requestContext(), "receives complete in order: " + received);
            assertEquals(sizes[i], r.bytes(), "receive " + i + " got another datagram than the " + i
                    + "th sent (sizes 1, 300, 512): " + received);
            assertArrayEquals(pattern(sizes[i], i), bytes(in, i * 512, sizes[i]));
        }
    }

    /** Receives posted on one queue are filled in the order they were posted: the stream stays in order. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void tcpReceivesAreFilledInTheOrderPosted(Family family) throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(family, cq.handle(), 3, 1);
        Registered in = fx.register(3 * 64);
        for (int i = 0; i < 3; i++) {
            fx.rio.receive(j.rq(), fx.rioBuf(in, i * 64, 64), 1, 0, 100 + i);
        }
        OutputStream out = j.peer().getOutputStream();
        for (int i = 0; i < 3; i++) {
            out.write(pattern(10 + i, i));
            out.flush();
            Result r = fx.await1(cq.handle());
            assertEquals(100 + i, r.requestContext(), "chunk " + i + " completed the receive posted " + i + "th");
            assertEquals(10 + i, r.bytes());
            assertArrayEquals(pattern(10 + i, i), bytes(in, i * 64, 10 + i),
                    "chunk " + i + " landed in the buffer of the receive posted " + i + "th");
        }
    }

    /** A TCP exchange both ways between two RIO sockets (an echo). */
    @ParameterizedTest
    @EnumSource(Family.class)
    void tcpEchoBetweenRioSockets(Family family) throws Exception {
        Cq cq = fx.cq(8);
        Pair p = fx.tcpPair(family, cq.handle(), 1, 1);
        Registered serverIn = fx.register(64);
        Registered clientIn = fx.register(64);
        Registered hello = fx.register("hello, RIO".getBytes(US_ASCII));
        fx.rio.receive(p.rqA(), fx.rioBuf(serverIn), 1, 0, 1);
        fx.rio.receive(p.rqB(), fx.rioBuf(clientIn), 1, 0, 2);
        fx.rio.send(p.rqB(), fx.rioBuf(hello), 1, 0, 3);
        List<Result> first = fx.await(cq.handle(), 2);
        Result atServer = first.stream().filter(r -> r.requestContext() == 1).findFirst().orElseThrow();
        assertEquals(10, atServer.bytes());
        // Echo straight from the receive registration: no other request references it any more.
        fx.rio.send(p.rqA(), fx.rioBuf(serverIn, 0, atServer.bytes()), 1, 0, 4);
        List<Result> second = fx.await(cq.handle(), 2);
        Result atClient = second.stream().filter(r -> r.requestContext() == 2).findFirst().orElseThrow();
        assertEquals(10, atClient.bytes());
        assertArrayEquals("hello, RIO".getBytes(US_ASCII),
                bytes(clientIn, 0, 10));
    }

    /** A UDP receive with WAITALL is refused: "not supported on UDP". */
    @Test
    void waitAllOnUdpIsRefused() throws Exception {
        Cq cq = fx.cq(8);
        long[] udp = fx.udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered in = fx.register(64);
        assertWsaOneOf(() -> fx.rio.receive(udp[1], fx.rioBuf(in), 1, RIO_MSG_WAITALL, 1),
                WSAEINVAL, WsaError.WSAEOPNOTSUPP);
    }

    /** A request refused with an exception never completes (rio-reference.md: "no completion will ever be queued"). */
    @Test
    void refusedRequestsNeverComplete() throws Exception {
        Cq cq = fx.cq(8);
        JdkPeer j = fx.jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered ok = fx.register(pattern(8, 1));
        fx.rio.send(j.rq(), fx.rioBuf(ok), 1, RIO_MSG_DEFER, 1);
        Registered gone = fx.register(pattern(8, 2));
        fx.deregister(gone);
        assertRefused(fx.rio, UNKNOWN_BUFFER, () -> fx.rio.send(j.rq(), fx.rioBuf(gone), 1, 0, 2), WSAEFAULT);
        Registered other = fx.register(pattern(8, 3));
        assertThrows(RioException.class, () -> fx.rio.send(j.rq(), fx.rioBuf(other), 1, 0x40, 3));
        fx.rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        assertEquals(List.of(1L), fx.await(cq.handle(), 1).stream().map(Result::requestContext).toList());
        fx.assertNoCompletion(cq.handle());
        assertArrayEquals(pattern(8, 1), fx.peerRead(j.peer(), 8));
    }
}
