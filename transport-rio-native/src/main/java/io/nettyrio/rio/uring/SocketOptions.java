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

import io.nettyrio.rio.RioSocketOption;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The Linux level and number of each {@link RioSocketOption} ({@code asm-generic/socket.h}, {@code netinet/in.h},
 * {@code netinet/tcp.h}), and the other socket constants of {@code sys/socket.h} the provider uses.
 */
final class SocketOptions {
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IPV6 = 41;

    static final int SO_REUSEADDR = 2;
    static final int SO_TYPE = 3;
    static final int SO_ERROR = 4;
    static final int SO_BROADCAST = 6;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;

    static final int TCP_NODELAY = 1;
    static final int TCP_KEEPIDLE = 4;
    static final int TCP_KEEPINTVL = 5;
    static final int TCP_KEEPCNT = 6;

    static final int IP_TOS = 1;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int MCAST_JOIN_GROUP = 42;
    static final int MCAST_LEAVE_GROUP = 45;
    static final int MCAST_JOIN_SOURCE_GROUP = 46;
    static final int MCAST_LEAVE_SOURCE_GROUP = 47;

    static final int IP_PKTINFO = 8;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_V6ONLY = 26;
    static final int IPV6_TCLASS = 67;

    // send/recv flags
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_WAITALL = 0x100;
    static final int MSG_NOSIGNAL = 0x4000;

    /** {@code struct sockaddr_storage}: 128 bytes, aligned to 8. */
    private static final MemoryLayout SOCKADDR_STORAGE = MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG)
            .withName("sockaddr_storage");
    /** {@code struct group_req} of {@code <netinet/in.h>} (MCAST_JOIN_GROUP, see ip(7)): 136 bytes. */
    static final StructLayout GROUP_REQ = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("gr_interface"),
            MemoryLayout.paddingLayout(4), SOCKADDR_STORAGE.withName("gr_group")).withName("group_req");
    /** {@code struct group_source_req} (MCAST_JOIN_SOURCE_GROUP): 264 bytes. */
    static final StructLayout GROUP_SOURCE_REQ = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("gsr_interface"), MemoryLayout.paddingLayout(4),
            SOCKADDR_STORAGE.withName("gsr_group"), SOCKADDR_STORAGE.withName("gsr_source"))
            .withName("group_source_req");
    static final int GROUP_REQ_SIZE = (int) GROUP_REQ.byteSize();
    static final int GROUP_SOURCE_REQ_SIZE = (int) GROUP_SOURCE_REQ.byteSize();
    /** Where the group's sockaddr is, in both structs. */
    static final long GR_GROUP = GROUP_REQ.byteOffset(MemoryLayout.PathElement.groupElement("gr_group"));
    /** Where the source's sockaddr is in a group_source_req. */
    static final long GSR_SOURCE = GROUP_SOURCE_REQ.byteOffset(MemoryLayout.PathElement.groupElement("gsr_source"));

    private SocketOptions() {
    }

    /** The Linux {@code setsockopt} level of {@code option}. */
    static int level(RioSocketOption option) {
        return switch (option) {
            case SO_REUSEADDR, SO_KEEPALIVE, SO_LINGER, SO_SNDBUF, SO_RCVBUF, SO_BROADCAST, SO_ERROR, SO_TYPE ->
                    SOL_SOCKET;
            case TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT -> IPPROTO_TCP;
            case IP_TOS, IP_MULTICAST_TTL, IP_MULTICAST_LOOP -> IPPROTO_IP;
            case IPV6_TCLASS, IPV6_V6ONLY, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP, IPV6_MULTICAST_IF -> IPPROTO_IPV6;
        };
    }

    /** The Linux {@code setsockopt} option name of {@code option}. */
    static int name(RioSocketOption option) {
        return switch (option) {
            case SO_REUSEADDR -> SO_REUSEADDR;
            case SO_KEEPALIVE -> SO_KEEPALIVE;
            case SO_LINGER -> SO_LINGER;
            case SO_SNDBUF -> SO_SNDBUF;
            case SO_RCVBUF -> SO_RCVBUF;
            case SO_BROADCAST -> SO_BROADCAST;
            case SO_ERROR -> SO_ERROR;
            case SO_TYPE -> SO_TYPE;
            case TCP_NODELAY -> TCP_NODELAY;
            case TCP_KEEPIDLE -> TCP_KEEPIDLE;
            case TCP_KEEPINTVL -> TCP_KEEPINTVL;
            case TCP_KEEPCNT -> TCP_KEEPCNT;
            case IP_TOS -> IP_TOS;
            case IPV6_TCLASS -> IPV6_TCLASS;
            case IPV6_V6ONLY -> IPV6_V6ONLY;
            case IP_MULTICAST_TTL -> IP_MULTICAST_TTL;
            case IP_MULTICAST_LOOP -> IP_MULTICAST_LOOP;
            case IPV6_MULTICAST_HOPS -> IPV6_MULTICAST_HOPS;
            case IPV6_MULTICAST_LOOP -> IPV6_MULTICAST_LOOP;
            case IPV6_MULTICAST_IF -> IPV6_MULTICAST_IF;
        };
    }

    /** Whether the option can only be read. */
    static boolean isReadOnly(RioSocketOption option) {
        return option == RioSocketOption.SO_ERROR || option == RioSocketOption.SO_TYPE;
    }
}
