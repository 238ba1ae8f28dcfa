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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IPv4-mapped IPv6 conversion of {@link SockaddrInet}, which both providers and the channels call. */
class SockaddrInetTest {
    private static final byte[] MAPPED_10_1_2_3 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};

    @Test
    void mapsAndUnmapsIpv4() throws Exception {
        Inet6Address mapped = SockaddrInet.ipv4Mapped((Inet4Address) InetAddress.getByName("10.1.2.3"));
        assertArrayEquals(MAPPED_10_1_2_3, mapped.getAddress());
        assertTrue(SockaddrInet.isIpv4Mapped(mapped.getAddress()));

        InetSocketAddress plain = SockaddrInet.unmapIpv4(new InetSocketAddress(mapped, 4242));
        assertInstanceOf(Inet4Address.class, plain.getAddress());
        assertEquals(new InetSocketAddress("10.1.2.3", 4242), plain);
    }

    @Test
    void leavesOtherAddressesAlone() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 7);
        assertSame(v6, SockaddrInet.unmapIpv4(v6));
        InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 7);
        assertSame(v4, SockaddrInet.unmapIpv4(v4));
        assertNull(SockaddrInet.unmapIpv4(null));
        // ::ffff:0:0/96 only: a NAT64 or IPv4-compatible address is not mapped.
        byte[] compatible = MAPPED_10_1_2_3.clone();
        compatible[10] = 0;
        compatible[11] = 0;
        assertFalse(SockaddrInet.isIpv4Mapped(compatible));
        byte[] almost = MAPPED_10_1_2_3.clone();
        almost[0] = 0x20;
        assertFalse(SockaddrInet.isIpv4Mapped(almost));
        assertFalse(SockaddrInet.isIpv4Mapped(new byte[4]));
    }

    @Test
    void nativeFormsAgreeWithTheByteForms() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ipv4 = arena.allocate(8);
            ipv4.asSlice(2, 4).copyFrom(MemorySegment.ofArray(new byte[] {10, 1, 2, 3}));
            MemorySegment in6 = arena.allocate(20);
            in6.fill((byte) 0x5a); // garbage the write must overwrite
            SockaddrInet.writeIpv4Mapped(in6, 2, ipv4, 2);
            assertArrayEquals(MAPPED_10_1_2_3, in6.asSlice(2, 16).toArray(ValueLayout.JAVA_BYTE));
            assertEquals((byte) 0x5a, in6.get(ValueLayout.JAVA_BYTE, 18)); // nothing written past the in6_addr
            assertTrue(SockaddrInet.isIpv4Mapped(in6, 2));
            in6.set(ValueLayout.JAVA_BYTE, 2 + 11, (byte) 0xfe);
            assertFalse(SockaddrInet.isIpv4Mapped(in6, 2));
        }
    }
}
