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
package io.nettyrio.rio.windows;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static io.nettyrio.rio.RioConstants.AF_INET;
import static io.nettyrio.rio.RioConstants.AF_INET6;
import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket calls against the fake: creation flags, dual stack, address marshalling, option numbers and shapes,
 * multicast structs, and the AcceptEx and ConnectEx states from start to the {@link PortCompletions} entry.
 */
class WindowsSocketsTest {
    private static final long KEY = 0x77;
    private static final long CONTEXT = 0xC0FFEE;

    private final FakeWindowsNative fake = new FakeWindowsNative();
    private final WindowsSockets sockets = new WindowsSockets(fake, new WindowsHandles());
    private IocpPort port;

    @BeforeEach
    void openPort() throws RioException {
        port = IocpPort.open(fake, sockets);
    }

    @AfterEach
    void closePort() {
        port.close();
    }

    private static byte[] hex(String s) {
        return HexFormat.ofDelimiter(" ").parseHex(s);
    }

    private static InetSocketAddress address(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private PortCompletions completeLast(String function, int status) throws RioException {
        FakeWindowsNative.Call call = fake.last(function);
        long overlapped = call.seg(call.args().size() - 1).address();
        if (status != 0) {
            fake.overlappedStatus.put(overlapped, status);
        }
        fake.packets.add(new FakeWindowsNative.Packet(IocpPort.OPERATION_KEY, overlapped, 0));
        PortCompletions out = new PortCompletions(4);
        assertEquals(1, port.getQueuedCompletionStatus(out, 0));
        return out;
    }

    // ---- creation

    @Test
    void tcpSocketForRegisteredIo() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        assertEquals(List.of(2, 1, 6, "NULL", 0, 0x181), fake.last("WSASocketW").args());
        assertEquals(0, fake.count("setsockopt"), "IPv4: nothing to set");
        assertEquals(AF_INET, sockets.state(s).family);
    }

    @Test
    void ipv6SocketIsDualStack() throws Exception {
        long s = sockets.socket(AF_INET6, SOCK_DGRAM);
        assertEquals(List.of(23, 2, 17, "NULL", 0, 0x181), fake.last("WSASocketW").args());
        FakeWindowsNative.Call v6only = fake.last("setsockopt");
        assertEquals(s, v6only.longArg(0));
        assertEquals(41, v6only.intArg(1));
        assertEquals(27, v6only.intArg(2));
        assertArrayEquals(new byte[4], v6only.seg(3).bytes(), "IPV6_V6ONLY = 0");
        assertEquals(4, v6only.intArg(4));
    }

    @Test
    void udpSocketsDoNotFailOnIcmpUnreachableUntilConnected() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_DGRAM);
        FakeWindowsNative.Call off = fake.last("WSAIoctl");
        assertEquals(List.of(s, 0x9800000C), off.args().subList(0, 2));
        assertArrayEquals(new byte[4], off.seg(2).bytes(), "SIO_UDP_CONNRESET FALSE");
        assertEquals(4, off.intArg(3));
        sockets.connectDatagram(s, address("127.0.0.1", 9));
        assertArrayEquals(hex("01 00 00 00"), fake.last("WSAIoctl").seg(2).bytes(), "connected: TRUE");
        sockets.connectDatagram(s, null);
        assertArrayEquals(new byte[4], fake.last("WSAIoctl").seg(2).bytes(), "disconnected: FALSE again");
        sockets.socket(AF_INET, SOCK_STREAM);
        assertEquals(3, fake.count("WSAIoctl"), "not for TCP");
        fake.failNext("WSAIoctl", WsaError.WSAEINVAL);
        assertThrows(RioException.class, () -> sockets.socket(AF_INET6, SOCK_DGRAM));
        assertEquals(2, fake.socketsOpen, "the failed socket is closed");
    }

    @Test
    void dualStackFailureClosesTheSocket() {
        fake.failNext("setsockopt", WsaError.WSAEINVAL);
        RioException e = assertThrows(RioException.class, () -> sockets.socket(AF_INET6, SOCK_STREAM));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertEquals(0, fake.socketsOpen);
    }

    @Test
    void socketFailureAndBadArguments() {
        fake.failNext("WSASocketW", WsaError.WSAEMFILE);
        RioException e = assertThrows(RioException.class, () -> sockets.socket(AF_INET, SOCK_STREAM));
        assertEquals(WsaError.WSAEMFILE, e.wsaError());
        assertThrows(IllegalArgumentException.class, () -> sockets.socket(10, SOCK_STREAM), "Linux AF_INET6");
        assertThrows(IllegalArgumentException.class, () -> sockets.socket(AF_INET, 3));
    }

    // ---- addresses

    @Test
    void bindWritesASockaddrIn() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.bind(s, address("127.0.0.1", 0x1F90));
        FakeWindowsNative.Call bind = fake.last("bind");
        assertEquals(16, bind.intArg(2));
        assertArrayEquals(hex("02 00 1f 90 7f 00 00 01 00 00 00 00 00 00 00 00"),
                java.util.Arrays.copyOf(bind.seg(1).bytes(), 16));
        assertTrue(sockets.state(s).bound);
    }

    @Test
    void ipv4OnADualStackSocketIsMapped() throws Exception {
        long s = sockets.socket(AF_INET6, SOCK_STREAM);
        sockets.bind(s, address("10.1.2.3", 80));
        FakeWindowsNative.Call bind = fake.last("bind");
        assertEquals(28, bind.intArg(2));
        assertArrayEquals(hex("17 00 00 50 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 0a 01 02 03 00 00 00 00"),
                bind.seg(1).bytes());
    }

    @Test
    void ipv6OnAnIpv4SocketIsRefused() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        RioException e = assertThrows(RioException.class, () -> sockets.bind(s, address("::1", 1)));
        assertEquals(WsaError.WSAEAFNOSUPPORT, e.wsaError());
        assertEquals(0, fake.count("bind"));
    }

    @Test
    void bindFailure() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        fake.failNext("bind", WsaError.WSAEADDRINUSE);
        RioException e = assertThrows(RioException.class, () -> sockets.bind(s, address("127.0.0.1", 1)));
        assertEquals(WsaError.WSAEADDRINUSE, e.wsaError());
        assertEquals("bind", e.call());
        assertFalse(sockets.state(s).bound);
        assertThrows(IllegalArgumentException.class, () -> sockets.bind(s, InetSocketAddress.createUnresolved("x", 1)));
    }

    @Test
    void localAndRemoteAddresses() throws Exception {
        long s = sockets.socket(AF_INET6, SOCK_STREAM);
        fake.sockname = hex("17 00 04 d2 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 7f 00 00 01 00 00 00 00");
        InetSocketAddress local = sockets.localAddress(s);
        assertTrue(local.getAddress() instanceof Inet4Address, "v4-mapped becomes IPv4, as NIO does");
        assertEquals(address("127.0.0.1", 1234), local);
        assertEquals(128, fake.last("getsockname").seg(1).bytes().length, "a SOCKADDR_STORAGE");
        assertEquals(128, ByteBuffer.wrap(fake.last("getsockname").seg(2).bytes()).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(0));

        fake.peername = hex("17 00 00 50 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00");
        assertEquals(address("::1", 80), sockets.remoteAddress(s));

        fake.failNext("getpeername", WsaError.WSAENOTCONN);
        assertNull(sockets.remoteAddress(s));
        fake.failNext("getpeername", WsaError.WSAENOTSOCK);
        assertEquals(WsaError.WSAENOTSOCK, assertThrows(RioException.class, () -> sockets.remoteAddress(s)).wsaError());
        fake.failNext("getsockname", WsaError.WSAEINVAL);
        assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class, () -> sockets.localAddress(s)).wsaError());
    }

    @Test
    void datagramConnectAndDisconnect() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_DGRAM);
        sockets.connectDatagram(s, address("127.0.0.1", 9));
        assertEquals(16, fake.last("connect").intArg(2));
        sockets.connectDatagram(s, null);
        FakeWindowsNative.Call disconnect = fake.last("connect");
        assertEquals(16, disconnect.intArg(2));
        assertArrayEquals(hex("02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"),
                java.util.Arrays.copyOf(disconnect.seg(1).bytes(), 16), "all-zero address: disconnect");
    }

    // ---- simple calls

    @Test
    void listenShutdownClose() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.listen(s, 128);
        assertEquals(List.of(s, 128), fake.last("listen").args());
        sockets.shutdown(s, RioConstants.SD_SEND);
        assertEquals(List.of(s, 1), fake.last("shutdown").args());
        assertThrows(IllegalArgumentException.class, () -> sockets.shutdown(s, 3));
        assertThrows(IllegalArgumentException.class, () -> sockets.listen(s, -1));
        fake.failNext("shutdown", WsaError.WSAENOTCONN);
        assertEquals(WsaError.WSAENOTCONN,
                assertThrows(RioException.class, () -> sockets.shutdown(s, 0)).wsaError());
        sockets.close(s);
        assertTrue(fake.closedSockets.contains(s));
        assertNull(sockets.state(s));
    }

    @Test
    void abortSetsLingerZeroThenCloses() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.abort(s);
        FakeWindowsNative.Call linger = fake.last("setsockopt");
        assertEquals(List.of(0xFFFF, 0x0080), List.of(linger.arg(1), linger.arg(2)));
        assertArrayEquals(hex("01 00 00 00"), linger.seg(3).bytes(), "l_onoff 1, l_linger 0, two u16");
        assertEquals(4, linger.intArg(4));
        assertEquals(List.of("WSASocketW", "setsockopt", "closesocket"), fake.names().subList(1, 4));
    }

    @Test
    void abortClosesEvenIfLingerFails() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        fake.failNext("setsockopt", WsaError.WSAENOTSOCK);
        assertThrows(RioException.class, () -> sockets.abort(s));
        assertTrue(fake.closedSockets.contains(s));
    }

    // ---- options

    @Test
    void everyOptionHasItsWindowsLevelAndNumber() throws Exception {
        Object[][] expected = {
            {RioSocketOption.SO_REUSEADDR, 0xFFFF, 0x0004}, {RioSocketOption.SO_KEEPALIVE, 0xFFFF, 0x0008},
            {RioSocketOption.SO_LINGER, 0xFFFF, 0x0080}, {RioSocketOption.SO_SNDBUF, 0xFFFF, 0x1001},
            {RioSocketOption.SO_RCVBUF, 0xFFFF, 0x1002}, {RioSocketOption.SO_BROADCAST, 0xFFFF, 0x0020},
            {RioSocketOption.SO_ERROR, 0xFFFF, 0x1007}, {RioSocketOption.SO_TYPE, 0xFFFF, 0x1008},
            {RioSocketOption.TCP_NODELAY, 6, 1}, {RioSocketOption.TCP_KEEPIDLE, 6, 3},
            {RioSocketOption.TCP_KEEPINTVL, 6, 17}, {RioSocketOption.TCP_KEEPCNT, 6, 16},
            {RioSocketOption.IP_TOS, 0, 3}, {RioSocketOption.IP_MULTICAST_TTL, 0, 10},
            {RioSocketOption.IP_MULTICAST_LOOP, 0, 11}, {RioSocketOption.IPV6_TCLASS, 41, 39},
            {RioSocketOption.IPV6_V6ONLY, 41, 27}, {RioSocketOption.IPV6_MULTICAST_HOPS, 41, 10},
            {RioSocketOption.IPV6_MULTICAST_LOOP, 41, 11}, {RioSocketOption.IPV6_MULTICAST_IF, 41, 9},
        };
        assertEquals(RioSocketOption.values().length, expected.length, "every option is mapped");
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        for (Object[] row : expected) {
            RioSocketOption option = (RioSocketOption) row[0];
            sockets.getOption(s, option);
            FakeWindowsNative.Call get = fake.last("getsockopt");
            assertEquals(row[1], get.arg(1), option + " level");
            assertEquals(row[2], get.arg(2), option + " number");
        }
    }

    @Test
    void intOptionsAreFourBytes() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.setOption(s, RioSocketOption.SO_RCVBUF, 0x10203);
        FakeWindowsNative.Call set = fake.last("setsockopt");
        assertArrayEquals(hex("03 02 01 00"), set.seg(3).bytes());
        assertEquals(4, set.intArg(4));
        fake.optionValue = hex("00 00 01 00");
        assertEquals(65536, sockets.getOption(s, RioSocketOption.SO_SNDBUF));
        assertArrayEquals(hex("04 00 00 00"), fake.last("getsockopt").seg(4).bytes(), "optlen in: 4");
    }

    @Test
    void booleanMayComeBackAsOneByte() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        fake.optionValue = hex("01 00 00 00");
        fake.optionLength = 1;
        assertEquals(1, sockets.getOption(s, RioSocketOption.TCP_NODELAY));
    }

    @Test
    void lingerIsTwoU16() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.setOption(s, RioSocketOption.SO_LINGER, 5);
        assertArrayEquals(hex("01 00 05 00"), fake.last("setsockopt").seg(3).bytes());
        sockets.setOption(s, RioSocketOption.SO_LINGER, -1);
        assertArrayEquals(hex("00 00 00 00"), fake.last("setsockopt").seg(3).bytes());
        fake.optionValue = hex("01 00 2c 01");
        assertEquals(300, sockets.getOption(s, RioSocketOption.SO_LINGER));
        fake.optionValue = hex("00 00 2c 01");
        assertEquals(-1, sockets.getOption(s, RioSocketOption.SO_LINGER), "l_onoff 0: off");
        assertThrows(IllegalArgumentException.class, () -> sockets.setOption(s, RioSocketOption.SO_LINGER, 65536));
    }

    @Test
    void readOnlyOptionsAndFailures() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        assertThrows(IllegalArgumentException.class, () -> sockets.setOption(s, RioSocketOption.SO_ERROR, 0));
        assertThrows(IllegalArgumentException.class, () -> sockets.getOption(s, null));
        assertThrows(IllegalArgumentException.class, () -> sockets.setOption(s, RioSocketOption.SO_TYPE, 1));
        fake.failNext("setsockopt", WsaError.WSAENOPROTOOPT);
        RioException e = assertThrows(RioException.class,
                () -> sockets.setOption(s, RioSocketOption.IPV6_TCLASS, 1));
        assertEquals(WsaError.WSAENOPROTOOPT, e.wsaError());
        fake.failNext("getsockopt", WsaError.WSAENOTSOCK);
        assertEquals(WsaError.WSAENOTSOCK,
                assertThrows(RioException.class, () -> sockets.getOption(s, RioSocketOption.SO_ERROR)).wsaError());
    }

    // ---- multicast

    @Test
    void ipv4Membership() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_DGRAM);
        InetAddress group = InetAddress.getByName("239.1.2.3");
        sockets.joinGroup(s, group, 7, null);
        FakeWindowsNative.Call join = fake.last("setsockopt");
        assertEquals(List.of(0, 12), List.of(join.arg(1), join.arg(2)));
        assertArrayEquals(hex("ef 01 02 03 00 00 00 07"), join.seg(3).bytes(), "ip_mreq, interface 0.0.0.7");
        sockets.leaveGroup(s, group, 7, InetAddress.getByName("10.0.0.9"));
        FakeWindowsNative.Call leave = fake.last("setsockopt");
        assertEquals(List.of(0, 16), List.of(leave.arg(1), leave.arg(2)));
        assertArrayEquals(hex("ef 01 02 03 0a 00 00 09 00 00 00 07"), leave.seg(3).bytes(),
                "ip_mreq_source: group, source, interface");
        assertEquals(12, leave.intArg(4));
    }

    @Test
    void ipv6Membership() throws Exception {
        long s = sockets.socket(AF_INET6, SOCK_DGRAM);
        InetAddress group = InetAddress.getByName("ff02::1:3");
        sockets.joinGroup(s, group, 3, null);
        FakeWindowsNative.Call join = fake.last("setsockopt");
        assertEquals(List.of(41, 12), List.of(join.arg(1), join.arg(2)));
        assertArrayEquals(hex("ff 02 00 00 00 00 00 00 00 00 00 00 00 01 00 03 03 00 00 00"), join.seg(3).bytes());
        sockets.joinGroup(s, group, 3, InetAddress.getByName("fe80::1"));
        FakeWindowsNative.Call source = fake.last("setsockopt");
        assertEquals(List.of(41, 45, 264), List.of(source.arg(1), source.arg(2), source.arg(4)));
        ByteBuffer req = ByteBuffer.wrap(source.seg(3).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, req.getInt(0));
        assertEquals(23, req.getShort(8), "gsr_group is a sockaddr_in6");
        assertEquals((byte) 0xff, req.get(8 + 8));
        assertEquals(23, req.getShort(136), "gsr_source at 136");
        assertEquals((byte) 0xfe, req.get(136 + 8));
        sockets.leaveGroup(s, group, 3, null);
        assertEquals(13, fake.last("setsockopt").intArg(2));
    }

    @Test
    void membershipArgumentsAreChecked() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_DGRAM);
        assertThrows(IllegalArgumentException.class,
                () -> sockets.joinGroup(s, InetAddress.getByName("10.0.0.1"), 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> sockets.joinGroup(s, InetAddress.getByName("239.0.0.1"), -1, null));
        assertThrows(IllegalArgumentException.class,
                () -> sockets.joinGroup(s, InetAddress.getByName("239.0.0.1"), 0, InetAddress.getByName("::1")));
    }

    @Test
    void multicastInterface() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_DGRAM);
        sockets.setMulticastInterface(s, (Inet4Address) InetAddress.getByName("192.168.1.20"));
        FakeWindowsNative.Call call = fake.last("setsockopt");
        assertEquals(List.of(0, 9), List.of(call.arg(1), call.arg(2)));
        assertArrayEquals(hex("c0 a8 01 14"), call.seg(3).bytes(), "IN_ADDR in network order");
    }

    // ---- AcceptEx

    @Test
    void acceptCompletesWithTheAcceptedSocket() throws Exception {
        long listener = sockets.socket(AF_INET6, SOCK_STREAM);
        sockets.accept(listener, port, KEY, CONTEXT);

        FakeWindowsNative.Call associate = fake.last("CreateIoCompletionPort");
        assertEquals(List.of(listener, FakeWindowsNative.PORT_HANDLE, IocpPort.OPERATION_KEY, 0), associate.args());
        FakeWindowsNative.Call socket = fake.last("WSASocketW");
        assertEquals(List.of(23, 1, 6, "NULL", 0, 0x181), socket.args(), "the accept socket is for registered I/O");
        FakeWindowsNative.Call acceptEx = fake.last("AcceptEx");
        long acceptSocket = acceptEx.longArg(1);
        assertEquals(listener, acceptEx.longArg(0));
        assertEquals(List.of(0, 44, 44), acceptEx.args().subList(3, 6), "no data; two SOCKADDR_INET + 16");
        assertTrue(acceptEx.seg(2).bytes().length >= 88);
        assertArrayEquals(new byte[32], acceptEx.seg(7).bytes(), "a zeroed OVERLAPPED");
        assertEquals(1, port.pendingOperations());

        PortCompletions out = completeLast("AcceptEx", 0);
        assertEquals(KEY, out.completionKey(0));
        assertEquals(CONTEXT, out.context(0));
        assertEquals(0, out.status(0));
        assertEquals(acceptSocket, out.result(0));

        FakeWindowsNative.Call result = fake.last("WSAGetOverlappedResult");
        assertEquals(listener, result.longArg(0));
        assertEquals(acceptEx.seg(7).address(), result.seg(1).address());
        assertEquals(0, result.intArg(3), "fWait FALSE");
        FakeWindowsNative.Call update = fake.last("setsockopt");
        assertEquals(List.of(acceptSocket, 0xFFFF, 0x700B, 8), List.of(update.arg(0), update.arg(1),
                update.arg(2), update.arg(4)));
        assertEquals(listener, ByteBuffer.wrap(update.seg(3).bytes()).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                "optval: the listening SOCKET");
        assertEquals(AF_INET6, sockets.state(acceptSocket).family);
        assertEquals(0, port.pendingOperations());
        assertFalse(fake.closedSockets.contains(acceptSocket));
    }

    @Test
    void secondAcceptDoesNotAssociateAgain() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.accept(listener, port, 1, 1);
        sockets.accept(listener, port, 2, 2);
        assertEquals(2, fake.count("CreateIoCompletionPort"), "the port, then the listener once");
        assertEquals(2, port.pendingOperations());
    }

    @Test
    void acceptExReturningTrueStillCompletesThroughThePort() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        fake.acceptExReturns.add(1);
        sockets.accept(listener, port, KEY, CONTEXT);
        assertEquals(1, port.pendingOperations());
        PortCompletions out = completeLast("AcceptEx", 0);
        assertEquals(0, out.status(0));
    }

    @Test
    void failedAcceptReachesThePortWithItsStatus() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.accept(listener, port, KEY, CONTEXT);
        long acceptSocket = fake.last("AcceptEx").longArg(1);
        PortCompletions out = completeLast("AcceptEx", WsaError.WSAECONNRESET);
        assertEquals(KEY, out.completionKey(0));
        assertEquals(CONTEXT, out.context(0));
        assertEquals(WsaError.WSAECONNRESET, out.status(0));
        assertEquals(0, out.result(0));
        assertTrue(fake.closedSockets.contains(acceptSocket), "the unused accept socket is closed");
        assertEquals(0, fake.count("setsockopt"), "no SO_UPDATE_ACCEPT_CONTEXT on failure");
    }

    @Test
    void failedAcceptContextUpdateFailsTheAccept() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.accept(listener, port, KEY, CONTEXT);
        long acceptSocket = fake.last("AcceptEx").longArg(1);
        fake.failNext("setsockopt", WsaError.WSAENOTCONN);
        PortCompletions out = completeLast("AcceptEx", 0);
        assertEquals(WsaError.WSAENOTCONN, out.status(0));
        assertTrue(fake.closedSockets.contains(acceptSocket));
        assertNull(sockets.state(acceptSocket));
    }

    @Test
    void acceptExFailingAtOnceThrowsAndCleansUp() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        fake.failNext("AcceptEx", WsaError.WSAEINVAL);
        RioException e = assertThrows(RioException.class, () -> sockets.accept(listener, port, KEY, CONTEXT));
        assertEquals("AcceptEx", e.call());
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertEquals(0, port.pendingOperations());
        assertTrue(fake.closedSockets.contains(fake.last("AcceptEx").longArg(1)));
        assertTrue(sockets.state(listener).pending.isEmpty());
    }

    @Test
    void closingTheListenerAbortsItsAccepts() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.accept(listener, port, KEY, CONTEXT);
        long acceptSocket = fake.last("AcceptEx").longArg(1);
        sockets.close(listener);
        // Even had the accept succeeded just before the close, the model promises WSA_OPERATION_ABORTED.
        PortCompletions out = completeLast("AcceptEx", 0);
        assertEquals(WsaError.WSA_OPERATION_ABORTED, out.status(0));
        assertEquals(0, fake.count("WSAGetOverlappedResult"), "the closed handle is not asked");
        assertTrue(fake.closedSockets.contains(acceptSocket));
    }

    @Test
    void acceptArgumentsAreChecked() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        Port foreign = new Port() {
            @Override
            public long handle() {
                return 1;
            }

            @Override
            public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) {
                return 0;
            }

            @Override
            public void post(long completionKey, long context) {
            }

            @Override
            public void close() {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> sockets.accept(listener, foreign, 1, 1));
        RioException e = assertThrows(RioException.class, () -> sockets.accept(0x999, port, 1, 1));
        assertEquals(WsaError.WSAENOTSOCK, e.wsaError());
    }

    @Test
    void aSocketStaysOnItsPort() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.accept(listener, port, 1, 1);
        try (IocpPort other = IocpPort.open(fake, sockets)) {
            RioException e = assertThrows(RioException.class, () -> sockets.accept(listener, other, 1, 1));
            assertEquals(WsaError.WSAEINVAL, e.wsaError());
        }
        long fresh = sockets.socket(AF_INET, SOCK_STREAM);
        fake.failNext("CreateIoCompletionPort", WindowsConstants.ERROR_INVALID_PARAMETER);
        RioException e = assertThrows(RioException.class, () -> sockets.accept(fresh, port, 1, 1));
        assertEquals(WindowsConstants.ERROR_INVALID_PARAMETER, e.wsaError(), "GetLastError of the association");
    }

    @Test
    void closingThePortKeepsPendingOperationMemory() throws Exception {
        long listener = sockets.socket(AF_INET, SOCK_STREAM);
        int before = IocpPort.abandonedOperations();
        try (IocpPort other = IocpPort.open(fake, sockets)) {
            sockets.accept(listener, other, 1, 1);
        }
        assertEquals(before + 1, IocpPort.abandonedOperations(),
                "the kernel may still write the OVERLAPPED when the listener closes");
        assertTrue(fake.closedSockets.contains(fake.last("AcceptEx").longArg(1)), "its accept socket is closed");
        assertFalse(fake.closedSockets.contains(listener));
    }

    // ---- ConnectEx

    @Test
    void connectBindsToTheWildcardThenConnects() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.connect(s, address("127.0.0.1", 8080), port, KEY, CONTEXT);
        FakeWindowsNative.Call bind = fake.last("bind");
        assertArrayEquals(hex("02 00 00 00 00 00 00 00"), java.util.Arrays.copyOf(bind.seg(1).bytes(), 8),
                "0.0.0.0:0");
        assertEquals(List.of(s, FakeWindowsNative.PORT_HANDLE, IocpPort.OPERATION_KEY, 0),
                fake.last("CreateIoCompletionPort").args());
        FakeWindowsNative.Call connectEx = fake.last("ConnectEx");
        assertEquals(s, connectEx.longArg(0));
        assertArrayEquals(hex("02 00 1f 90 7f 00 00 01"), java.util.Arrays.copyOf(connectEx.seg(1).bytes(), 8));
        assertEquals(16, connectEx.intArg(2));
        assertEquals(List.of("NULL", 0), connectEx.args().subList(3, 5), "no data with the connect");
        List<String> order = fake.names();
        assertTrue(order.indexOf("bind") < order.indexOf("ConnectEx"));

        PortCompletions out = completeLast("ConnectEx", 0);
        assertEquals(List.of(KEY, CONTEXT, 0, 0L),
                List.of(out.completionKey(0), out.context(0), out.status(0), out.result(0)));
        FakeWindowsNative.Call update = fake.last("setsockopt");
        assertEquals(List.of(s, 0xFFFF, 0x7010, "NULL", 0), update.args(), "SO_UPDATE_CONNECT_CONTEXT");
    }

    @Test
    void refusedConnectReachesThePortAsWsaeconnrefused() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.connect(s, address("127.0.0.1", 1), port, KEY, CONTEXT);
        PortCompletions out = completeLast("ConnectEx", WsaError.WSAECONNREFUSED);
        assertEquals(WsaError.WSAECONNREFUSED, out.status(0));
        assertEquals(CONTEXT, out.context(0));
        assertEquals(0, fake.calls("setsockopt").size(), "no context update for a failed connect");
    }

    @Test
    void boundSocketIsNotRebound() throws Exception {
        long s = sockets.socket(AF_INET6, SOCK_STREAM);
        sockets.bind(s, address("::1", 0));
        sockets.connect(s, address("127.0.0.1", 80), port, KEY, CONTEXT);
        assertEquals(1, fake.count("bind"));
        FakeWindowsNative.Call connectEx = fake.last("ConnectEx");
        assertEquals(28, connectEx.intArg(2), "IPv4 peer of a dual-stack socket: v4-mapped");
        assertArrayEquals(hex("00 00 00 00 00 00 00 00 00 00 ff ff 7f 00 00 01"),
                java.util.Arrays.copyOfRange(connectEx.seg(1).bytes(), 8, 24));
    }

    @Test
    void connectExFailingAtOnceThrows() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        fake.failNext("ConnectEx", WsaError.WSAENETUNREACH);
        RioException e = assertThrows(RioException.class,
                () -> sockets.connect(s, address("127.0.0.1", 1), port, KEY, CONTEXT));
        assertEquals("ConnectEx", e.call());
        assertEquals(WsaError.WSAENETUNREACH, e.wsaError());
        assertEquals(0, port.pendingOperations());
    }

    @Test
    void closingTheSocketAbortsItsConnect() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.connect(s, address("127.0.0.1", 1), port, KEY, CONTEXT);
        sockets.close(s);
        PortCompletions out = completeLast("ConnectEx", 0);
        assertEquals(WsaError.WSA_OPERATION_ABORTED, out.status(0));
        assertEquals(0, fake.count("WSAGetOverlappedResult"));
    }

    @Test
    void operationsAndPostsShareOneBatch() throws Exception {
        long s = sockets.socket(AF_INET, SOCK_STREAM);
        sockets.connect(s, address("127.0.0.1", 1), port, KEY, CONTEXT);
        long overlapped = fake.last("ConnectEx").seg(6).address();
        port.post(5, 55);
        fake.packets.add(new FakeWindowsNative.Packet(IocpPort.OPERATION_KEY, overlapped, 0));
        fake.packets.add(new FakeWindowsNative.Packet(0x11, 0x2222, 0));
        PortCompletions out = new PortCompletions(8);
        assertEquals(3, port.getQueuedCompletionStatus(out, 0));
        assertEquals(List.of(5L, KEY, 0x11L), List.of(out.completionKey(0), out.completionKey(1),
                out.completionKey(2)));
        assertEquals(List.of(55L, CONTEXT, 0x2222L), List.of(out.context(0), out.context(1), out.context(2)));
    }
}
