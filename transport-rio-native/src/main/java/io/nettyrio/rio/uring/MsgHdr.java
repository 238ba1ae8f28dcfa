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

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native side of the requests that need more than a buffer (IORING_OP_SENDMSG, and the UDP receives read by
 * recvmmsg(2)): the Linux {@code struct msghdr}, {@code struct mmsghdr}, {@code struct iovec} and control-message
 * layouts of {@code <bits/socket.h>},
 * {@code <bits/types/struct_iovec.h>} and {@code <netinet/in.h>} (64-bit), and the per-request area that holds a
 * msghdr with its one iovec, its sockaddr and its control data ({@link #SLOT}). See sendmsg(2), recvmsg(2),
 * recvmmsg(2), cmsg(3), ip(7) ({@code IP_PKTINFO}) and ipv6(7) ({@code IPV6_PKTINFO}).
 */
final class MsgHdr {
    /** {@code struct msghdr}: 56 bytes. */
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4)).withName("msghdr");
    /** {@code struct mmsghdr} of recvmmsg(2): a msghdr and the bytes received for it; 64 bytes. */
    static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"), JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4))
            .withName("mmsghdr");
    /** {@code struct iovec}: 16 bytes. */
    static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len")).withName("iovec");
    /** {@code struct cmsghdr} without its data: 16 bytes ({@code CMSG_LEN(0)}). */
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"))
            .withName("cmsghdr");
    /** {@code struct in_pktinfo}: the data of an {@code IP_PKTINFO} control message. */
    static final StructLayout IN_PKTINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("ipi_ifindex"), JAVA_INT.withName("ipi_spec_dst"), JAVA_INT.withName("ipi_addr"))
            .withName("in_pktinfo");
    /** {@code struct in6_pktinfo}: the data of an {@code IPV6_PKTINFO} control message. */
    static final StructLayout IN6_PKTINFO = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("ipi6_addr"),
            JAVA_INT.withName("ipi6_ifindex")).withName("in6_pktinfo");
    /** Room for one {@code IP_PKTINFO} or {@code IPV6_PKTINFO} message ({@code CMSG_SPACE(20)} = 40), rounded up. */
    static final int CONTROL_SIZE = 64;
    /**
     * The native area of one request: its msghdr, the one iovec it points to, the sockaddr it names and the
     * control data it receives. 192 bytes.
     */
    static final StructLayout SLOT = MemoryLayout.structLayout(
            MSGHDR.withName("msg"), IOVEC.withName("iov"),
            MemoryLayout.sequenceLayout(LinuxSockaddr.MAX_SIZE, ValueLayout.JAVA_BYTE).withName("name"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.sequenceLayout(CONTROL_SIZE, ValueLayout.JAVA_BYTE).withName("control"),
            MemoryLayout.paddingLayout(24)).withName("request_slot");

    static final long MSG_NAME = MSGHDR.byteOffset(groupElement("msg_name"));
    static final long MSG_NAMELEN = MSGHDR.byteOffset(groupElement("msg_namelen"));
    static final long MSG_IOV = MSGHDR.byteOffset(groupElement("msg_iov"));
    static final long MSG_IOVLEN = MSGHDR.byteOffset(groupElement("msg_iovlen"));
    static final long MSG_CONTROL = MSGHDR.byteOffset(groupElement("msg_control"));
    static final long MSG_CONTROLLEN = MSGHDR.byteOffset(groupElement("msg_controllen"));
    static final long MSG_FLAGS = MSGHDR.byteOffset(groupElement("msg_flags"));
    static final long MMSG_LEN = MMSGHDR.byteOffset(groupElement("msg_len"));
    static final long IOV_BASE = IOVEC.byteOffset(groupElement("iov_base"));
    static final long IOV_LEN = IOVEC.byteOffset(groupElement("iov_len"));
    /** Where a slot's sockaddr is, from the slot's start. */
    static final long SLOT_NAME = SLOT.byteOffset(groupElement("name"));
    private static final long SLOT_IOV = SLOT.byteOffset(groupElement("iov"));
    private static final long SLOT_CONTROL = SLOT.byteOffset(groupElement("control"));
    private static final long CMSG_LEN = CMSGHDR.byteOffset(groupElement("cmsg_len"));
    private static final long CMSG_LEVEL = CMSGHDR.byteOffset(groupElement("cmsg_level"));
    private static final long CMSG_TYPE = CMSGHDR.byteOffset(groupElement("cmsg_type"));
    private static final long IPI_ADDR = IN_PKTINFO.byteOffset(groupElement("ipi_addr"));
    private static final long IPI6_ADDR = IN6_PKTINFO.byteOffset(groupElement("ipi6_addr"));
    private static final long IPI6_IFINDEX = IN6_PKTINFO.byteOffset(groupElement("ipi6_ifindex"));
    // <bits/in.h>: the cmsg_type of the packet-information messages
    private static final int IP_PKTINFO = 8;
    private static final int IPV6_PKTINFO = 50;
    // sockaddr_in / sockaddr_in6 fields written here (see LinuxSockaddr)
    private static final long SIN_PORT = 2;
    private static final long SIN_ADDR = 4;
    private static final long SIN6_ADDR = 8;
    private static final long SIN6_SCOPE_ID = 24;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
            ByteOrder.BIG_ENDIAN);

    private MsgHdr() {
    }

    /**
     * Writes the msghdr of the slot at {@code base} in {@code m}: one iovec ({@code address}, {@code length}),
     * the slot's sockaddr as {@code msg_name} if {@code nameLength} &gt; 0, its control area as
     * {@code msg_control} if {@code control}.
     */
    static void write(MemorySegment m, long base, long address, int length, int nameLength, boolean control) {
        // Every field is set (the padding is not read): the slot is reused without being zeroed.
        long slot = m.address() + base;
        m.set(JAVA_LONG, base + MSG_NAME, nameLength > 0 ? slot + SLOT_NAME : 0L);
        m.set(JAVA_INT, base + MSG_NAMELEN, nameLength > 0 ? nameLength : 0);
        m.set(JAVA_LONG, base + MSG_IOV, slot + SLOT_IOV);
        m.set(JAVA_LONG, base + MSG_IOVLEN, 1L);
        m.set(JAVA_LONG, base + MSG_CONTROL, control ? slot + SLOT_CONTROL : 0L);
        m.set(JAVA_LONG, base + MSG_CONTROLLEN, control ? CONTROL_SIZE : 0L);
        m.set(JAVA_INT, base + MSG_FLAGS, 0);
        m.set(JAVA_LONG, base + SLOT_IOV + IOV_BASE, address);
        m.set(JAVA_LONG, base + SLOT_IOV + IOV_LEN, Integer.toUnsignedLong(length));
    }

    /** Zeroes {@code bytes} (a multiple of 4) at {@code offset}, without a slice object on the request path. */
    static void zero(MemorySegment m, long offset, long bytes) {
        for (long o = 0; o < bytes; o += 4) {
            m.set(JAVA_INT, offset + o, 0);
        }
    }

    /** The {@code msg_flags} the kernel wrote back into the slot at {@code base} (MSG_TRUNC for one). */
    static int flags(MemorySegment m, long base) {
        return m.get(JAVA_INT, base + MSG_FLAGS);
    }

    /**
     * Writes a msghdr at {@code header} that gathers {@code count} iovecs, which follow it in {@code m}
     * ({@link #iovec}).
     */
    static void writeGather(MemorySegment m, long header, int count) {
        zero(m, header, MSGHDR.byteSize());
        m.set(JAVA_LONG, header + MSG_IOV, m.address() + header + MSGHDR.byteSize());
        m.set(JAVA_LONG, header + MSG_IOVLEN, count);
    }

    /** Writes iovec {@code i} of the gathering msghdr at {@code header} ({@link #writeGather}). */
    static void iovec(MemorySegment m, long header, int i, long address, long length) {
        long iov = header + MSGHDR.byteSize() + IOVEC.byteSize() * i;
        m.set(JAVA_LONG, iov + IOV_BASE, address);
        m.set(JAVA_LONG, iov + IOV_LEN, length);
    }

    /** The bytes of a gathering msghdr with {@code count} iovecs. */
    static long gatherSize(int count) {
        return MSGHDR.byteSize() + IOVEC.byteSize() * count;
    }

    /**
     * Builds, in the slot's sockaddr, the Linux sockaddr of a received datagram's destination from its
     * {@code IP_PKTINFO} or {@code IPV6_PKTINFO} control message, with {@code port}.
     *
     * @return false if the control data hold no such message
     */
    static boolean destination(MemorySegment m, long base, int port) {
        long control = base + SLOT_CONTROL;
        long controlLength = m.get(JAVA_LONG, base + MSG_CONTROLLEN);
        long sockaddr = base + SLOT_NAME; // reused: the sender's address was copied out already
        for (long c = 0; c + CMSGHDR.byteSize() <= controlLength;) {
            long length = m.get(JAVA_LONG, control + c + CMSG_LEN);
            int level = m.get(JAVA_INT, control + c + CMSG_LEVEL);
            int type = m.get(JAVA_INT, control + c + CMSG_TYPE);
            if (length < CMSGHDR.byteSize()) {
                return false;
            }
            long data = control + c + CMSGHDR.byteSize(); // CMSG_DATA
            if (level == SocketOptions.IPPROTO_IP && type == IP_PKTINFO) {
                zero(m, sockaddr, LinuxSockaddr.MAX_SIZE);
                m.set(ValueLayout.JAVA_SHORT, sockaddr, LinuxSockaddr.AF_INET);
                MemorySegment.copy(m, data + IPI_ADDR, m, sockaddr + SIN_ADDR, 4);
                m.set(NET_SHORT, sockaddr + SIN_PORT, (short) port);
                return true;
            }
            if (level == SocketOptions.IPPROTO_IPV6 && type == IPV6_PKTINFO) {
                zero(m, sockaddr, LinuxSockaddr.MAX_SIZE);
                m.set(ValueLayout.JAVA_SHORT, sockaddr, LinuxSockaddr.AF_INET6);
                MemorySegment.copy(m, data + IPI6_ADDR, m, sockaddr + SIN6_ADDR, 16);
                if (m.get(ValueLayout.JAVA_BYTE, sockaddr + SIN6_ADDR) == (byte) 0xfe
                        && (m.get(ValueLayout.JAVA_BYTE, sockaddr + SIN6_ADDR + 1) & 0xc0) == 0x80) {
                    // link-local (fe80::/10): the interface is the scope
                    m.set(JAVA_INT, sockaddr + SIN6_SCOPE_ID, m.get(JAVA_INT, data + IPI6_IFINDEX));
                }
                m.set(NET_SHORT, sockaddr + SIN_PORT, (short) port);
                return true;
            }
            c += (length + 7) & ~7L; // CMSG_NXTHDR: aligned to sizeof(size_t)
        }
        return false;
    }
}
