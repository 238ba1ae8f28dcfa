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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every struct the Windows provider passes to native code, against the x64 sizes, alignments and offsets of
 * their Microsoft Learn pages (WindowsHeaderLayoutsTest checks them against the headers), the GUIDs' in-memory images,
 * and every constant of sections 1, 3 and 5. Written from the reference, not from the code: a wrong offset here is
 * a corrupted struct on Windows.
 */
class WindowsLayoutsTest {

    private static void assertStruct(MemoryLayout layout, long size, long alignment) {
        assertEquals(size, layout.byteSize(), layout.name().orElse("?") + " size");
        assertEquals(alignment, layout.byteAlignment(), layout.name().orElse("?") + " alignment");
    }

    private static void assertOffset(MemoryLayout layout, long offset, PathElement... path) {
        assertEquals(offset, layout.byteOffset(path),
                () -> layout.name().orElse("?") + " " + java.util.Arrays.toString(path));
    }

    @Test
    void rioExtensionFunctionTable() {
        var table = RioFunctionTable.RIO_EXTENSION_FUNCTION_TABLE;
        assertStruct(table, 112, 8);
        assertOffset(table, 0, groupElement("cbSize"));
        String[] order = {"RIOReceive", "RIOReceiveEx", "RIOSend", "RIOSendEx", "RIOCloseCompletionQueue",
            "RIOCreateCompletionQueue", "RIOCreateRequestQueue", "RIODequeueCompletion", "RIODeregisterBuffer",
            "RIONotify", "RIORegisterBuffer", "RIOResizeCompletionQueue", "RIOResizeRequestQueue"};
        long[] offsets = {8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104};
        for (int i = 0; i < order.length; i++) {
            assertOffset(table, offsets[i], groupElement(order[i]));
            assertEquals(offsets[i], RioFunctionTable.offsetOf(order[i]));
            assertEquals(order[i], RioFunctionTable.FUNCTIONS.get(i));
        }
        assertEquals(13, RioFunctionTable.FUNCTIONS.size());
    }

    @Test
    void rioBuf() {
        assertStruct(RioLayouts.RIO_BUF, 16, 8);
        assertOffset(RioLayouts.RIO_BUF, 0, groupElement("BufferId"));
        assertOffset(RioLayouts.RIO_BUF, 8, groupElement("Offset"));
        assertOffset(RioLayouts.RIO_BUF, 12, groupElement("Length"));
    }

    @Test
    void rioResult() {
        assertStruct(RioLayouts.RIORESULT, 24, 8);
        assertOffset(RioLayouts.RIORESULT, 0, groupElement("Status"));
        assertOffset(RioLayouts.RIORESULT, 4, groupElement("BytesTransferred"));
        assertOffset(RioLayouts.RIORESULT, 8, groupElement("SocketContext"));
        assertOffset(RioLayouts.RIORESULT, 16, groupElement("RequestContext"));
    }

    @Test
    void rioNotificationCompletion() {
        var l = RioLayouts.RIO_NOTIFICATION_COMPLETION;
        assertStruct(l, 32, 8);
        assertOffset(l, 0, groupElement("Type"));
        assertOffset(l, 8, groupElement("u"), groupElement("Event"), groupElement("EventHandle"));
        assertOffset(l, 16, groupElement("u"), groupElement("Event"), groupElement("NotifyReset"));
        assertOffset(l, 8, groupElement("u"), groupElement("Iocp"), groupElement("IocpHandle"));
        assertOffset(l, 16, groupElement("u"), groupElement("Iocp"), groupElement("CompletionKey"));
        assertOffset(l, 24, groupElement("u"), groupElement("Iocp"), groupElement("Overlapped"));
    }

    @Test
    void overlapped() {
        var l = Overlapped.OVERLAPPED;
        assertStruct(l, 32, 8);
        assertOffset(l, 0, groupElement("Internal"));
        assertOffset(l, 8, groupElement("InternalHigh"));
        assertOffset(l, 16, groupElement("u"), groupElement("s"), groupElement("Offset"));
        assertOffset(l, 20, groupElement("u"), groupElement("s"), groupElement("OffsetHigh"));
        assertOffset(l, 16, groupElement("u"), groupElement("Pointer"));
        assertOffset(l, 24, groupElement("hEvent"));
    }

    @Test
    void overlappedEntry() {
        var l = Overlapped.OVERLAPPED_ENTRY;
        assertStruct(l, 32, 8);
        assertOffset(l, 0, groupElement("lpCompletionKey"));
        assertOffset(l, 8, groupElement("lpOverlapped"));
        assertOffset(l, 16, groupElement("Internal"));
        assertOffset(l, 24, groupElement("dwNumberOfBytesTransferred"));
    }

    @Test
    void wsabuf() {
        assertStruct(WinsockStructs.WSABUF, 16, 8);
        assertOffset(WinsockStructs.WSABUF, 0, groupElement("len"));
        assertOffset(WinsockStructs.WSABUF, 8, groupElement("buf"));
    }

    @Test
    void guid() {
        assertStruct(Guid.GUID, 16, 4);
        assertOffset(Guid.GUID, 0, groupElement("Data1"));
        assertOffset(Guid.GUID, 4, groupElement("Data2"));
        assertOffset(Guid.GUID, 6, groupElement("Data3"));
        assertOffset(Guid.GUID, 8, groupElement("Data4"));
    }

    @Test
    void sockaddrIn() {
        var l = SockaddrInet.SOCKADDR_IN;
        assertStruct(l, 16, 4);
        assertOffset(l, 0, groupElement("sin_family"));
        assertOffset(l, 2, groupElement("sin_port"));
        assertOffset(l, 4, groupElement("sin_addr"));
        assertOffset(l, 8, groupElement("sin_zero"));
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN,
                ((ValueLayout) l.select(groupElement("sin_port"))).order(), "sin_port is big-endian");
    }

    @Test
    void sockaddrIn6() {
        var l = SockaddrInet.SOCKADDR_IN6;
        assertStruct(l, 28, 4);
        assertOffset(l, 0, groupElement("sin6_family"));
        assertOffset(l, 2, groupElement("sin6_port"));
        assertOffset(l, 4, groupElement("sin6_flowinfo"));
        assertOffset(l, 8, groupElement("sin6_addr"));
        assertOffset(l, 24, groupElement("sin6_scope_id"));
    }

    @Test
    void sockaddrInet() {
        var l = SockaddrInet.SOCKADDR_INET;
        assertStruct(l, 28, 4);
        assertEquals(28, SockaddrInet.SIZE);
        assertOffset(l, 0, groupElement("si_family"));
        assertOffset(l, 0, groupElement("Ipv4"), groupElement("sin_family"));
        assertOffset(l, 0, groupElement("Ipv6"), groupElement("sin6_family"));
    }

    @Test
    void sockaddrStorage() {
        var l = WinsockStructs.SOCKADDR_STORAGE;
        assertStruct(l, 128, 8);
        assertOffset(l, 0, groupElement("ss_family"));
        assertOffset(l, 8, groupElement("__ss_align"));
        assertOffset(l, 16, groupElement("__ss_pad2"));
    }

    @Test
    void wsadataIsTheWin64Order() {
        var l = WinsockStructs.WSADATA;
        assertStruct(l, 408, 8);
        assertOffset(l, 0, groupElement("wVersion"));
        assertOffset(l, 2, groupElement("wHighVersion"));
        assertOffset(l, 4, groupElement("iMaxSockets"));
        assertOffset(l, 6, groupElement("iMaxUdpDg"));
        assertOffset(l, 8, groupElement("lpVendorInfo"));
        assertOffset(l, 16, groupElement("szDescription"));
        assertOffset(l, 273, groupElement("szSystemStatus"));
        assertEquals(257, l.select(groupElement("szDescription")).byteSize());
        assertEquals(129, l.select(groupElement("szSystemStatus")).byteSize());
    }

    @Test
    void lingerIsTwoU16() {
        var l = WinsockStructs.LINGER;
        assertStruct(l, 4, 2);
        assertOffset(l, 0, groupElement("l_onoff"));
        assertOffset(l, 2, groupElement("l_linger"));
    }

    @Test
    void multicastRequests() {
        assertStruct(WinsockStructs.IP_MREQ, 8, 4);
        assertOffset(WinsockStructs.IP_MREQ, 4, groupElement("imr_interface"));
        assertStruct(WinsockStructs.IP_MREQ_SOURCE, 12, 4);
        assertOffset(WinsockStructs.IP_MREQ_SOURCE, 0, groupElement("imr_multiaddr"));
        assertOffset(WinsockStructs.IP_MREQ_SOURCE, 4, groupElement("imr_sourceaddr"));
        assertOffset(WinsockStructs.IP_MREQ_SOURCE, 8, groupElement("imr_interface"));
        assertStruct(WinsockStructs.IPV6_MREQ, 20, 4);
        assertOffset(WinsockStructs.IPV6_MREQ, 16, groupElement("ipv6mr_interface"));
        assertStruct(WinsockStructs.GROUP_SOURCE_REQ, 264, 8);
        assertOffset(WinsockStructs.GROUP_SOURCE_REQ, 0, groupElement("gsr_interface"));
        assertEquals(8, WinsockStructs.GROUP_SOURCE_REQ_gsr_group);
        assertEquals(136, WinsockStructs.GROUP_SOURCE_REQ_gsr_source);
    }

    private static void assertGuid(String text, String image) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] expected = HexFormat.ofDelimiter(" ").parseHex(image);
            assertArrayEquals(expected, Guid.allocate(arena, text).toArray(ValueLayout.JAVA_BYTE), text);
        }
    }

    @Test
    void guidImagesAreTheReferenceBytes() {
        assertGuid(WindowsConstants.WSAID_MULTIPLE_RIO, "81 e0 09 85 dd 96 05 40 b1 65 9e 2e e8 c7 9e 3f");
        assertGuid(WindowsConstants.WSAID_ACCEPTEX, "f1 7d 36 b5 ac cb cf 11 95 ca 00 80 5f 48 a1 92");
        assertGuid(WindowsConstants.WSAID_GETACCEPTEXSOCKADDRS, "f2 7d 36 b5 ac cb cf 11 95 ca 00 80 5f 48 a1 92");
        assertGuid(WindowsConstants.WSAID_CONNECTEX, "b9 07 a2 25 f3 dd 60 46 8e e9 76 e5 8c 74 06 3e");
        assertGuid("7fda2e11-8630-436f-a031-f536a6eec157", "11 2e da 7f 30 86 6f 43 a0 31 f5 36 a6 ee c1 57");
    }

    @Test
    void malformedGuidIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> Guid.allocate(arena, "8509e081-96dd-4005-b165"));
            assertThrows(IllegalArgumentException.class,
                    () -> Guid.allocate(arena, "8509e08g-96dd-4005-b165-9e2ee8c79e3f"));
        }
    }

    @Test
    void ioctlAndSocketConstants() {
        assertEquals(0xC8000024, WindowsConstants.SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER);
        assertEquals(0xC8000006, WindowsConstants.SIO_GET_EXTENSION_FUNCTION_POINTER);
        assertEquals(0x80000000 | 0x18000000 | 12, WindowsConstants.SIO_UDP_CONNRESET, "_WSAIOW(IOC_VENDOR, 12)");
        assertEquals(-1744830452, WindowsConstants.SIO_UDP_CONNRESET);
        assertEquals(0x01, WindowsConstants.WSA_FLAG_OVERLAPPED);
        assertEquals(0x80, WindowsConstants.WSA_FLAG_NO_HANDLE_INHERIT);
        assertEquals(0x100, WindowsConstants.WSA_FLAG_REGISTERED_IO);
        assertEquals(0x181, WindowsConstants.SOCKET_FLAGS);
        assertEquals(0x0202, WindowsConstants.WINSOCK_VERSION_2_2);
        assertEquals(-1L, WindowsConstants.INVALID_SOCKET);
        assertEquals(-1L, WindowsConstants.INVALID_HANDLE_VALUE);
        assertEquals(0xFFFFFFFF, WindowsConstants.INFINITE);
        assertEquals(0x7fffffff, WindowsConstants.SOMAXCONN);
        assertEquals(2, RioConstants.AF_INET);
        assertEquals(23, RioConstants.AF_INET6);
        assertEquals(1, RioConstants.SOCK_STREAM);
        assertEquals(2, RioConstants.SOCK_DGRAM);
        assertEquals(0, RioConstants.SD_RECEIVE);
        assertEquals(1, RioConstants.SD_SEND);
        assertEquals(2, RioConstants.SD_BOTH);
    }

    @Test
    void optionConstants() {
        assertEquals(0xFFFF, WindowsConstants.SOL_SOCKET);
        assertEquals(0, WindowsConstants.IPPROTO_IP);
        assertEquals(6, WindowsConstants.IPPROTO_TCP);
        assertEquals(17, WindowsConstants.IPPROTO_UDP);
        assertEquals(41, WindowsConstants.IPPROTO_IPV6);
        assertEquals(0x0004, WindowsConstants.SO_REUSEADDR);
        assertEquals(-5, WindowsConstants.SO_EXCLUSIVEADDRUSE);
        assertEquals(0x0008, WindowsConstants.SO_KEEPALIVE);
        assertEquals(0x0020, WindowsConstants.SO_BROADCAST);
        assertEquals(0x0080, WindowsConstants.SO_LINGER);
        assertEquals(-129, WindowsConstants.SO_DONTLINGER);
        assertEquals(0x1001, WindowsConstants.SO_SNDBUF);
        assertEquals(0x1002, WindowsConstants.SO_RCVBUF);
        assertEquals(0x1005, WindowsConstants.SO_SNDTIMEO);
        assertEquals(0x1006, WindowsConstants.SO_RCVTIMEO);
        assertEquals(0x1007, WindowsConstants.SO_ERROR);
        assertEquals(0x1008, WindowsConstants.SO_TYPE);
        assertEquals(0x700B, WindowsConstants.SO_UPDATE_ACCEPT_CONTEXT);
        assertEquals(0x7010, WindowsConstants.SO_UPDATE_CONNECT_CONTEXT);
        assertEquals(1, WindowsConstants.TCP_NODELAY);
        assertEquals(3, WindowsConstants.TCP_KEEPALIVE);
        assertEquals(16, WindowsConstants.TCP_KEEPCNT);
        assertEquals(17, WindowsConstants.TCP_KEEPINTVL);
        assertEquals(27, WindowsConstants.IPV6_V6ONLY);
        // ws2ipdef.h
        assertEquals(3, WindowsConstants.IP_TOS);
        assertEquals(9, WindowsConstants.IP_MULTICAST_IF);
        assertEquals(10, WindowsConstants.IP_MULTICAST_TTL);
        assertEquals(11, WindowsConstants.IP_MULTICAST_LOOP);
        assertEquals(12, WindowsConstants.IP_ADD_MEMBERSHIP);
        assertEquals(13, WindowsConstants.IP_DROP_MEMBERSHIP);
        assertEquals(15, WindowsConstants.IP_ADD_SOURCE_MEMBERSHIP);
        assertEquals(16, WindowsConstants.IP_DROP_SOURCE_MEMBERSHIP);
        assertEquals(9, WindowsConstants.IPV6_MULTICAST_IF);
        assertEquals(10, WindowsConstants.IPV6_MULTICAST_HOPS);
        assertEquals(11, WindowsConstants.IPV6_MULTICAST_LOOP);
        assertEquals(12, WindowsConstants.IPV6_ADD_MEMBERSHIP);
        assertEquals(13, WindowsConstants.IPV6_DROP_MEMBERSHIP);
        assertEquals(39, WindowsConstants.IPV6_TCLASS);
        assertEquals(45, WindowsConstants.MCAST_JOIN_SOURCE_GROUP);
        assertEquals(46, WindowsConstants.MCAST_LEAVE_SOURCE_GROUP);
    }

    @Test
    void rioConstants() {
        assertEquals(0x1, RioConstants.RIO_MSG_DONT_NOTIFY);
        assertEquals(0x2, RioConstants.RIO_MSG_DEFER);
        assertEquals(0x4, RioConstants.RIO_MSG_WAITALL);
        assertEquals(0x8, RioConstants.RIO_MSG_COMMIT_ONLY);
        assertEquals(0x00000000FFFFFFFFL, RioConstants.RIO_INVALID_BUFFERID, "zero-extended, not -1");
        assertEquals(0L, RioConstants.RIO_INVALID_CQ);
        assertEquals(0L, RioConstants.RIO_INVALID_RQ);
        assertEquals(-1, RioConstants.RIO_CORRUPT_CQ);
        assertEquals(134_217_728, RioConstants.RIO_MAX_CQ_SIZE);
        assertEquals(1, RioConstants.RIO_EVENT_COMPLETION);
        assertEquals(2, RioConstants.RIO_IOCP_COMPLETION);
    }

    @Test
    void errorCodes() {
        assertEquals(10014, WsaError.WSAEFAULT);
        assertEquals(10022, WsaError.WSAEINVAL);
        assertEquals(10035, WsaError.WSAEWOULDBLOCK);
        assertEquals(10037, WsaError.WSAEALREADY);
        assertEquals(10038, WsaError.WSAENOTSOCK);
        assertEquals(10045, WsaError.WSAEOPNOTSUPP);
        assertEquals(10048, WsaError.WSAEADDRINUSE);
        assertEquals(10050, WsaError.WSAENETDOWN);
        assertEquals(10053, WsaError.WSAECONNABORTED);
        assertEquals(10054, WsaError.WSAECONNRESET);
        assertEquals(10055, WsaError.WSAENOBUFS);
        assertEquals(10057, WsaError.WSAENOTCONN);
        assertEquals(10058, WsaError.WSAESHUTDOWN);
        assertEquals(10059, WsaError.WSAETOOMANYREFS);
        assertEquals(10060, WsaError.WSAETIMEDOUT);
        assertEquals(10061, WsaError.WSAECONNREFUSED);
        assertEquals(10093, WsaError.WSANOTINITIALISED);
        assertEquals(997, WsaError.WSA_IO_PENDING);
        assertEquals(995, WsaError.WSA_OPERATION_ABORTED);
        assertEquals(64, WsaError.ERROR_NETNAME_DELETED);
        assertEquals(258, WsaError.WAIT_TIMEOUT);
        assertEquals(735, WsaError.ERROR_ABANDONED_WAIT_0);
        assertEquals(10092, WindowsConstants.WSAVERNOTSUPPORTED);
    }
}
