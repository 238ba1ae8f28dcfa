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

import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * pData and DataBufferCount (RIOSend function (mswsock.h): "pData ... may be NULL for a bound registered I/O UDP
 * socket ... DataBufferCount ... should be set to zero if the pData is NULL. Otherwise, this parameter should be
 * set to 1")
 */
interface DataBufferCountConformance extends ConformanceSection {
    /** pData NULL with count 0 on a UDP socket sends an empty datagram, and its send completes with 0 bytes. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void udpSendWithNullDataSendsAnEmptyDatagram(Family family) throws Exception {
        Cq cq = fx().cq(8);
        DatagramSocket peer = fx().track(new DatagramSocket(family.any()));
        peer.setSoTimeout((int) TIMEOUT_MILLIS);
        long[] udp = fx().udp(family, cq.handle(), 1, 1, 0x5);
        fx().sockets.connectDatagram(udp[0], (InetSocketAddress) peer.getLocalSocketAddress());

        long ctx = fx().context();
        fx().rio.send(udp[1], NULL, 0, 0, ctx);

        Result r = fx().await1(cq.handle());
        assertStatus(0, r.status(), "empty datagram send");
        assertEquals(0, r.bytes());
        assertEquals(ctx, r.requestContext());
        DatagramPacket p = new DatagramPacket(new byte[16], 16);
        peer.receive(p);
        assertEquals(0, p.getLength(), "the datagram is empty");
        assertEquals(fx().sockets.localAddress(udp[0]).getPort(), p.getPort(), "it comes from the RIO socket");
    }

    /** The same through RIOSendEx on an unconnected UDP socket, the destination in a registered slice. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void udpSendExWithNullDataSendsAnEmptyDatagram(Family family) throws Exception {
        Cq cq = fx().cq(8);
        DatagramSocket peer = fx().track(new DatagramSocket(family.any()));
        peer.setSoTimeout((int) TIMEOUT_MILLIS);
        long[] udp = fx().udp(family, cq.handle(), 1, 1, 0x5);
        Registered addr = fx().register(SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, (InetSocketAddress) peer.getLocalSocketAddress());

        fx().rio.sendEx(udp[1], NULL, 0, NULL, fx().rioBuf(addr), NULL, NULL, 0, fx().context());

        assertStatus(0, fx().await1(cq.handle()).status(), "empty datagram sendEx");
        DatagramPacket p = new DatagramPacket(new byte[16], 16);
        peer.receive(p);
        assertEquals(0, p.getLength());
    }

    /** pData NULL is only for UDP: on TCP it is WSAEINVAL, and nothing completes. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void tcpSendWithNullDataIsInvalid(Family family) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(family, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), NULL, 0, 0, fx().context()));
        fx().assertNoCompletion(cq.handle());
    }

    /** pData NULL with DataBufferCount 1 is WSAEINVAL. */
    @Test
    default void nullDataWithCountOneIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        long[] udp = fx().udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        fx().sockets.connectDatagram(udp[0], new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAEINVAL, () -> fx().rio.send(udp[1], NULL, 1, 0, fx().context()));
        fx().assertNoCompletion(cq.handle());
    }

    /** A RIO_BUF with DataBufferCount 0 or 2 is WSAEINVAL, for sends and receives. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    default void dataWithCountOtherThanOneIsInvalid(int count) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx().register(pattern(16, 1));
        Registered in = fx().register(16);
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), fx().rioBuf(out), count, 0, fx().context()));
        assertWsa(WSAEINVAL, () -> fx().rio.receive(p.rqB(), fx().rioBuf(in), count, 0, fx().context()));
        fx().assertNoCompletion(cq.handle());
    }

    /** A receive needs a buffer: pData NULL without COMMIT_ONLY is WSAEINVAL (model Javadoc of receive). */
    @Test
    default void receiveWithNullDataIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx().rio.receive(p.rqA(), NULL, 0, 0, fx().context()));
    }
}
