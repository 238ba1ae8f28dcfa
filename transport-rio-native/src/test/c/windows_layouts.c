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

/*
 * Prints, as key=value lines, every struct size and alignment, member offset and size, constant and GUID that the
 * Windows provider (io.nettyrio.rio.windows) and the RIO model use, as the Windows SDK headers define them.
 * WindowsHeaderLayoutsTest compares the output with the provider's Java layouts and constants key by key; it also
 * checks, on every OS, that this file prints exactly the keys the Java code has (the string literals below).
 *
 *   size.<struct>=n, align.<struct>=n, offset.<struct>.<member>=n, size.<struct>.<member>=n
 *   const.<name>=n  (unsigned: 32-bit where the Java constant is an int or short, 64-bit where it is a long)
 *   guid.<name>=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
 *   end=ok          (last: a complete run)
 *
 * Keys name structs and members as the Java layouts do (their header names). Members of the headers' anonymous
 * unions and structs are named directly, as C names them.
 *
 * Built by .github/workflows/windows.yml with MSVC for x64 (64-bit layouts):
 *   cl /nologo /W3 /Fe:windows_layouts.exe transport-rio-native\src\test\c\windows_layouts.c
 * Only constants and layouts are read: nothing is called, so no import library is linked.
 */
#define WIN32_LEAN_AND_MEAN
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00 /* RIO needs 0x0602 (Windows 8); TCP_KEEPCNT and TCP_KEEPINTVL need Windows 10 */
#endif

#include <winsock2.h>
#include <ws2def.h>
#include <ws2ipdef.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <windows.h>
#include <minwinbase.h>

#include <stddef.h>
#include <stdio.h>

#ifdef _MSC_VER
#define ALIGNOF(type) __alignof(type)
#else
#define ALIGNOF(type) _Alignof(type)
#endif

#define SIZE(key, type) \
    printf("size.%s=%llu\n", key, (unsigned long long) sizeof(type))
#define ALIGN(key, type) \
    printf("align.%s=%llu\n", key, (unsigned long long) ALIGNOF(type))
#define MEMBER(key, type, member) \
    printf("offset.%s=%llu\nsize.%s=%llu\n", key, (unsigned long long) offsetof(type, member), \
           key, (unsigned long long) sizeof(((type *) 0)->member))
#define U32(key, value) \
    printf("const.%s=%u\n", key, (unsigned int) (value))
#define U64(key, value) \
    printf("const.%s=%llu\n", key, (unsigned long long) (ULONG_PTR) (value))
#define GUID_TEXT(key, initializer) \
    do { \
        static const GUID guid = initializer; \
        print_guid(key, &guid); \
    } while (0)

static void print_guid(const char *key, const GUID *guid) {
    printf("guid.%s=%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", key, (unsigned long) guid->Data1,
           (unsigned int) guid->Data2, (unsigned int) guid->Data3, guid->Data4[0], guid->Data4[1], guid->Data4[2],
           guid->Data4[3], guid->Data4[4], guid->Data4[5], guid->Data4[6], guid->Data4[7]);
}

int main(void) {
    /* GROUP_SOURCE_REQ (ws2ipdef.h) */
    SIZE("GROUP_SOURCE_REQ", GROUP_SOURCE_REQ);
    ALIGN("GROUP_SOURCE_REQ", GROUP_SOURCE_REQ);
    MEMBER("GROUP_SOURCE_REQ.gsr_interface", GROUP_SOURCE_REQ, gsr_interface);
    MEMBER("GROUP_SOURCE_REQ.gsr_group", GROUP_SOURCE_REQ, gsr_group);
    MEMBER("GROUP_SOURCE_REQ.gsr_group.ss_family", GROUP_SOURCE_REQ, gsr_group.ss_family);
    MEMBER("GROUP_SOURCE_REQ.gsr_group.__ss_pad1", GROUP_SOURCE_REQ, gsr_group.__ss_pad1);
    MEMBER("GROUP_SOURCE_REQ.gsr_group.__ss_align", GROUP_SOURCE_REQ, gsr_group.__ss_align);
    MEMBER("GROUP_SOURCE_REQ.gsr_group.__ss_pad2", GROUP_SOURCE_REQ, gsr_group.__ss_pad2);
    MEMBER("GROUP_SOURCE_REQ.gsr_source", GROUP_SOURCE_REQ, gsr_source);
    MEMBER("GROUP_SOURCE_REQ.gsr_source.ss_family", GROUP_SOURCE_REQ, gsr_source.ss_family);
    MEMBER("GROUP_SOURCE_REQ.gsr_source.__ss_pad1", GROUP_SOURCE_REQ, gsr_source.__ss_pad1);
    MEMBER("GROUP_SOURCE_REQ.gsr_source.__ss_align", GROUP_SOURCE_REQ, gsr_source.__ss_align);
    MEMBER("GROUP_SOURCE_REQ.gsr_source.__ss_pad2", GROUP_SOURCE_REQ, gsr_source.__ss_pad2);

    /* GUID (guiddef.h) */
    SIZE("GUID", GUID);
    ALIGN("GUID", GUID);
    MEMBER("GUID.Data1", GUID, Data1);
    MEMBER("GUID.Data2", GUID, Data2);
    MEMBER("GUID.Data3", GUID, Data3);
    MEMBER("GUID.Data4", GUID, Data4);

    /* OVERLAPPED (minwinbase.h) */
    SIZE("OVERLAPPED", OVERLAPPED);
    ALIGN("OVERLAPPED", OVERLAPPED);
    MEMBER("OVERLAPPED.Internal", OVERLAPPED, Internal);
    MEMBER("OVERLAPPED.InternalHigh", OVERLAPPED, InternalHigh);
    MEMBER("OVERLAPPED.Offset", OVERLAPPED, Offset);
    MEMBER("OVERLAPPED.Pointer", OVERLAPPED, Pointer);
    MEMBER("OVERLAPPED.OffsetHigh", OVERLAPPED, OffsetHigh);
    MEMBER("OVERLAPPED.hEvent", OVERLAPPED, hEvent);

    /* OVERLAPPED_ENTRY (minwinbase.h) */
    SIZE("OVERLAPPED_ENTRY", OVERLAPPED_ENTRY);
    ALIGN("OVERLAPPED_ENTRY", OVERLAPPED_ENTRY);
    MEMBER("OVERLAPPED_ENTRY.lpCompletionKey", OVERLAPPED_ENTRY, lpCompletionKey);
    MEMBER("OVERLAPPED_ENTRY.lpOverlapped", OVERLAPPED_ENTRY, lpOverlapped);
    MEMBER("OVERLAPPED_ENTRY.Internal", OVERLAPPED_ENTRY, Internal);
    MEMBER("OVERLAPPED_ENTRY.dwNumberOfBytesTransferred", OVERLAPPED_ENTRY, dwNumberOfBytesTransferred);

    /* RIORESULT (mswsock.h) */
    SIZE("RIORESULT", RIORESULT);
    ALIGN("RIORESULT", RIORESULT);
    MEMBER("RIORESULT.Status", RIORESULT, Status);
    MEMBER("RIORESULT.BytesTransferred", RIORESULT, BytesTransferred);
    MEMBER("RIORESULT.SocketContext", RIORESULT, SocketContext);
    MEMBER("RIORESULT.RequestContext", RIORESULT, RequestContext);

    /* RIO_BUF (mswsock.h) */
    SIZE("RIO_BUF", RIO_BUF);
    ALIGN("RIO_BUF", RIO_BUF);
    MEMBER("RIO_BUF.BufferId", RIO_BUF, BufferId);
    MEMBER("RIO_BUF.Offset", RIO_BUF, Offset);
    MEMBER("RIO_BUF.Length", RIO_BUF, Length);

    /* RIO_EXTENSION_FUNCTION_TABLE (mswsock.h) */
    SIZE("RIO_EXTENSION_FUNCTION_TABLE", RIO_EXTENSION_FUNCTION_TABLE);
    ALIGN("RIO_EXTENSION_FUNCTION_TABLE", RIO_EXTENSION_FUNCTION_TABLE);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.cbSize", RIO_EXTENSION_FUNCTION_TABLE, cbSize);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOReceive", RIO_EXTENSION_FUNCTION_TABLE, RIOReceive);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOReceiveEx", RIO_EXTENSION_FUNCTION_TABLE, RIOReceiveEx);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOSend", RIO_EXTENSION_FUNCTION_TABLE, RIOSend);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOSendEx", RIO_EXTENSION_FUNCTION_TABLE, RIOSendEx);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOCloseCompletionQueue", RIO_EXTENSION_FUNCTION_TABLE, RIOCloseCompletionQueue);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOCreateCompletionQueue", RIO_EXTENSION_FUNCTION_TABLE, RIOCreateCompletionQueue);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOCreateRequestQueue", RIO_EXTENSION_FUNCTION_TABLE, RIOCreateRequestQueue);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIODequeueCompletion", RIO_EXTENSION_FUNCTION_TABLE, RIODequeueCompletion);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIODeregisterBuffer", RIO_EXTENSION_FUNCTION_TABLE, RIODeregisterBuffer);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIONotify", RIO_EXTENSION_FUNCTION_TABLE, RIONotify);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIORegisterBuffer", RIO_EXTENSION_FUNCTION_TABLE, RIORegisterBuffer);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOResizeCompletionQueue", RIO_EXTENSION_FUNCTION_TABLE, RIOResizeCompletionQueue);
    MEMBER("RIO_EXTENSION_FUNCTION_TABLE.RIOResizeRequestQueue", RIO_EXTENSION_FUNCTION_TABLE, RIOResizeRequestQueue);

    /* RIO_NOTIFICATION_COMPLETION (mswsock.h) */
    SIZE("RIO_NOTIFICATION_COMPLETION", RIO_NOTIFICATION_COMPLETION);
    ALIGN("RIO_NOTIFICATION_COMPLETION", RIO_NOTIFICATION_COMPLETION);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Type", RIO_NOTIFICATION_COMPLETION, Type);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Event", RIO_NOTIFICATION_COMPLETION, Event);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Iocp", RIO_NOTIFICATION_COMPLETION, Iocp);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Event.EventHandle", RIO_NOTIFICATION_COMPLETION, Event.EventHandle);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Iocp.IocpHandle", RIO_NOTIFICATION_COMPLETION, Iocp.IocpHandle);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Event.NotifyReset", RIO_NOTIFICATION_COMPLETION, Event.NotifyReset);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Iocp.CompletionKey", RIO_NOTIFICATION_COMPLETION, Iocp.CompletionKey);
    MEMBER("RIO_NOTIFICATION_COMPLETION.Iocp.Overlapped", RIO_NOTIFICATION_COMPLETION, Iocp.Overlapped);

    /* SOCKADDR_INET (ws2ipdef.h) */
    SIZE("SOCKADDR_INET", SOCKADDR_INET);
    ALIGN("SOCKADDR_INET", SOCKADDR_INET);
    MEMBER("SOCKADDR_INET.Ipv4", SOCKADDR_INET, Ipv4);
    MEMBER("SOCKADDR_INET.Ipv6", SOCKADDR_INET, Ipv6);
    MEMBER("SOCKADDR_INET.si_family", SOCKADDR_INET, si_family);
    MEMBER("SOCKADDR_INET.Ipv4.sin_family", SOCKADDR_INET, Ipv4.sin_family);
    MEMBER("SOCKADDR_INET.Ipv6.sin6_family", SOCKADDR_INET, Ipv6.sin6_family);
    MEMBER("SOCKADDR_INET.Ipv4.sin_port", SOCKADDR_INET, Ipv4.sin_port);
    MEMBER("SOCKADDR_INET.Ipv6.sin6_port", SOCKADDR_INET, Ipv6.sin6_port);
    MEMBER("SOCKADDR_INET.Ipv4.sin_addr", SOCKADDR_INET, Ipv4.sin_addr);
    MEMBER("SOCKADDR_INET.Ipv6.sin6_flowinfo", SOCKADDR_INET, Ipv6.sin6_flowinfo);
    MEMBER("SOCKADDR_INET.Ipv4.sin_zero", SOCKADDR_INET, Ipv4.sin_zero);
    MEMBER("SOCKADDR_INET.Ipv6.sin6_addr", SOCKADDR_INET, Ipv6.sin6_addr);
    MEMBER("SOCKADDR_INET.Ipv6.sin6_scope_id", SOCKADDR_INET, Ipv6.sin6_scope_id);

    /* SOCKADDR_STORAGE (ws2def.h) */
    SIZE("SOCKADDR_STORAGE", SOCKADDR_STORAGE);
    ALIGN("SOCKADDR_STORAGE", SOCKADDR_STORAGE);
    MEMBER("SOCKADDR_STORAGE.ss_family", SOCKADDR_STORAGE, ss_family);
    MEMBER("SOCKADDR_STORAGE.__ss_pad1", SOCKADDR_STORAGE, __ss_pad1);
    MEMBER("SOCKADDR_STORAGE.__ss_align", SOCKADDR_STORAGE, __ss_align);
    MEMBER("SOCKADDR_STORAGE.__ss_pad2", SOCKADDR_STORAGE, __ss_pad2);

    /* WSABUF (ws2def.h) */
    SIZE("WSABUF", WSABUF);
    ALIGN("WSABUF", WSABUF);
    MEMBER("WSABUF.len", WSABUF, len);
    MEMBER("WSABUF.buf", WSABUF, buf);

    /* WSADATA (winsock2.h) */
    SIZE("WSADATA", WSADATA);
    ALIGN("WSADATA", WSADATA);
    MEMBER("WSADATA.wVersion", WSADATA, wVersion);
    MEMBER("WSADATA.wHighVersion", WSADATA, wHighVersion);
    MEMBER("WSADATA.iMaxSockets", WSADATA, iMaxSockets);
    MEMBER("WSADATA.iMaxUdpDg", WSADATA, iMaxUdpDg);
    MEMBER("WSADATA.lpVendorInfo", WSADATA, lpVendorInfo);
    MEMBER("WSADATA.szDescription", WSADATA, szDescription);
    MEMBER("WSADATA.szSystemStatus", WSADATA, szSystemStatus);

    /* ip_mreq (ws2ipdef.h) */
    SIZE("ip_mreq", IP_MREQ);
    ALIGN("ip_mreq", IP_MREQ);
    MEMBER("ip_mreq.imr_multiaddr", IP_MREQ, imr_multiaddr);
    MEMBER("ip_mreq.imr_interface", IP_MREQ, imr_interface);

    /* ip_mreq_source (ws2ipdef.h) */
    SIZE("ip_mreq_source", IP_MREQ_SOURCE);
    ALIGN("ip_mreq_source", IP_MREQ_SOURCE);
    MEMBER("ip_mreq_source.imr_multiaddr", IP_MREQ_SOURCE, imr_multiaddr);
    MEMBER("ip_mreq_source.imr_sourceaddr", IP_MREQ_SOURCE, imr_sourceaddr);
    MEMBER("ip_mreq_source.imr_interface", IP_MREQ_SOURCE, imr_interface);

    /* ipv6_mreq (ws2ipdef.h) */
    SIZE("ipv6_mreq", IPV6_MREQ);
    ALIGN("ipv6_mreq", IPV6_MREQ);
    MEMBER("ipv6_mreq.ipv6mr_multiaddr", IPV6_MREQ, ipv6mr_multiaddr);
    MEMBER("ipv6_mreq.ipv6mr_interface", IPV6_MREQ, ipv6mr_interface);

    /* linger (winsock2.h) */
    SIZE("linger", struct linger);
    ALIGN("linger", struct linger);
    MEMBER("linger.l_onoff", struct linger, l_onoff);
    MEMBER("linger.l_linger", struct linger, l_linger);

    /* sockaddr_in (ws2def.h) */
    SIZE("sockaddr_in", SOCKADDR_IN);
    ALIGN("sockaddr_in", SOCKADDR_IN);
    MEMBER("sockaddr_in.sin_family", SOCKADDR_IN, sin_family);
    MEMBER("sockaddr_in.sin_port", SOCKADDR_IN, sin_port);
    MEMBER("sockaddr_in.sin_addr", SOCKADDR_IN, sin_addr);
    MEMBER("sockaddr_in.sin_zero", SOCKADDR_IN, sin_zero);

    /* sockaddr_in6 (ws2ipdef.h) */
    SIZE("sockaddr_in6", SOCKADDR_IN6);
    ALIGN("sockaddr_in6", SOCKADDR_IN6);
    MEMBER("sockaddr_in6.sin6_family", SOCKADDR_IN6, sin6_family);
    MEMBER("sockaddr_in6.sin6_port", SOCKADDR_IN6, sin6_port);
    MEMBER("sockaddr_in6.sin6_flowinfo", SOCKADDR_IN6, sin6_flowinfo);
    MEMBER("sockaddr_in6.sin6_addr", SOCKADDR_IN6, sin6_addr);
    MEMBER("sockaddr_in6.sin6_scope_id", SOCKADDR_IN6, sin6_scope_id);

    /* Constants (mswsock.h, winsock2.h, ws2def.h, ws2ipdef.h, mstcpip.h, winerror.h, minwinbase.h) */
    U32("AF_INET", AF_INET);
    U32("AF_INET6", AF_INET6);
    U32("ERROR_ABANDONED_WAIT_0", ERROR_ABANDONED_WAIT_0);
    U32("ERROR_INVALID_HANDLE", ERROR_INVALID_HANDLE);
    U32("ERROR_INVALID_PARAMETER", ERROR_INVALID_PARAMETER);
    U32("ERROR_NETNAME_DELETED", ERROR_NETNAME_DELETED);
    U32("INFINITE", INFINITE);
    U64("INVALID_HANDLE_VALUE", INVALID_HANDLE_VALUE);
    U64("INVALID_SOCKET", INVALID_SOCKET);
    U32("IPPROTO_IP", IPPROTO_IP);
    U32("IPPROTO_IPV6", IPPROTO_IPV6);
    U32("IPPROTO_TCP", IPPROTO_TCP);
    U32("IPPROTO_UDP", IPPROTO_UDP);
    U32("IPV6_ADD_MEMBERSHIP", IPV6_ADD_MEMBERSHIP);
    U32("IPV6_DROP_MEMBERSHIP", IPV6_DROP_MEMBERSHIP);
    U32("IPV6_MULTICAST_HOPS", IPV6_MULTICAST_HOPS);
    U32("IPV6_MULTICAST_IF", IPV6_MULTICAST_IF);
    U32("IPV6_MULTICAST_LOOP", IPV6_MULTICAST_LOOP);
    U32("IPV6_TCLASS", IPV6_TCLASS);
    U32("IPV6_V6ONLY", IPV6_V6ONLY);
    U32("IP_ADD_MEMBERSHIP", IP_ADD_MEMBERSHIP);
    U32("IP_ADD_SOURCE_MEMBERSHIP", IP_ADD_SOURCE_MEMBERSHIP);
    U32("IP_DROP_MEMBERSHIP", IP_DROP_MEMBERSHIP);
    U32("IP_DROP_SOURCE_MEMBERSHIP", IP_DROP_SOURCE_MEMBERSHIP);
    U32("IP_MULTICAST_IF", IP_MULTICAST_IF);
    U32("IP_MULTICAST_LOOP", IP_MULTICAST_LOOP);
    U32("IP_MULTICAST_TTL", IP_MULTICAST_TTL);
    U32("IP_TOS", IP_TOS);
    U32("MCAST_JOIN_SOURCE_GROUP", MCAST_JOIN_SOURCE_GROUP);
    U32("MCAST_LEAVE_SOURCE_GROUP", MCAST_LEAVE_SOURCE_GROUP);
    U32("NO_ERROR", NO_ERROR);
    U32("RIO_CORRUPT_CQ", RIO_CORRUPT_CQ);
    U32("RIO_EVENT_COMPLETION", RIO_EVENT_COMPLETION);
    U64("RIO_INVALID_BUFFERID", RIO_INVALID_BUFFERID);
    U64("RIO_INVALID_CQ", RIO_INVALID_CQ);
    U64("RIO_INVALID_RQ", RIO_INVALID_RQ);
    U32("RIO_IOCP_COMPLETION", RIO_IOCP_COMPLETION);
    U32("RIO_MAX_CQ_SIZE", RIO_MAX_CQ_SIZE);
    U32("RIO_MSG_COMMIT_ONLY", RIO_MSG_COMMIT_ONLY);
    U32("RIO_MSG_DEFER", RIO_MSG_DEFER);
    U32("RIO_MSG_DONT_NOTIFY", RIO_MSG_DONT_NOTIFY);
    U32("RIO_MSG_WAITALL", RIO_MSG_WAITALL);
    U32("SD_BOTH", SD_BOTH);
    U32("SD_RECEIVE", SD_RECEIVE);
    U32("SD_SEND", SD_SEND);
    U32("SIO_GET_EXTENSION_FUNCTION_POINTER", SIO_GET_EXTENSION_FUNCTION_POINTER);
    U32("SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER", SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER);
    U32("SIO_UDP_CONNRESET", SIO_UDP_CONNRESET);
    U32("SOCKET_ERROR", SOCKET_ERROR);
    U32("SOCK_DGRAM", SOCK_DGRAM);
    U32("SOCK_STREAM", SOCK_STREAM);
    U32("SOL_SOCKET", SOL_SOCKET);
    U32("SOMAXCONN", SOMAXCONN);
    U32("SO_BROADCAST", SO_BROADCAST);
    U32("SO_DONTLINGER", SO_DONTLINGER);
    U32("SO_ERROR", SO_ERROR);
    U32("SO_EXCLUSIVEADDRUSE", SO_EXCLUSIVEADDRUSE);
    U32("SO_KEEPALIVE", SO_KEEPALIVE);
    U32("SO_LINGER", SO_LINGER);
    U32("SO_RCVBUF", SO_RCVBUF);
    U32("SO_RCVTIMEO", SO_RCVTIMEO);
    U32("SO_REUSEADDR", SO_REUSEADDR);
    U32("SO_SNDBUF", SO_SNDBUF);
    U32("SO_SNDTIMEO", SO_SNDTIMEO);
    U32("SO_TYPE", SO_TYPE);
    U32("SO_UPDATE_ACCEPT_CONTEXT", SO_UPDATE_ACCEPT_CONTEXT);
    U32("SO_UPDATE_CONNECT_CONTEXT", SO_UPDATE_CONNECT_CONTEXT);
    U32("TCP_KEEPALIVE", TCP_KEEPALIVE);
    U32("TCP_KEEPCNT", TCP_KEEPCNT);
    U32("TCP_KEEPINTVL", TCP_KEEPINTVL);
    U32("TCP_NODELAY", TCP_NODELAY);
    U32("WAIT_TIMEOUT", WAIT_TIMEOUT);
    U32("WINSOCK_VERSION_2_2", WINSOCK_VERSION);
    U32("WSAEACCES", WSAEACCES);
    U32("WSAEADDRINUSE", WSAEADDRINUSE);
    U32("WSAEADDRNOTAVAIL", WSAEADDRNOTAVAIL);
    U32("WSAEAFNOSUPPORT", WSAEAFNOSUPPORT);
    U32("WSAEALREADY", WSAEALREADY);
    U32("WSAEBADF", WSAEBADF);
    U32("WSAECONNABORTED", WSAECONNABORTED);
    U32("WSAECONNREFUSED", WSAECONNREFUSED);
    U32("WSAECONNRESET", WSAECONNRESET);
    U32("WSAEDESTADDRREQ", WSAEDESTADDRREQ);
    U32("WSAEFAULT", WSAEFAULT);
    U32("WSAEHOSTUNREACH", WSAEHOSTUNREACH);
    U32("WSAEINPROGRESS", WSAEINPROGRESS);
    U32("WSAEINTR", WSAEINTR);
    U32("WSAEINVAL", WSAEINVAL);
    U32("WSAEISCONN", WSAEISCONN);
    U32("WSAEMFILE", WSAEMFILE);
    U32("WSAEMSGSIZE", WSAEMSGSIZE);
    U32("WSAENETDOWN", WSAENETDOWN);
    U32("WSAENETRESET", WSAENETRESET);
    U32("WSAENETUNREACH", WSAENETUNREACH);
    U32("WSAENOBUFS", WSAENOBUFS);
    U32("WSAENOPROTOOPT", WSAENOPROTOOPT);
    U32("WSAENOTCONN", WSAENOTCONN);
    U32("WSAENOTSOCK", WSAENOTSOCK);
    U32("WSAEOPNOTSUPP", WSAEOPNOTSUPP);
    U32("WSAEPROTONOSUPPORT", WSAEPROTONOSUPPORT);
    U32("WSAEPROTOTYPE", WSAEPROTOTYPE);
    U32("WSAESHUTDOWN", WSAESHUTDOWN);
    U32("WSAETIMEDOUT", WSAETIMEDOUT);
    U32("WSAETOOMANYREFS", WSAETOOMANYREFS);
    U32("WSAEWOULDBLOCK", WSAEWOULDBLOCK);
    U32("WSANOTINITIALISED", WSANOTINITIALISED);
    U32("WSAVERNOTSUPPORTED", WSAVERNOTSUPPORTED);
    U32("WSA_FLAG_NO_HANDLE_INHERIT", WSA_FLAG_NO_HANDLE_INHERIT);
    U32("WSA_FLAG_OVERLAPPED", WSA_FLAG_OVERLAPPED);
    U32("WSA_FLAG_REGISTERED_IO", WSA_FLAG_REGISTERED_IO);
    U32("WSA_IO_PENDING", WSA_IO_PENDING);
    U32("WSA_OPERATION_ABORTED", WSA_OPERATION_ABORTED);

    /* Extension function GUIDs (mswsock.h) */
    GUID_TEXT("WSAID_ACCEPTEX", WSAID_ACCEPTEX);
    GUID_TEXT("WSAID_CONNECTEX", WSAID_CONNECTEX);
    GUID_TEXT("WSAID_GETACCEPTEXSOCKADDRS", WSAID_GETACCEPTEXSOCKADDRS);
    GUID_TEXT("WSAID_MULTIPLE_RIO", WSAID_MULTIPLE_RIO);

    printf("end=ok\n");
    return 0;
}
