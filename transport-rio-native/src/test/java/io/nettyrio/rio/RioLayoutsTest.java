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
package io.nettyrio.rio;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Checks the model's struct layouts against the offsets of their Microsoft Learn pages ("RIO_BUF structure
 * (mswsock.h)", "RIORESULT structure (mswsock.h)", "RIO_NOTIFICATION_COMPLETION structure (mswsock.h)").
 */
class RioLayoutsTest {

    @Test
    void rioBufMatchesTheReference() {
        assertEquals(16, RioLayouts.RIO_BUF.byteSize());
        assertEquals(8, RioLayouts.RIO_BUF.byteAlignment());
        assertEquals(0, RioLayouts.RIO_BUF.byteOffset(groupElement("BufferId")));
        assertEquals(8, RioLayouts.RIO_BUF.byteOffset(groupElement("Offset")));
        assertEquals(12, RioLayouts.RIO_BUF.byteOffset(groupElement("Length")));
    }

    @Test
    void rioResultMatchesTheReference() {
        assertEquals(24, RioLayouts.RIORESULT.byteSize());
        assertEquals(8, RioLayouts.RIORESULT.byteAlignment());
        assertEquals(0, RioLayouts.RIORESULT.byteOffset(groupElement("Status")));
        assertEquals(4, RioLayouts.RIORESULT.byteOffset(groupElement("BytesTransferred")));
        assertEquals(8, RioLayouts.RIORESULT.byteOffset(groupElement("SocketContext")));
        assertEquals(16, RioLayouts.RIORESULT.byteOffset(groupElement("RequestContext")));
    }

    @Test
    void rioNotificationCompletionMatchesTheReference() {
        var layout = RioLayouts.RIO_NOTIFICATION_COMPLETION;
        assertEquals(32, layout.byteSize());
        assertEquals(8, layout.byteAlignment());
        assertEquals(0, layout.byteOffset(groupElement("Type")));
        PathElement u = groupElement("u");
        assertEquals(8, layout.byteOffset(u, groupElement("Event"), groupElement("EventHandle")));
        assertEquals(16, layout.byteOffset(u, groupElement("Event"), groupElement("NotifyReset")));
        assertEquals(8, layout.byteOffset(u, groupElement("Iocp"), groupElement("IocpHandle")));
        assertEquals(16, layout.byteOffset(u, groupElement("Iocp"), groupElement("CompletionKey")));
        assertEquals(24, layout.byteOffset(u, groupElement("Iocp"), groupElement("Overlapped")));
    }

    @Test
    void sockaddrInetMatchesTheReference() {
        assertEquals(28, SockaddrInet.SOCKADDR_INET.byteSize());
        assertEquals(16, SockaddrInet.SOCKADDR_IN.byteSize());
        assertEquals(28, SockaddrInet.SOCKADDR_IN6.byteSize());
        assertEquals(4, SockaddrInet.SOCKADDR_IN6.byteAlignment());
        assertEquals(2, SockaddrInet.SOCKADDR_IN6.byteOffset(groupElement("sin6_port")));
        assertEquals(4, SockaddrInet.SOCKADDR_IN6.byteOffset(groupElement("sin6_flowinfo")));
        assertEquals(8, SockaddrInet.SOCKADDR_IN6.byteOffset(groupElement("sin6_addr")));
        assertEquals(24, SockaddrInet.SOCKADDR_IN6.byteOffset(groupElement("sin6_scope_id")));
        assertEquals(4, SockaddrInet.SOCKADDR_IN.byteOffset(groupElement("sin_addr")));
    }

    @Test
    void sockaddrInetRoundTripsIpv4WithBigEndianPort() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SockaddrInet.SIZE);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0x1234);
            assertEquals(16, SockaddrInet.write(s, 0, a));
            assertEquals(RioConstants.AF_INET, s.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(0x12, s.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals(0x34, s.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(127, s.get(ValueLayout.JAVA_BYTE, 4));
            assertEquals(a, SockaddrInet.read(s, 0));
        }
    }

    @Test
    void sockaddrInetRoundTripsIpv6() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SockaddrInet.SIZE + 4);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 65535);
            assertEquals(28, SockaddrInet.write(s, 4, a));
            assertEquals(RioConstants.AF_INET6, s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 4));
            assertEquals(1, s.get(ValueLayout.JAVA_BYTE, 4 + 8 + 15));
            assertEquals(a, SockaddrInet.read(s, 4));
        }
    }

    @Test
    void sockaddrInetRejectsBadInput() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(20);
            assertThrows(IllegalArgumentException.class,
                    () -> SockaddrInet.write(small, 0, new InetSocketAddress("127.0.0.1", 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> SockaddrInet.write(arena.allocate(28), 0, InetSocketAddress.createUnresolved("x", 1)));
            assertThrows(IllegalArgumentException.class, () -> SockaddrInet.write(arena.allocate(28), 0, null));
            MemorySegment zero = arena.allocate(28);
            assertThrows(IllegalArgumentException.class, () -> SockaddrInet.read(zero, 0));
        }
    }

    @Test
    void rioExceptionNamesItsCode() {
        RioException e = new RioException("RIOSend", WsaError.WSAENOBUFS, "outstanding sends exceeded");
        assertEquals(WsaError.WSAENOBUFS, e.wsaError());
        assertEquals("WSAENOBUFS", e.wsaErrorName());
        assertEquals("RIOSend failed: WSAENOBUFS (10055): outstanding sends exceeded", e.getMessage());
        assertEquals("WSA error 4242", WsaError.name(4242));
    }
}
