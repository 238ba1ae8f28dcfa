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
package io.nettyrio.rio.uring;

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP over loopback through the provider: send/receive on connected sockets, sendEx/receiveEx with addresses. */
class IoUringUdpTest {

    private static long boundUdp(Loopback l, short family) throws RioException {
        long s = l.track(l.sockets.socket(family, RioConstants.SOCK_DGRAM));
        l.sockets.bind(s, new InetSocketAddress(Loopback.loopback(family), 0));
        return s;
    }

    /**
     * With sendTo, RIOSendEx is an IORING_OP_SEND with the destination in addr2 (Linux 6.1 and later); without it, the
     * IORING_OP_SENDMSG that earlier kernels get. Both run where the kernel has both.
     */
    @ParameterizedTest
    @CsvSource({"2, true", "2, false", "23, true", "23, false"})
    void sendExAndReceiveExCarryAddresses(short family, boolean sendTo) throws Exception {
        try (Loopback l = new Loopback(64)) {
            Assumptions.assumeTrue(!sendTo || l.provider.sendTo, "this kernel has no IORING_OP_SEND with addr2");
            l.provider.sendTo = sendTo;
            long a = boundUdp(l, family);
            long b = boundUdp(l, family);
            InetSocketAddress aAddress = l.sockets.localAddress(a);
            InetSocketAddress bAddress = l.sockets.localAddress(b);
            long rqA = l.rio.createRequestQueue(a, 2, 1, 2, 1, l.cq, l.cq, 1);
            long rqB = l.rio.createRequestQueue(b, 2, 1, 2, 1, l.cq, l.cq, 2);
            // address slots live in the registered memory too
            long destOffset = 500_000;
            long fromOffset = 500_100;
            SockaddrInet.write(l.memory, destOffset, bAddress);
            l.memory.asSlice(fromOffset, 28).fill((byte) 0);
            for (int i = 0; i < 300; i++) {
                l.memory.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 3));
            }
            l.rio.receiveEx(rqB, l.buf(0, 10_000, 2000), 1, null, l.buf(1, fromOffset, 28), null, null, 0, 21);
            l.rio.sendEx(rqA, l.buf(2, 0, 300), 1, null, l.buf(3, destOffset, 28), null, null, 0, 11);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(0, l.status(i));
                assertEquals(300, l.bytes(i));
            }
            for (int i = 0; i < 300; i++) {
                assertEquals((byte) (i + 3), l.memory.get(ValueLayout.JAVA_BYTE, 10_000 + i));
            }
            InetSocketAddress from = SockaddrInet.read(l.memory, fromOffset);
            assertEquals(aAddress, from);
        }
    }

    @ParameterizedTest
    @ValueSource(shorts = {RioConstants.AF_INET, RioConstants.AF_INET6})
    void receiveExReportsTheLocalAddress(short family) throws Exception {
        try (Loopback l = new Loopback(64)) {
            long a = boundUdp(l, family);
            long b = l.track(l.sockets.socket(family, RioConstants.SOCK_DGRAM));
            // bound to the wildcard: the local address is the datagram's destination, not the bound one
            l.sockets.bind(b, new InetSocketAddress(family == RioConstants.AF_INET
                    ? java.net.InetAddress.getByName("0.0.0.0") : java.net.InetAddress.getByName("::"), 0));
            int port = l.sockets.localAddress(b).getPort();
            InetSocketAddress destination = new InetSocketAddress(Loopback.loopback(family), port);
            long rqA = l.rio.createRequestQueue(a, 1, 1, 1, 1, l.cq, l.cq, 1);
            long rqB = l.rio.createRequestQueue(b, 1, 1, 1, 1, l.cq, l.cq, 2);
            long localOffset = 500_200;
            long remoteOffset = 500_300;
            l.memory.asSlice(localOffset, 28).fill((byte) 0x55);
            l.rio.receiveEx(rqB, l.buf(0, 10_000, 100), 1, l.buf(1, localOffset, 28), l.buf(2, remoteOffset, 28),
                    null, null, 0, 1);
            l.sockets.connectDatagram(a, destination);
            l.rio.send(rqA, l.buf(3, 0, 20), 1, 0, 2);
            assertEquals(2, l.awaitResults(2));
            assertEquals(0, l.status(0));
            assertEquals(0, l.status(1));
            assertEquals(destination, SockaddrInet.read(l.memory, localOffset));
            assertEquals(l.sockets.localAddress(a), SockaddrInet.read(l.memory, remoteOffset));
            // an IPv4 datagram to a dual-stack socket reports IPv4 addresses
            if (family == RioConstants.AF_INET6) {
                long c = boundUdp(l, RioConstants.AF_INET);
                long rqC = l.rio.createRequestQueue(c, 1, 1, 1, 1, l.cq, l.cq, 3);
                InetSocketAddress v4Destination = new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), port);
                l.rio.receiveEx(rqB, l.buf(0, 10_000, 100), 1, l.buf(1, localOffset, 28), null, null, null, 0, 3);
                l.sockets.connectDatagram(c, v4Destination);
                l.rio.send(rqC, l.buf(3, 0, 20), 1, 0, 4);
                assertEquals(2, l.awaitResults(2));
                assertEquals(v4Destination, SockaddrInet.read(l.memory, localOffset));
            }
        }
    }

    /**
     * Receives are filled in the order they were posted, whether the datagrams wait in the socket before the
     * receives are committed (recvmmsg takes them at once) or arrive one by one while they wait (the poll fires).
     */
    @Test
    void receivesFillInPostingOrder() throws Exception {
        try (Loopback l = new Loopback(256); java.net.DatagramSocket peer = new java.net.DatagramSocket(
                new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), 0))) {
            long b = boundUdp(l, RioConstants.AF_INET);
            InetSocketAddress bAddress = l.sockets.localAddress(b);
            long rqB = l.rio.createRequestQueue(b, 40, 1, 1, 1, l.cq, l.cq, 2);
            int sent = 0;
            for (; sent < 40; sent++) {
                peer.send(new java.net.DatagramPacket(new byte[] {(byte) sent, 7}, 2, bAddress));
            }
            // 40 receives in two committed batches of 20 (DEFER on all but the last of each): receiveEx with the
            // sender's address, then plain receives
            for (int i = 0; i < 40; i++) {
                int flags = i % 20 == 19 ? 0 : RioConstants.RIO_MSG_DEFER;
                if (i < 20) {
                    l.rio.receiveEx(rqB, l.buf(i, 10_000 + 64L * i, 64), 1, null, l.buf(40 + i,
                            500_000 + 32L * i, 28), null, null, flags, i);
                } else {
                    l.rio.receive(rqB, l.buf(i, 10_000 + 64L * i, 64), 1, flags, i);
                }
            }
            checkOrder(l, 40, 0, peer);
            // Now the receives wait first, and the datagrams come one by one.
            for (int i = 0; i < 20; i++) {
                l.rio.receive(rqB, l.buf(i, 10_000 + 64L * i, 64), 1, i == 19 ? 0 : RioConstants.RIO_MSG_DEFER,
                        40 + i);
            }
            for (int i = 0; i < 20; i++) {
                peer.send(new java.net.DatagramPacket(new byte[] {(byte) (40 + i), 7}, 2, bAddress));
            }
            checkOrder(l, 20, 40, peer);
        }
    }

    /**
     * After shutdown(SD_RECEIVE) the receives waiting on a UDP socket, and those posted later, fail with WSAESHUTDOWN
     * in order, and the socket's poll is not armed again: Linux reports it readable for ever while a read finds
     * nothing, so before this a waiting receive re-armed its poll in a loop (thousands of SQEs a second).
     */
    @Test
    void shutdownForReceiveFailsWaitingAndLaterReceivesWithoutPollingAgain() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long b = boundUdp(l, RioConstants.AF_INET);
            // Connected: Linux refuses shutdown on an unconnected UDP socket (ENOTCONN).
            l.sockets.connectDatagram(b, l.sockets.localAddress(boundUdp(l, RioConstants.AF_INET)));
            long rq = l.rio.createRequestQueue(b, 4, 1, 1, 1, l.cq, l.cq, 2);
            l.rio.receive(rq, l.buf(0, 0, 64), 1, RioConstants.RIO_MSG_DEFER, 1);
            l.rio.receive(rq, l.buf(1, 64, 64), 1, 0, 2);
            assertEquals(0, l.awaitResultsFor(20_000_000L), "the receives wait for datagrams");
            l.sockets.shutdown(b, RioConstants.SD_RECEIVE);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(WsaError.WSAESHUTDOWN, l.status(i));
                assertEquals(i + 1, l.requestContext(i));
            }
            l.rio.receive(rq, l.buf(2, 128, 64), 1, 0, 3);
            assertEquals(1, l.awaitResults(1));
            assertEquals(WsaError.WSAESHUTDOWN, l.status(0));
            long sqes = l.provider.statistics().sqesSubmitted();
            assertEquals(0, l.awaitResultsFor(100_000_000L));
            assertTrue(l.provider.statistics().sqesSubmitted() - sqes <= 1,
                    "no poll armed again and again: " + (l.provider.statistics().sqesSubmitted() - sqes) + " SQEs");
        }
    }

    private static void checkOrder(Loopback l, int count, int first, java.net.DatagramSocket peer) throws Exception {
        assertEquals(count, l.awaitResults(count));
        for (int r = 0; r < count; r++) {
            assertEquals(0, l.status(r));
            assertEquals(2, l.bytes(r));
            int context = (int) l.requestContext(r);
            assertEquals(first + r, context, "completions come in posting order");
            int i = context - first;
            assertEquals((byte) context, l.memory.get(ValueLayout.JAVA_BYTE, 10_000 + 64L * i),
                    "receive " + context + " holds datagram " + context);
            if (first == 0 && i < 20) {
                assertEquals(peer.getLocalSocketAddress(), SockaddrInet.read(l.memory, 500_000 + 32L * i));
            }
        }
    }

    @Test
    void connectedSendAndReceiveWithAnEmptyDatagram() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long a = boundUdp(l, RioConstants.AF_INET);
            long b = boundUdp(l, RioConstants.AF_INET);
            l.sockets.connectDatagram(a, l.sockets.localAddress(b));
            long rqA = l.rio.createRequestQueue(a, 1, 1, 2, 1, l.cq, l.cq, 1);
            long rqB = l.rio.createRequestQueue(b, 2, 1, 1, 1, l.cq, l.cq, 2);
            l.rio.receive(rqB, l.buf(0, 10_000, 100), 1, 0, 1);
            l.rio.receive(rqB, l.buf(1, 20_000, 100), 1, 0, 2);
            l.rio.send(rqA, l.buf(2, 0, 50), 1, RioConstants.RIO_MSG_DEFER, 3);
            l.rio.send(rqA, null, 0, 0, 4); // pData NULL on UDP: an empty datagram
            assertEquals(4, l.awaitResults(4));
            int[] bytesByContext = new int[5];
            for (int i = 0; i < 4; i++) {
                assertEquals(0, l.status(i));
                bytesByContext[(int) l.requestContext(i)] = l.bytes(i);
            }
            assertEquals(50, bytesByContext[1]);
            assertEquals(0, bytesByContext[2]);
            assertEquals(50, bytesByContext[3]);
            assertEquals(0, bytesByContext[4]);
        }
    }

    /**
     * One multishot poll serves every datagram: twenty datagrams, each arriving while receives wait, cost no SQE on
     * the receive side after the first poll (a one-shot poll was armed again after each). A datagram that arrives
     * while no receive waits is read by the next receive committed, with no other datagram to wake the poll.
     */
    @Test
    void oneMultishotPollServesEveryDatagramAndOneThatCameWhileNoneWaitedIsRead() throws Exception {
        try (Loopback l = new Loopback(64); java.net.DatagramSocket peer = new java.net.DatagramSocket(
                new InetSocketAddress(Loopback.loopback(RioConstants.AF_INET), 0))) {
            long b = boundUdp(l, RioConstants.AF_INET);
            InetSocketAddress bAddress = l.sockets.localAddress(b);
            long rqB = l.rio.createRequestQueue(b, 21, 1, 1, 1, l.cq, l.cq, 2);
            IoUringStatistics stats = l.provider.statistics();
            for (int i = 0; i < 20; i++) {
                l.rio.receive(rqB, l.buf(i, 10_000 + 64L * i, 64), 1, i == 19 ? 0 : RioConstants.RIO_MSG_DEFER, i);
            }
            long sqes = stats.sqesSubmitted();
            for (int i = 0; i < 20; i++) {
                peer.send(new java.net.DatagramPacket(new byte[] {(byte) i, 7}, 2, bAddress));
                assertEquals(1, l.awaitResults(1), "datagram " + i);
                assertEquals(i, l.requestContext(0));
                assertEquals((byte) i, l.memory.get(ValueLayout.JAVA_BYTE, 10_000 + 64L * i));
            }
            assertEquals(sqes, stats.sqesSubmitted(), "no poll armed again");
            // No receive waits now; a datagram comes and wakes the poll, which finds nothing to read it into.
            peer.send(new java.net.DatagramPacket(new byte[] {99, 7}, 2, bAddress));
            assertEquals(0, l.awaitResultsFor(200_000_000L));
            l.rio.receive(rqB, l.buf(20, 20_000, 64), 1, 0, 20);
            assertEquals(1, l.awaitResults(1), "the waiting datagram is read without another to wake the poll");
            assertEquals(20, l.requestContext(0));
            assertEquals(2, l.bytes(0));
            assertEquals(99, l.memory.get(ValueLayout.JAVA_BYTE, 20_000));
        }
    }

    @Test
    void connectDatagramWithNullDissolvesTheAssociation() throws Exception {
        try (Loopback l = new Loopback(8)) {
            for (short family : new short[] {RioConstants.AF_INET, RioConstants.AF_INET6}) {
                long a = boundUdp(l, family);
                long b = boundUdp(l, family);
                l.sockets.connectDatagram(a, l.sockets.localAddress(b));
                assertEquals(l.sockets.localAddress(b), l.sockets.remoteAddress(a));
                l.sockets.connectDatagram(a, null);
                assertEquals(null, l.sockets.remoteAddress(a));
            }
        }
    }

    @Test
    void multicastMembershipOnLoopback() throws Exception {
        try (Loopback l = new Loopback(8)) {
            long v4 = boundUdp(l, RioConstants.AF_INET);
            java.net.InetAddress group4 = java.net.InetAddress.getByName("239.255.42.99");
            int lo = java.net.NetworkInterface.getByName("lo").getIndex();
            l.sockets.joinGroup(v4, group4, lo, null);
            // joining twice is an error the kernel reports (EADDRINUSE), translated
            assertEquals(WsaError.WSAEADDRINUSE, assertThrows(RioException.class,
                    () -> l.sockets.joinGroup(v4, group4, lo, null)).wsaError());
            l.sockets.leaveGroup(v4, group4, lo, null);
            l.sockets.joinGroup(v4, group4, lo, java.net.InetAddress.getByName("127.0.0.1"));
            l.sockets.leaveGroup(v4, group4, lo, java.net.InetAddress.getByName("127.0.0.1"));
            l.sockets.setMulticastInterface(v4, (java.net.Inet4Address) java.net.InetAddress.getByName("127.0.0.1"));
            long v6 = boundUdp(l, RioConstants.AF_INET6);
            // a dual-stack socket joins an IPv4 group at IPPROTO_IP
            l.sockets.joinGroup(v6, group4, lo, null);
            l.sockets.leaveGroup(v6, group4, lo, null);
            assertEquals(WsaError.WSAEAFNOSUPPORT, assertThrows(RioException.class,
                    () -> l.sockets.joinGroup(v4, java.net.InetAddress.getByName("ff02::1:2"), lo, null)).wsaError());
        }
    }

    @Test
    void truncatedDatagramReportsMsgSize() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long a = boundUdp(l, RioConstants.AF_INET);
            long b = boundUdp(l, RioConstants.AF_INET);
            l.sockets.connectDatagram(a, l.sockets.localAddress(b));
            long rqA = l.rio.createRequestQueue(a, 1, 1, 1, 1, l.cq, l.cq, 1);
            long rqB = l.rio.createRequestQueue(b, 1, 1, 1, 1, l.cq, l.cq, 2);
            l.rio.receive(rqB, l.buf(0, 10_000, 10), 1, 0, 1);
            l.rio.send(rqA, l.buf(1, 0, 50), 1, 0, 2);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                if (l.requestContext(i) == 1) {
                    assertEquals(WsaError.WSAEMSGSIZE, l.status(i));
                    assertEquals(10, l.bytes(i));
                }
            }
        }
    }

    @Test
    void udpArgumentRules() throws Exception {
        try (Loopback l = new Loopback(64)) {
            long a = boundUdp(l, RioConstants.AF_INET);
            long rq = l.rio.createRequestQueue(a, 1, 1, 1, 1, l.cq, l.cq, 1);
            MemorySegment any = l.buf(0, 0, 28);
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> l.rio.receive(rq, l.buf(1, 0, 10), 1, RioConstants.RIO_MSG_WAITALL, 1)).wsaError());
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> l.rio.sendEx(rq, l.buf(1, 0, 10), 1, any, null, null, null, 0, 1)).wsaError(),
                    "pLocalAddress must be NULL");
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> l.rio.receive(rq, null, 0, 0, 1)).wsaError(), "a receive needs pData");
            l.memory.asSlice(0, 28).fill((byte) 0);
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> l.rio.sendEx(rq, l.buf(1, 100, 10), 1, null, l.buf(2, 0, 28), null, null, 0, 1))
                    .wsaError(), "no SOCKADDR_INET in pRemoteAddress");
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> l.rio.sendEx(rq, l.buf(1, 100, 10), 1, null, l.buf(2, 0, 16), null, null, 0, 1))
                    .wsaError(), "pRemoteAddress shorter than 28 bytes");
        }
    }
}
