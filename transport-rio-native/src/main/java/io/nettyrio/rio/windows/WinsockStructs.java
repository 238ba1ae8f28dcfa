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

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The Winsock structs the provider marshals, x64 ({@code WinSock2.h}, {@code ws2def.h}, {@code ws2ipdef.h};
 * checked against them by {@code WindowsHeaderLayoutsTest}). {@code sockaddr_in}, {@code sockaddr_in6} and {@code
 * SOCKADDR_INET} are the model's own, in {@link io.nettyrio.rio.SockaddrInet}.
 */
final class WinsockStructs {
    /**
     * {@code WSADATA} as declared for Win64, whose field order differs from Win32's: wVersion u16@0,
     * wHighVersion u16@2, iMaxSockets u16@4, iMaxUdpDg u16@6, lpVendorInfo ptr@8, szDescription char[257]@16,
     * szSystemStatus char[129]@273; 408 bytes, align 8.
     */
    static final StructLayout WSADATA = MemoryLayout.structLayout(
            JAVA_SHORT.withName("wVersion"),
            JAVA_SHORT.withName("wHighVersion"),
            JAVA_SHORT.withName("iMaxSockets"),
            JAVA_SHORT.withName("iMaxUdpDg"),
            ADDRESS.withName("lpVendorInfo"),
            MemoryLayout.sequenceLayout(257, JAVA_BYTE).withName("szDescription"),
            MemoryLayout.sequenceLayout(129, JAVA_BYTE).withName("szSystemStatus"),
            MemoryLayout.paddingLayout(6)).withName("WSADATA");

    /** {@code WSABUF}: len u32@0, 4 bytes padding, buf ptr@8; 16 bytes. */
    static final StructLayout WSABUF = MemoryLayout.structLayout(
            JAVA_INT.withName("len"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("buf")).withName("WSABUF");

    /** {@code struct linger}: l_onoff u16@0, l_linger u16@2 (two u_short, not ints as on POSIX); 4 bytes, align 2. */
    static final StructLayout LINGER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("l_onoff"),
            JAVA_SHORT.withName("l_linger")).withName("linger");

    /** {@code SOCKADDR_STORAGE}: ss_family u16@0, 6 bytes padding, __ss_align i64@8, 112 bytes; 128, align 8. */
    static final StructLayout SOCKADDR_STORAGE = MemoryLayout.structLayout(
            JAVA_SHORT.withName("ss_family"),
            MemoryLayout.sequenceLayout(6, JAVA_BYTE).withName("__ss_pad1"),
            JAVA_LONG.withName("__ss_align"),
            MemoryLayout.sequenceLayout(112, JAVA_BYTE).withName("__ss_pad2")).withName("SOCKADDR_STORAGE");

    /** {@code ip_mreq}: imr_multiaddr@0, imr_interface@4 (both IN_ADDR, network order); 8 bytes. */
    static final StructLayout IP_MREQ = MemoryLayout.structLayout(
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imr_multiaddr"),
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imr_interface")).withName("ip_mreq");

    /**
     * {@code ip_mreq_source}: imr_multiaddr@0, imr_sourceaddr@4, imr_interface@8. Windows puts the source before
     * the interface (Linux puts it last).
     */
    static final StructLayout IP_MREQ_SOURCE = MemoryLayout.structLayout(
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imr_multiaddr"),
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imr_sourceaddr"),
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imr_interface")).withName("ip_mreq_source");

    /** {@code ipv6_mreq}: ipv6mr_multiaddr IN6_ADDR@0, ipv6mr_interface u32@16 (an index); 20 bytes. */
    static final StructLayout IPV6_MREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ipv6mr_multiaddr"),
            JAVA_INT.withName("ipv6mr_interface")).withName("ipv6_mreq");

    /**
     * {@code GROUP_SOURCE_REQ}: gsr_interface u32@0, 4 bytes padding, gsr_group SOCKADDR_STORAGE@8, gsr_source
     * SOCKADDR_STORAGE@136; 264 bytes, align 8.
     */
    static final StructLayout GROUP_SOURCE_REQ = MemoryLayout.structLayout(
            JAVA_INT.withName("gsr_interface"),
            MemoryLayout.paddingLayout(4),
            SOCKADDR_STORAGE.withName("gsr_group"),
            SOCKADDR_STORAGE.withName("gsr_source")).withName("GROUP_SOURCE_REQ");

    /** {@code WSADATA.wVersion}. */
    static final VarHandle WSADATA_wVersion = WSADATA.varHandle(groupElement("wVersion"));
    /** {@code linger.l_onoff}. */
    static final VarHandle LINGER_l_onoff = LINGER.varHandle(groupElement("l_onoff"));
    /** {@code linger.l_linger}. */
    static final VarHandle LINGER_l_linger = LINGER.varHandle(groupElement("l_linger"));
    /** {@code ip_mreq.imr_multiaddr}. */
    static final VarHandle IP_MREQ_imr_multiaddr = IP_MREQ.varHandle(groupElement("imr_multiaddr"));
    /** {@code ip_mreq.imr_interface}. */
    static final VarHandle IP_MREQ_imr_interface = IP_MREQ.varHandle(groupElement("imr_interface"));
    /** {@code ip_mreq_source.imr_multiaddr}. */
    static final VarHandle IP_MREQ_SOURCE_imr_multiaddr = IP_MREQ_SOURCE.varHandle(groupElement("imr_multiaddr"));
    /** {@code ip_mreq_source.imr_sourceaddr}. */
    static final VarHandle IP_MREQ_SOURCE_imr_sourceaddr =
            IP_MREQ_SOURCE.varHandle(groupElement("imr_sourceaddr"));
    /** {@code ip_mreq_source.imr_interface}. */
    static final VarHandle IP_MREQ_SOURCE_imr_interface = IP_MREQ_SOURCE.varHandle(groupElement("imr_interface"));
    /** {@code ipv6_mreq.ipv6mr_interface}. */
    static final VarHandle IPV6_MREQ_ipv6mr_interface = IPV6_MREQ.varHandle(groupElement("ipv6mr_interface"));
    /** {@code GROUP_SOURCE_REQ.gsr_interface}. */
    static final VarHandle GROUP_SOURCE_REQ_gsr_interface =
            GROUP_SOURCE_REQ.varHandle(groupElement("gsr_interface"));

    /** Offset of {@code GROUP_SOURCE_REQ.gsr_group}. */
    static final long GROUP_SOURCE_REQ_gsr_group = GROUP_SOURCE_REQ.byteOffset(groupElement("gsr_group"));
    /** Offset of {@code GROUP_SOURCE_REQ.gsr_source}. */
    static final long GROUP_SOURCE_REQ_gsr_source = GROUP_SOURCE_REQ.byteOffset(groupElement("gsr_source"));

    private WinsockStructs() {
    }
}
