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

import io.nettyrio.rio.RioException;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.WsaError.WSAEFAULT;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_BUFFER;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertRefused;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsaOneOf;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * Data: TCP and UDP, IPv4 and IPv6
 */
interface DataTransferConformance extends ConformanceSection {
    /** A 4 MiB send is one request that completes whole, and every byte arrives intact. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void largeSendCompletesWholeAndArrivesIntact(Family family) throws Exception {
        int size = 4 << 20;
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(family, cq.handle(), 1, 1);
        byte[] data = pattern(size, 7);
        Registered out = fx().register(data);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return RioFixture.readFully(j.peer(), size);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        fx().rio.send(j.rq(), fx().rioBuf(out), 1, 0, 1);
        Result r = fx().await1(cq.handle());
        assertStatus(0, r.status(), "4 MiB send");
        assertEquals(size, r.bytes(), "a RIO send completes whole");
        assertArrayEquals(data, reader.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** 4 MiB through two RIO sockets, received with many receives, arrives intact and in order. */
    @Test
    default void largeTransferBetweenRioSocketsArrivesIntact() throws Exception {
        int size = 4 << 20;
        int chunk = 64 << 10;
        Cq cq = fx().cq(16);
        Pair p = fx().tcpPair(Family.IPV6, cq.handle(), 4, 4);
        byte[] data = pattern(size, 8);
        Registered out = fx().register(data);
        Registered in = fx().register(size);
        fx().rio.send(p.rqB(), fx().rioBuf(out), 1, 0, -1);
        int received = 0;
        boolean receivePending = false;
        boolean sendDone = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS * 3);
        while (received < size || !sendDone) {
            assertTrue(System.nanoTime() - deadline < 0, "transfer stalled at " + received);
            // One receive at a time, each into the bytes right after the last: a receive gets what has arrived,
            // so with several pending the slices would not be filled contiguously.
            if (!receivePending && received < size) {
                fx().rio.receive(p.rqA(), fx().rioBuf(in, received, Math.min(chunk, size - received)), 1, 0, received);
                receivePending = true;
            }
            Result r = fx().await1(cq.handle());
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
    default void udpSendExAndReceiveExReportTheSender(Family family) throws Exception {
        Cq cq = fx().cq(8);
        long[] a = fx().udp(family, cq.handle(), 1, 1, 0xA);
        long[] b = fx().udp(family, cq.handle(), 1, 1, 0xB);
        Registered in = fx().register(256);
        Registered from = fx().register(SockaddrInet.SIZE);
        fx().rio.receiveEx(b[1], fx().rioBuf(in), 1, NULL, fx().rioBuf(from), NULL, NULL, 0, 2);

        Registered out = fx().register(pattern(123, 4));
        Registered to = fx().register(SockaddrInet.SIZE);
        SockaddrInet.write(to.memory(), 0, fx().sockets.localAddress(b[0]));
        fx().rio.sendEx(a[1], fx().rioBuf(out), 1, NULL, fx().rioBuf(to), NULL, NULL, 0, 1);

        List<Result> done = fx().await(cq.handle(), 2);
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
        InetSocketAddress expected = fx().sockets.localAddress(a[0]);
        assertEquals(expected.getPort(), sender.getPort());
        assertEquals(expected.getAddress(), sender.getAddress());
    }

    /** RIOReceiveEx's pLocalAddress receives the SOCKADDR_INET the datagram was sent to. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void udpReceiveExReportsTheLocalAddress(Family family) throws Exception {
        Cq cq = fx().cq(8);
        long[] b = fx().udp(family, cq.handle(), 1, 1, 0xB);
        Registered in = fx().register(64);
        Registered local = fx().register(SockaddrInet.SIZE);
        fx().rio.receiveEx(b[1], fx().rioBuf(in), 1, fx().rioBuf(local), NULL, NULL, NULL, 0, 7);
        DatagramSocket sender = fx().track(new DatagramSocket(family.any()));
        InetSocketAddress to = fx().sockets.localAddress(b[0]);
        sender.send(new DatagramPacket(pattern(5, 1), 5, to));
        Result r = fx().await1(cq.handle());
        assertStatus(0, r.status(), "receiveEx");
        assertEquals(5, r.bytes());
        InetSocketAddress reported = SockaddrInet.read(local.memory(), 0);
        assertEquals(to.getAddress(), reported.getAddress());
        assertEquals(to.getPort(), reported.getPort());
    }

    /** UDP keeps datagram boundaries: each receive gets one whole datagram. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void udpKeepsDatagramBoundaries(Family family) throws Exception {
        Cq cq = fx().cq(16);
        long[] a = fx().udp(family, cq.handle(), 1, 3, 0xA);
        long[] b = fx().udp(family, cq.handle(), 3, 1, 0xB);
        fx().sockets.connectDatagram(a[0], fx().sockets.localAddress(b[0]));
        Registered in = fx().register(3 * 512);
        for (int i = 0; i < 3; i++) {
            fx().rio.receive(b[1], fx().rioBuf(in, i * 512, 512), 1, 0, 100 + i);
        }
        int[] sizes = {1, 300, 512};
        for (int i = 0; i < 3; i++) {
            fx().rio.send(a[1], fx().rioBuf(fx().register(pattern(sizes[i], i))), 1, i < 2 ? RIO_MSG_DEFER : 0, i);
        }
        List<Result> done = fx().await(cq.handle(), 6);
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
    default void tcpReceivesAreFilledInTheOrderPosted(Family family) throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(family, cq.handle(), 3, 1);
        Registered in = fx().register(3 * 64);
        for (int i = 0; i < 3; i++) {
            fx().rio.receive(j.rq(), fx().rioBuf(in, i * 64, 64), 1, 0, 100 + i);
        }
        OutputStream out = j.peer().getOutputStream();
        for (int i = 0; i < 3; i++) {
            out.write(pattern(10 + i, i));
            out.flush();
            Result r = fx().await1(cq.handle());
            assertEquals(100 + i, r.requestContext(), "chunk " + i + " completed the receive posted " + i + "th");
            assertEquals(10 + i, r.bytes());
            assertArrayEquals(pattern(10 + i, i), bytes(in, i * 64, 10 + i),
                    "chunk " + i + " landed in the buffer of the receive posted " + i + "th");
        }
    }

    /** A TCP exchange both ways between two RIO sockets (an echo). */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void tcpEchoBetweenRioSockets(Family family) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(family, cq.handle(), 1, 1);
        Registered serverIn = fx().register(64);
        Registered clientIn = fx().register(64);
        Registered hello = fx().register("hello, RIO".getBytes(US_ASCII));
        fx().rio.receive(p.rqA(), fx().rioBuf(serverIn), 1, 0, 1);
        fx().rio.receive(p.rqB(), fx().rioBuf(clientIn), 1, 0, 2);
        fx().rio.send(p.rqB(), fx().rioBuf(hello), 1, 0, 3);
        List<Result> first = fx().await(cq.handle(), 2);
        Result atServer = first.stream().filter(r -> r.requestContext() == 1).findFirst().orElseThrow();
        assertEquals(10, atServer.bytes());
        // Echo straight from the receive registration: no other request references it any more.
        fx().rio.send(p.rqA(), fx().rioBuf(serverIn, 0, atServer.bytes()), 1, 0, 4);
        List<Result> second = fx().await(cq.handle(), 2);
        Result atClient = second.stream().filter(r -> r.requestContext() == 2).findFirst().orElseThrow();
        assertEquals(10, atClient.bytes());
        assertArrayEquals("hello, RIO".getBytes(US_ASCII),
                bytes(clientIn, 0, 10));
    }

    /** A UDP receive with WAITALL is refused: "not supported on UDP". */
    @Test
    default void waitAllOnUdpIsRefused() throws Exception {
        Cq cq = fx().cq(8);
        long[] udp = fx().udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered in = fx().register(64);
        assertWsaOneOf(() -> fx().rio.receive(udp[1], fx().rioBuf(in), 1, RIO_MSG_WAITALL, 1),
                WSAEINVAL, WsaError.WSAEOPNOTSUPP);
    }

    /** A request refused with an exception never completes (RIOSend function (mswsock.h): FALSE means
     * "no completion will ever be queued"). */
    @Test
    default void refusedRequestsNeverComplete() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered ok = fx().register(pattern(8, 1));
        fx().rio.send(j.rq(), fx().rioBuf(ok), 1, RIO_MSG_DEFER, 1);
        Registered gone = fx().register(pattern(8, 2));
        fx().deregister(gone);
        assertRefused(fx().rio, UNKNOWN_BUFFER, () -> fx().rio.send(j.rq(), fx().rioBuf(gone), 1, 0, 2), WSAEFAULT);
        Registered other = fx().register(pattern(8, 3));
        assertThrows(RioException.class, () -> fx().rio.send(j.rq(), fx().rioBuf(other), 1, 0x40, 3));
        fx().rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        assertEquals(List.of(1L), fx().await(cq.handle(), 1).stream().map(Result::requestContext).toList());
        fx().assertNoCompletion(cq.handle());
        assertArrayEquals(pattern(8, 1), fx().peerRead(j.peer(), 8));
    }
}
