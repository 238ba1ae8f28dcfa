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

/**
 * The Winsock, Win32 and IOCP constants the Windows provider passes to native code, with their names and values
 * from the Windows SDK headers ({@code ws2def.h}, {@code WinSock2.h}, {@code ws2ipdef.h}, {@code MSWSock.h},
 * {@code winbase.h}; checked against them by {@code WindowsHeaderLayoutsTest}). The RIO flags and the error codes
 * shared with the Linux provider live in {@link io.nettyrio.rio.RioConstants} and {@link io.nettyrio.rio.WsaError}.
 */
final class WindowsConstants {
    /** {@code MAKEWORD(2, 2)}: the Winsock version WSAStartup asks for. */
    static final short WINSOCK_VERSION_2_2 = 0x0202;

    /** {@code _WSAIORW(IOC_WS2, 36)}: returns a table of extension functions (the RIO table). */
    static final int SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER = 0xC8000024;
    /** {@code _WSAIORW(IOC_WS2, 6)}: returns one extension function pointer (AcceptEx, ConnectEx, ...). */
    static final int SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;

    /**
     * {@code SIO_UDP_CONNRESET} ({@code mstcpip.h}): {@code _WSAIOW(IOC_VENDOR, 12)}, input a BOOL. Whether an ICMP
     * port unreachable fails the next receive of a UDP socket with WSAECONNRESET.
     */
    static final int SIO_UDP_CONNRESET = 0x9800000C;

    /** {@code WSA_FLAG_OVERLAPPED}. */
    static final int WSA_FLAG_OVERLAPPED = 0x01;
    /** {@code WSA_FLAG_NO_HANDLE_INHERIT}. */
    static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    /** {@code WSA_FLAG_REGISTERED_IO} (the RIO_RQ page calls it "WSA_FLAG_RIO"; no such constant exists). */
    static final int WSA_FLAG_REGISTERED_IO = 0x100;
    /** The flags of every socket the provider creates: overlapped, registered I/O, not inherited. */
    static final int SOCKET_FLAGS = WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO | WSA_FLAG_NO_HANDLE_INHERIT;

    /** {@code INVALID_SOCKET}: {@code ~0}, all 64 bits set. */
    static final long INVALID_SOCKET = -1L;
    /** {@code SOCKET_ERROR}. */
    static final int SOCKET_ERROR = -1;
    /** {@code INVALID_HANDLE_VALUE}: {@code (HANDLE)-1}. */
    static final long INVALID_HANDLE_VALUE = -1L;
    /** {@code INFINITE}: wait without limit (0xFFFFFFFF as a DWORD). */
    static final int INFINITE = 0xFFFFFFFF;
    /** {@code SOMAXCONN}. */
    static final int SOMAXCONN = 0x7fffffff;

    /** {@code IPPROTO_IP}. */
    static final int IPPROTO_IP = 0;
    /** {@code IPPROTO_TCP}. */
    static final int IPPROTO_TCP = 6;
    /** {@code IPPROTO_UDP}. */
    static final int IPPROTO_UDP = 17;
    /** {@code IPPROTO_IPV6}. */
    static final int IPPROTO_IPV6 = 41;
    /** {@code SOL_SOCKET}. */
    static final int SOL_SOCKET = 0xFFFF;

    /** {@code SO_REUSEADDR}. */
    static final int SO_REUSEADDR = 0x0004;
    /** {@code SO_EXCLUSIVEADDRUSE}: {@code ~SO_REUSEADDR}. */
    static final int SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR;
    /** {@code SO_KEEPALIVE}. */
    static final int SO_KEEPALIVE = 0x0008;
    /** {@code SO_BROADCAST}. */
    static final int SO_BROADCAST = 0x0020;
    /** {@code SO_LINGER}: a {@code struct linger} of two u16. */
    static final int SO_LINGER = 0x0080;
    /** {@code SO_DONTLINGER}: {@code ~SO_LINGER}. */
    static final int SO_DONTLINGER = ~SO_LINGER;
    /** {@code SO_SNDBUF}. */
    static final int SO_SNDBUF = 0x1001;
    /** {@code SO_RCVBUF}. */
    static final int SO_RCVBUF = 0x1002;
    /** {@code SO_SNDTIMEO}. */
    static final int SO_SNDTIMEO = 0x1005;
    /** {@code SO_RCVTIMEO}. */
    static final int SO_RCVTIMEO = 0x1006;
    /** {@code SO_ERROR}. */
    static final int SO_ERROR = 0x1007;
    /** {@code SO_TYPE}. */
    static final int SO_TYPE = 0x1008;
    /** {@code SO_UPDATE_ACCEPT_CONTEXT}: optval points to the listening SOCKET, optlen 8. */
    static final int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    /** {@code SO_UPDATE_CONNECT_CONTEXT}: optval NULL, optlen 0. */
    static final int SO_UPDATE_CONNECT_CONTEXT = 0x7010;

    /** {@code TCP_NODELAY}. */
    static final int TCP_NODELAY = 0x0001;
    /** {@code TCP_KEEPALIVE} (= {@code TCP_KEEPIDLE}), seconds. */
    static final int TCP_KEEPALIVE = 3;
    /** {@code TCP_KEEPCNT}. */
    static final int TCP_KEEPCNT = 16;
    /** {@code TCP_KEEPINTVL}, seconds. */
    static final int TCP_KEEPINTVL = 17;

    /** {@code IP_TOS}. */
    static final int IP_TOS = 3;
    /** {@code IP_MULTICAST_IF}: an {@code IN_ADDR} in network order. */
    static final int IP_MULTICAST_IF = 9;
    /** {@code IP_MULTICAST_TTL}. */
    static final int IP_MULTICAST_TTL = 10;
    /** {@code IP_MULTICAST_LOOP}. */
    static final int IP_MULTICAST_LOOP = 11;
    /** {@code IP_ADD_MEMBERSHIP}: an {@code ip_mreq}. */
    static final int IP_ADD_MEMBERSHIP = 12;
    /** {@code IP_DROP_MEMBERSHIP}: an {@code ip_mreq}. */
    static final int IP_DROP_MEMBERSHIP = 13;
    /** {@code IP_ADD_SOURCE_MEMBERSHIP}: an {@code ip_mreq_source}. */
    static final int IP_ADD_SOURCE_MEMBERSHIP = 15;
    /** {@code IP_DROP_SOURCE_MEMBERSHIP}: an {@code ip_mreq_source}. */
    static final int IP_DROP_SOURCE_MEMBERSHIP = 16;

    /** {@code IPV6_MULTICAST_IF}: an interface index. */
    static final int IPV6_MULTICAST_IF = 9;
    /** {@code IPV6_MULTICAST_HOPS}. */
    static final int IPV6_MULTICAST_HOPS = 10;
    /** {@code IPV6_MULTICAST_LOOP}. */
    static final int IPV6_MULTICAST_LOOP = 11;
    /** {@code IPV6_ADD_MEMBERSHIP} (= {@code IPV6_JOIN_GROUP}): an {@code ipv6_mreq}. */
    static final int IPV6_ADD_MEMBERSHIP = 12;
    /** {@code IPV6_DROP_MEMBERSHIP} (= {@code IPV6_LEAVE_GROUP}): an {@code ipv6_mreq}. */
    static final int IPV6_DROP_MEMBERSHIP = 13;
    /** {@code IPV6_V6ONLY}: on by default on Windows. */
    static final int IPV6_V6ONLY = 27;
    /** {@code IPV6_TCLASS}. */
    static final int IPV6_TCLASS = 39;
    /** {@code MCAST_JOIN_SOURCE_GROUP}: a {@code GROUP_SOURCE_REQ}. */
    static final int MCAST_JOIN_SOURCE_GROUP = 45;
    /** {@code MCAST_LEAVE_SOURCE_GROUP}: a {@code GROUP_SOURCE_REQ}. */
    static final int MCAST_LEAVE_SOURCE_GROUP = 46;

    /** {@code WSAID_MULTIPLE_RIO}. */
    static final String WSAID_MULTIPLE_RIO = "8509e081-96dd-4005-b165-9e2ee8c79e3f";
    /** {@code WSAID_ACCEPTEX}. */
    static final String WSAID_ACCEPTEX = "b5367df1-cbac-11cf-95ca-00805f48a192";
    /** {@code WSAID_GETACCEPTEXSOCKADDRS}. */
    static final String WSAID_GETACCEPTEXSOCKADDRS = "b5367df2-cbac-11cf-95ca-00805f48a192";
    /** {@code WSAID_CONNECTEX}. */
    static final String WSAID_CONNECTEX = "25a207b9-ddf3-4660-8ee9-76e58c74063e";

    /** {@code WSAVERNOTSUPPORTED}: the Winsock DLL does not offer the version asked for. */
    static final int WSAVERNOTSUPPORTED = 10092;

    /** {@code ERROR_INVALID_PARAMETER}: for example a handle already associated with another port. */
    static final int ERROR_INVALID_PARAMETER = 87;
    /** {@code ERROR_INVALID_HANDLE}. */
    static final int ERROR_INVALID_HANDLE = 6;

    private WindowsConstants() {
    }
}
