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

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.nettyrio.rio.RioConstants.AF_INET;
import static io.nettyrio.rio.RioConstants.AF_INET6;

/**
 * Windows' {@code SOCKADDR_INET} (28 bytes, align 4): a union of {@code sockaddr_in} and {@code sockaddr_in6}
 * with the family first ("SOCKADDR_INET union (ws2ipdef.h)" on Microsoft Learn). The model only ever speaks this
 * layout; the Linux provider translates it to and from Linux sockaddrs. Ports and IPv4 addresses are big-endian.
 *
 * <p>It is also the one home of the IPv4-mapped IPv6 conversion ({@link #ipv4Mapped}, {@link #unmapIpv4}) that
 * dual-stack sockets need, shared by both providers and the channels.
 */
public final class SockaddrInet {
    /** The size of {@code SOCKADDR_INET}. */
    public static final int SIZE = 28;

    /** {@code sockaddr_in6}, the larger arm of the union. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin6_family"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin6_port"),
            ValueLayout.JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("sin6_addr"),
            ValueLayout.JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    /** {@code sockaddr_in}. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_port"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("sin_zero"))
            // sin_addr is an IN_ADDR, a union holding a ULONG: the struct is 4-aligned ("IN_ADDR structure
            // (inaddr.h)" on Microsoft Learn).
            .withByteAlignment(4).withName("sockaddr_in");

    /** {@code SOCKADDR_INET}. */
    public static final MemoryLayout SOCKADDR_INET = MemoryLayout.unionLayout(
            SOCKADDR_IN.withName("Ipv4"),
            SOCKADDR_IN6.withName("Ipv6"),
            ValueLayout.JAVA_SHORT.withName("si_family")).withName("SOCKADDR_INET");

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IN6_ADDR_SIZE = 16;
    /** Where the IPv4 address starts in an IPv4-mapped {@code in6_addr}: after 80 zero bits and 16 one bits. */
    private static final int IPV4_MAPPED_PREFIX = 12;

    private SockaddrInet() {
    }

    /**
     * Writes {@code address} at {@code offset} of {@code segment} as a {@code SOCKADDR_INET} and returns its
     * meaningful length (16 for IPv4, 28 for IPv6).
     *
     * @throws IllegalArgumentException if the address is unresolved or the segment has no room for it
     */
    public static int write(MemorySegment segment, long offset, InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        if (offset < 0 || segment.byteSize() - offset < SIZE) {
            throw new IllegalArgumentException("no room for a SOCKADDR_INET at offset " + offset
                    + " of a segment of " + segment.byteSize() + " bytes");
        }
        segment.asSlice(offset, SIZE).fill((byte) 0);
        InetAddress ip = address.getAddress();
        segment.set(PORT, offset + 2, (short) address.getPort());
        if (ip instanceof Inet4Address) {
            segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, segment, ValueLayout.JAVA_BYTE, offset + 4, 4);
            return 16;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, AF_INET6);
        MemorySegment.copy(ip6.getAddress(), 0, segment, ValueLayout.JAVA_BYTE, offset + 8, 16);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 24, ip6.getScopeId());
        return SIZE;
    }

    /**
     * Returns {@code ip} as an IPv4-mapped IPv6 address, {@code ::ffff:a.b.c.d}: what a dual-stack IPv6 socket
     * takes for an IPv4 peer ("Dual-Stack Sockets for IPv6 Only Sockets" on Microsoft Learn; {@code ipv6(7)}).
     * The one place the mapping is built; the providers and the channels call it.
     */
    public static Inet6Address ipv4Mapped(Inet4Address ip) {
        byte[] mapped = new byte[IN6_ADDR_SIZE];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(ip.getAddress(), 0, mapped, IPV4_MAPPED_PREFIX, 4);
        try {
            // The scoped factory keeps an Inet6Address; InetAddress.getByAddress would turn it back into IPv4.
            return Inet6Address.getByAddress(null, mapped, 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }

    /**
     * Returns {@code address} with an IPv4-mapped IPv6 address turned into the plain IPv4 address, as Java's NIO
     * reports peers of dual-stack sockets; any other address (and {@code null}) is returned as it is.
     */
    public static InetSocketAddress unmapIpv4(InetSocketAddress address) {
        if (address == null || !(address.getAddress() instanceof Inet6Address ip6)) {
            return address;
        }
        byte[] ip = ip6.getAddress();
        if (!isIpv4Mapped(ip)) {
            return address;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(ip, IPV4_MAPPED_PREFIX,
                    IN6_ADDR_SIZE)), address.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }

    /** Returns whether the 16 bytes of {@code ip} are an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
    public static boolean isIpv4Mapped(byte[] ip) {
        if (ip.length != IN6_ADDR_SIZE) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    /**
     * Returns whether the {@code in6_addr} at {@code offset} of {@code segment} is IPv4-mapped; the form that
     * reads native memory without allocating, for the per-datagram path.
     */
    public static boolean isIpv4Mapped(MemorySegment segment, long offset) {
        for (int i = 0; i < 10; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, offset + i) != 0) {
                return false;
            }
        }
        return segment.get(ValueLayout.JAVA_BYTE, offset + 10) == (byte) 0xff
                && segment.get(ValueLayout.JAVA_BYTE, offset + 11) == (byte) 0xff;
    }

    /**
     * Writes, at {@code offset} of {@code segment}, the {@code in6_addr} {@code ::ffff:a.b.c.d} whose last four
     * bytes are the {@code in_addr} at {@code ipv4Offset} of {@code ipv4}; without allocating.
     */
    public static void writeIpv4Mapped(MemorySegment segment, long offset, MemorySegment ipv4, long ipv4Offset) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, 0L);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + 8, (short) 0);
        segment.set(ValueLayout.JAVA_BYTE, offset + 10, (byte) 0xff);
        segment.set(ValueLayout.JAVA_BYTE, offset + 11, (byte) 0xff);
        MemorySegment.copy(ipv4, ipv4Offset, segment, offset + IPV4_MAPPED_PREFIX, 4);
    }

    /**
     * Reads the {@code SOCKADDR_INET} at {@code offset} of {@code segment}.
     *
     * @throws IllegalArgumentException if its family is neither {@code AF_INET} nor {@code AF_INET6}
     */
    public static InetSocketAddress read(MemorySegment segment, long offset) {
        short family = segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset);
        int port = Short.toUnsignedInt(segment.get(PORT, offset + 2));
        try {
            if (family == AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + 8, ip, 0, 16);
                int scope = segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
            }
        } catch (UnknownHostException e) {
            // getByAddress only throws for a wrong length, which the copies above rule out.
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("not a SOCKADDR_INET: si_family " + family);
    }
}
