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

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The socket calls around RIO: what Winsock (and AcceptEx / ConnectEx) do on Windows and libc sockets do on
 * Linux. Sockets are created for registered I/O ({@code WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO}) and never
 * block the caller: accept and connect complete through a {@link Port}.
 *
 * <p>A {@code SOCKET} is an opaque {@code long}. Errors are {@link RioException}s with the Winsock code; invalid
 * arguments (null, negative, out of range) are {@link IllegalArgumentException}s.
 */
public interface RioSockets {

    /**
     * Creates a socket for registered I/O.
     *
     * @param addressFamily {@link RioConstants#AF_INET} or {@link RioConstants#AF_INET6}; an IPv6 socket is
     *                      dual-stack ({@code IPV6_V6ONLY} off)
     * @param type          {@link RioConstants#SOCK_STREAM} (TCP) or {@link RioConstants#SOCK_DGRAM} (UDP)
     * @return the {@code SOCKET}
     */
    long socket(int addressFamily, int type) throws RioException;

    /** {@code bind}. */
    void bind(long socket, InetSocketAddress localAddress) throws RioException;

    /** {@code listen}. */
    void listen(long socket, int backlog) throws RioException;

    /**
     * Starts accepting one connection (AcceptEx on Windows). It completes on {@code port} with
     * {@code completionKey} and {@code context}; its result is the accepted {@code SOCKET}, ready for
     * {@link RegisteredIo#createRequestQueue}. Closing the listening socket completes it with
     * {@link WsaError#WSA_OPERATION_ABORTED}.
     */
    void accept(long listenSocket, Port port, long completionKey, long context) throws RioException;

    /**
     * Starts connecting (ConnectEx on Windows; an unbound socket is first bound to the wildcard address). It
     * completes on {@code port} with {@code completionKey}, {@code context} and status 0 or the Winsock error
     * (for example {@link WsaError#WSAECONNREFUSED}). Closing the socket completes it with
     * {@link WsaError#WSA_OPERATION_ABORTED}.
     */
    void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException;

    /**
     * {@code connect} of a UDP socket: sets (or, with {@code null}, clears) its default peer. Synchronous.
     */
    void connectDatagram(long socket, InetSocketAddress remoteAddress) throws RioException;

    /** {@code shutdown} with {@link RioConstants#SD_RECEIVE}, {@link RioConstants#SD_SEND} or {@code SD_BOTH}. */
    void shutdown(long socket, int how) throws RioException;

    /**
     * {@code closesocket}: frees the socket and its request queue. Its pending requests complete with an error
     * status and are still dequeued; its pending accept or connect completes with
     * {@link WsaError#WSA_OPERATION_ABORTED}.
     */
    void close(long socket) throws RioException;

    /**
     * {@code closesocket} after setting {@code SO_LINGER} to 0, so that the peer sees a reset (RST).
     */
    void abort(long socket) throws RioException;

    /** {@code getsockopt} of an int-valued option. */
    int getOption(long socket, RioSocketOption option) throws RioException;

    /** {@code setsockopt} of an int-valued option. */
    void setOption(long socket, RioSocketOption option, int value) throws RioException;

    /** {@code getsockname}. */
    InetSocketAddress localAddress(long socket) throws RioException;

    /** {@code getpeername}, or {@code null} if the socket is not connected. */
    InetSocketAddress remoteAddress(long socket) throws RioException;

    /**
     * Joins a multicast group ({@code IP_ADD_MEMBERSHIP} / {@code IPV6_ADD_MEMBERSHIP}, or the source-specific
     * form when {@code source} is not null) on the interface with index {@code interfaceIndex} (0 for any).
     */
    void joinGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source) throws RioException;

    /** Leaves a multicast group joined with {@link #joinGroup}. */
    void leaveGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source) throws RioException;

    /** Sets {@code IP_MULTICAST_IF} to the interface with this IPv4 address. */
    void setMulticastInterface(long socket, Inet4Address interfaceAddress) throws RioException;
}
