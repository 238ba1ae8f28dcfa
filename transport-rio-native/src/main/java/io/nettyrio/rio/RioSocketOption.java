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

/**
 * The socket options the model sets and gets, named as the Windows and POSIX headers name them. Each provider
 * maps them to its own level and number and value shape (for Windows: "SOL_SOCKET socket options",
 * "IPPROTO_TCP socket options", "IPPROTO_IP socket options" and "IPPROTO_IPV6 socket options" on Microsoft
 * Learn).
 * Values are ints: booleans are 0 or 1; {@link #SO_LINGER} is the linger time in seconds, or -1 for off.
 */
public enum RioSocketOption {
    /** {@code SOL_SOCKET/SO_REUSEADDR}. */
    SO_REUSEADDR,
    /** {@code SOL_SOCKET/SO_KEEPALIVE}. */
    SO_KEEPALIVE,
    /** {@code SOL_SOCKET/SO_LINGER}: seconds, or -1 when off. */
    SO_LINGER,
    /** {@code SOL_SOCKET/SO_SNDBUF}. */
    SO_SNDBUF,
    /** {@code SOL_SOCKET/SO_RCVBUF}. */
    SO_RCVBUF,
    /** {@code SOL_SOCKET/SO_BROADCAST}. */
    SO_BROADCAST,
    /** {@code SOL_SOCKET/SO_ERROR} (get only): the pending error, as a {@link WsaError} code. */
    SO_ERROR,
    /** {@code SOL_SOCKET/SO_TYPE} (get only). */
    SO_TYPE,
    /** {@code IPPROTO_TCP/TCP_NODELAY}. */
    TCP_NODELAY,
    /** {@code IPPROTO_TCP/TCP_KEEPIDLE} (Windows {@code TCP_KEEPALIVE}), seconds. */
    TCP_KEEPIDLE,
    /** {@code IPPROTO_TCP/TCP_KEEPINTVL}, seconds. */
    TCP_KEEPINTVL,
    /** {@code IPPROTO_TCP/TCP_KEEPCNT}. */
    TCP_KEEPCNT,
    /** {@code IPPROTO_IP/IP_TOS}. */
    IP_TOS,
    /** {@code IPPROTO_IPV6/IPV6_TCLASS}. */
    IPV6_TCLASS,
    /** {@code IPPROTO_IPV6/IPV6_V6ONLY}: on by default on Windows, so providers set it to 0 on new sockets. */
    IPV6_V6ONLY,
    /** {@code IPPROTO_IP/IP_MULTICAST_TTL}. */
    IP_MULTICAST_TTL,
    /** {@code IPPROTO_IP/IP_MULTICAST_LOOP}. */
    IP_MULTICAST_LOOP,
    /** {@code IPPROTO_IPV6/IPV6_MULTICAST_HOPS}. */
    IPV6_MULTICAST_HOPS,
    /** {@code IPPROTO_IPV6/IPV6_MULTICAST_LOOP}. */
    IPV6_MULTICAST_LOOP,
    /** {@code IPPROTO_IPV6/IPV6_MULTICAST_IF}: an interface index. */
    IPV6_MULTICAST_IF
}
