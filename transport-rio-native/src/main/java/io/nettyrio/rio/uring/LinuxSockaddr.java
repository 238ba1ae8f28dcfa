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
import io.nettyrio.rio.SockaddrInet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Linux {@code struct sockaddr_in} (16 bytes) and {@code struct sockaddr_in6} (28 bytes) in native memory, to and
 * from {@link InetSocketAddress} and to and from the Windows {@code SOCKADDR_INET} the model's Ex calls use
 * ({@link io.nettyrio.rio.SockaddrInet}). Both operating systems lay the two structs out identically (family u16,
 * port u16 big-endian, then the address); only the value of {@code AF_INET6} differs: 10 on Linux, 23 on Windows.
 */
final class LinuxSockaddr {
    static final short AF_INET = 2;
    static final short AF_INET6 = 10;
    /** The room for either struct. */
    static final int MAX_SIZE = 28;
    static final int SIZEOF_SOCKADDR_IN = 16;
    static final int SIZEOF_SOCKADDR_IN6 = 28;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private LinuxSockaddr() {
    }

    /** Translates a model (Windows) address family into the Linux one; -1 if it is neither. */
    static int toLinuxFamily(int windowsFamily) {
        return switch (windowsFamily) {
            case RioConstants.AF_INET -> AF_INET;
            case RioConstants.AF_INET6 -> AF_INET6;
            default -> -1;
        };
    }

    /**
     * Writes {@code address} at the start of {@code out} for a socket of the Linux {@code family}: an IPv4
     * address on an IPv6 socket is written IPv4-mapped ({@code ::ffff:a.b.c.d}), because the provider's IPv6
     * sockets are dual-stack. Returns the length to pass as {@code socklen_t}.
     *
     * @throws IllegalArgumentException if the address is unresolved, or IPv6 on an IPv4 socket
     */
    static int write(MemorySegment out, InetSocketAddress address, int family) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        InetAddress ip = address.getAddress();
        out.asSlice(0, MAX_SIZE).fill((byte) 0);
        out.set(PORT, 2, (short) address.getPort());
        if (family == AF_INET) {
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException("an IPv6 address on an IPv4 socket: " + address);
            }
            out.set(FAMILY, 0, AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, out, ValueLayout.JAVA_BYTE, 4, 4);
            return SIZEOF_SOCKADDR_IN;
        }
        out.set(FAMILY, 0, AF_INET6);
        if (ip instanceof Inet4Address ip4) {
            MemorySegment.copy(SockaddrInet.ipv4Mapped(ip4).getAddress(), 0, out, ValueLayout.JAVA_BYTE, 8, 16);
        } else {
            MemorySegment.copy(ip.getAddress(), 0, out, ValueLayout.JAVA_BYTE, 8, 16);
            out.set(INT, 24, ((Inet6Address) ip).getScopeId());
        }
        return SIZEOF_SOCKADDR_IN6;
    }

    /**
     * Reads a Linux sockaddr at the start of {@code in}. An IPv4-mapped IPv6 address is returned as the IPv4
     * address, as Java does for dual-stack sockets.
     *
     * @return the address, or {@code null} if the family is neither AF_INET nor AF_INET6 (e.g. AF_UNSPEC)
     */
    static InetSocketAddress read(MemorySegment in) {
        short family = in.get(FAMILY, 0);
        int port = Short.toUnsignedInt(in.get(PORT, 2));
        try {
            if (family == AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 8, ip, 0, 16);
                int scope = in.get(INT, 24);
                // getByAddress turns an IPv4-mapped address into an Inet4Address by itself.
                InetAddress address = scope == 0 ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which the copies rule out
        }
        return null;
    }

    /**
     * Converts a Windows {@code SOCKADDR_INET} at the start of {@code windows} into a Linux sockaddr at the start
     * of {@code linux} for a socket of the Linux {@code family}.
     *
     * @return the length to pass as {@code socklen_t}, or -1 if the family is not AF_INET or AF_INET6, or does
     *         not fit the socket (an IPv6 destination on an IPv4 socket)
     */
    static int fromSockaddrInet(MemorySegment windows, MemorySegment linux, int family) {
        return fromSockaddrInet(windows, 0, linux, 0, family);
    }

    /** {@link #fromSockaddrInet(MemorySegment, MemorySegment, int)} at offsets, without slicing (hot path). */
    static int fromSockaddrInet(MemorySegment windows, long w, MemorySegment linux, long l, int family) {
        short windowsFamily = windows.get(FAMILY, w);
        if (windowsFamily == RioConstants.AF_INET) {
            if (family == AF_INET) {
                MemorySegment.copy(windows, w, linux, l, 8);
                linux.set(ValueLayout.JAVA_LONG_UNALIGNED, l + 8, 0L);
                return SIZEOF_SOCKADDR_IN;
            }
            // an IPv4 destination on a dual-stack IPv6 socket: IPv4-mapped
            clear(linux, l);
            linux.set(FAMILY, l, AF_INET6);
            linux.set(PORT, l + 2, windows.get(PORT, w + 2));
            SockaddrInet.writeIpv4Mapped(linux, l + 8, windows, w + 4);
            return SIZEOF_SOCKADDR_IN6;
        }
        if (windowsFamily == RioConstants.AF_INET6 && family == AF_INET6) {
            MemorySegment.copy(windows, w, linux, l, SIZEOF_SOCKADDR_IN6);
            linux.set(FAMILY, l, AF_INET6);
            return SIZEOF_SOCKADDR_IN6;
        }
        return -1;
    }

    /**
     * Converts a Linux sockaddr at the start of {@code linux} into a Windows {@code SOCKADDR_INET} (28 bytes) at
     * the start of {@code windows}. An IPv4-mapped IPv6 address becomes an AF_INET {@code SOCKADDR_INET}, what
     * Windows reports on a dual-stack socket for an IPv4 peer (RIOReceiveEx writes {@code SOCKADDR_INET}).
     */
    static void toSockaddrInet(MemorySegment linux, MemorySegment windows) {
        toSockaddrInet(linux, 0, windows, 0);
    }

    /** {@link #toSockaddrInet(MemorySegment, MemorySegment)} at offsets, without slicing (hot path). */
    static void toSockaddrInet(MemorySegment linux, long l, MemorySegment windows, long w) {
        short family = linux.get(FAMILY, l);
        clear(windows, w);
        if (family == AF_INET) {
            MemorySegment.copy(linux, l, windows, w, 8);
            windows.set(FAMILY, w, RioConstants.AF_INET);
        } else if (family == AF_INET6) {
            if (isV4Mapped(linux, l)) {
                windows.set(FAMILY, w, RioConstants.AF_INET);
                windows.set(PORT, w + 2, linux.get(PORT, l + 2));
                MemorySegment.copy(linux, l + 8 + 12, windows, w + 4, 4);
            } else {
                MemorySegment.copy(linux, l, windows, w, SIZEOF_SOCKADDR_IN6);
                windows.set(FAMILY, w, RioConstants.AF_INET6);
            }
        }
    }

    /** Zeroes the 28 bytes of a sockaddr at {@code offset}. */
    private static void clear(MemorySegment segment, long offset) {
        for (int i = 0; i < MAX_SIZE; i += 4) {
            segment.set(INT, offset + i, 0);
        }
    }

    private static boolean isV4Mapped(MemorySegment sockaddrIn6, long offset) {
        return SockaddrInet.isIpv4Mapped(sockaddrIn6, offset + 8);
    }
}
