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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.nettyrio.rio.RioConstants.AF_INET;
import static io.nettyrio.rio.RioConstants.AF_INET6;
import static io.nettyrio.rio.windows.WindowsConstants.INVALID_SOCKET;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_IP;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_IPV6;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_TCP;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_UDP;
import static io.nettyrio.rio.windows.WindowsConstants.SOCKET_FLAGS;
import static io.nettyrio.rio.windows.WindowsConstants.SOL_SOCKET;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@link RioSockets} over Winsock ("WSASocketW function (winsock2.h)", "AcceptEx function
 * (mswsock.h)", "LPFN_CONNECTEX callback function (mswsock.h)" on Microsoft Learn):
 * <ul>
 *   <li>sockets from {@code WSASocketW} with {@code WSA_FLAG_OVERLAPPED | WSA_FLAG_REGISTERED_IO} (and not
 *       inherited); IPv6 ones get {@code IPV6_V6ONLY} 0, since Windows defaults it to 1, so that they are dual-stack
 *       as the model promises;</li>
 *   <li>accept through AcceptEx into a pre-created registered-I/O socket, then {@code SO_UPDATE_ACCEPT_CONTEXT} so
 *       that it inherits the listener's properties;</li>
 *   <li>connect through ConnectEx after binding to the wildcard address when unbound (ConnectEx requires it), then
 *       {@code SO_UPDATE_CONNECT_CONTEXT} so that options and {@code getpeername} work;</li>
 *   <li>options with their Windows levels, numbers and shapes ({@code linger} is two u16; a BOOL may come back
 *       from getsockopt as a single byte).</li>
 * </ul>
 * It remembers the family of each socket it created or accepted, whether it is bound, the port it is associated
 * with, and its AcceptEx / ConnectEx operations in flight.
 */
final class WindowsSockets implements RioSockets {
    private static final int SOCKADDR_STORAGE_SIZE = (int) WinsockStructs.SOCKADDR_STORAGE.byteSize();

    private final WindowsNative api;
    private final WindowsHandles handles;
    private final Map<Long, SocketState> sockets = new ConcurrentHashMap<>();

    /** What the provider knows of one socket. */
    static final class SocketState {
        final int family;
        final int type;
        volatile boolean bound;
        volatile IocpPort port;
        final Set<PendingOperation> pending = ConcurrentHashMap.newKeySet();

        SocketState(int family, int type) {
            this.family = family;
            this.type = type;
        }
    }

    WindowsSockets(WindowsNative api, WindowsHandles handles) {
        this.api = api;
        this.handles = handles;
    }

    /** The state of a socket this provider created or accepted, or {@code null}. */
    SocketState state(long socket) {
        return sockets.get(socket);
    }

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        if (addressFamily != AF_INET && addressFamily != AF_INET6) {
            throw new IllegalArgumentException("address family must be AF_INET (2) or AF_INET6 (23): "
                    + addressFamily);
        }
        if (type != RioConstants.SOCK_STREAM && type != RioConstants.SOCK_DGRAM) {
            throw new IllegalArgumentException("type must be SOCK_STREAM (1) or SOCK_DGRAM (2): " + type);
        }
        long socket = newSocket(addressFamily, type);
        if (addressFamily == AF_INET6) {
            // IPV6_V6ONLY is on by default on Windows (dual-stack-sockets page): clear it before bind.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment off = arena.allocate(JAVA_INT);
                if (api.setsockopt(socket, IPPROTO_IPV6, WindowsConstants.IPV6_V6ONLY, off, 4) != 0) {
                    int error = api.wsaGetLastError();
                    api.closesocket(socket);
                    throw new RioException("setsockopt", error, "IPV6_V6ONLY 0 for a dual-stack socket");
                }
            }
        }
        if (type == RioConstants.SOCK_DGRAM) {
            try {
                udpConnectionReset(socket, false);
            } catch (RioException e) {
                api.closesocket(socket);
                throw e;
            }
        }
        sockets.put(socket, new SocketState(addressFamily, type));
        return socket;
    }

    /**
     * {@code SIO_UDP_CONNRESET}. By default Windows fails a UDP socket's next receive with WSAECONNRESET after an
     * ICMP port unreachable, which for an unconnected socket says nothing about its own traffic and would end a RIO
     * receive. As Java's own datagram channels do on Windows, it is off while the socket is unconnected and on
     * while it is connected, where the error belongs to the one peer (Netty reports it as
     * {@code PortUnreachableException}).
     */
    private void udpConnectionReset(long socket, boolean on) throws RioException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(JAVA_INT);
            flag.set(JAVA_INT, 0, on ? 1 : 0);
            MemorySegment returned = arena.allocate(JAVA_INT);
            if (api.WSAIoctl(socket, WindowsConstants.SIO_UDP_CONNRESET, flag, 4, MemorySegment.NULL, 0, returned,
                    MemorySegment.NULL, MemorySegment.NULL) != 0) {
                throw new RioException("WSAIoctl", api.wsaGetLastError(), "SIO_UDP_CONNRESET " + on);
            }
        }
    }

    private long newSocket(int addressFamily, int type) throws RioException {
        int protocol = type == RioConstants.SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
        long socket = api.WSASocketW(addressFamily, type, protocol, MemorySegment.NULL, 0, SOCKET_FLAGS);
        if (socket == INVALID_SOCKET) {
            throw new RioException("WSASocketW", api.wsaGetLastError());
        }
        return socket;
    }

    @Override
    public void bind(long socket, InetSocketAddress localAddress) throws RioException {
        SocketState state = sockets.get(socket);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(SockaddrInet.SOCKADDR_INET);
            int length = writeAddress("bind", name, localAddress, state);
            check("bind", api.bind(socket, name, length));
        }
        if (state != null) {
            state.bound = true;
        }
    }

    @Override
    public void listen(long socket, int backlog) throws RioException {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog < 0: " + backlog);
        }
        check("listen", api.listen(socket, backlog));
    }

    @Override
    public void accept(long listenSocket, Port port, long completionKey, long context) throws RioException {
        IocpPort iocp = iocp(port);
        SocketState listener = known("AcceptEx", listenSocket);
        associate(listenSocket, listener, iocp);
        // AcceptEx takes an unbound, unconnected socket made by the caller; it is made for registered I/O so
        // that RIOCreateRequestQueue accepts it ("RIOCreateRequestQueue function (mswsock.h)": the socket must be
        // created with WSA_FLAG_REGISTERED_IO).
        long acceptSocket = newSocket(listener.family, RioConstants.SOCK_STREAM);
        PendingOperation operation = new PendingOperation(PendingOperation.ACCEPT, listenSocket, acceptSocket,
                listener.family, completionKey, context);
        listener.pending.add(operation);
        iocp.register(operation);
        // No data with the accept (RIO cannot receive as part of it), room for the two addresses.
        if (api.AcceptEx(listenSocket, acceptSocket, operation.buffer(), 0, PendingOperation.ACCEPT_ADDRESS_LENGTH,
                PendingOperation.ACCEPT_ADDRESS_LENGTH, operation.bytes(), operation.overlapped()) == 0) {
            int error = api.wsaGetLastError();
            if (error != WsaError.WSA_IO_PENDING) {
                iocp.unregister(operation);
                listener.pending.remove(operation);
                api.closesocket(acceptSocket);
                throw new RioException("AcceptEx", error);
            }
        }
        // TRUE (accepted at once) also queues a completion packet: the port reports both cases alike.
    }

    @Override
    public void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException {
        IocpPort iocp = iocp(port);
        SocketState state = known("ConnectEx", socket);
        checkAddress(remoteAddress);
        if (!state.bound) {
            // ConnectEx requires a bound socket: the wildcard address and port 0, as connect() would pick.
            bind(socket, new InetSocketAddress(wildcard(state.family), 0));
        }
        associate(socket, state, iocp);
        PendingOperation operation = new PendingOperation(PendingOperation.CONNECT, socket, INVALID_SOCKET,
                state.family, completionKey, context);
        int length = writeAddress("ConnectEx", operation.buffer(), remoteAddress, state);
        state.pending.add(operation);
        iocp.register(operation);
        if (api.ConnectEx(socket, operation.buffer(), length, MemorySegment.NULL, 0, operation.bytes(),
                operation.overlapped()) == 0) {
            int error = api.wsaGetLastError();
            if (error != WsaError.WSA_IO_PENDING) {
                iocp.unregister(operation);
                state.pending.remove(operation);
                throw new RioException("ConnectEx", error);
            }
        }
    }

    /**
     * Turns a dequeued AcceptEx / ConnectEx completion into a {@link PortCompletions} entry with the caller's key
     * and context. Called by {@link IocpPort} on its thread.
     */
    void complete(PendingOperation operation, PortCompletions out) {
        SocketState state = sockets.get(operation.socket);
        if (state != null) {
            state.pending.remove(operation);
        }
        int status;
        if (operation.aborted) {
            // The socket was closed (and its handle may already be reused): report what closing promises.
            status = WsaError.WSA_OPERATION_ABORTED;
        } else if (api.WSAGetOverlappedResult(operation.socket, operation.overlapped(), operation.transferred(), 0,
                operation.flags()) != 0) {
            status = WsaError.NO_ERROR;
        } else {
            status = api.wsaGetLastError();
        }
        if (operation.kind == PendingOperation.ACCEPT) {
            if (status == WsaError.NO_ERROR) {
                status = updateAcceptContext(operation);
            }
            if (status == WsaError.NO_ERROR) {
                SocketState accepted = new SocketState(operation.family, RioConstants.SOCK_STREAM);
                accepted.bound = true;
                sockets.put(operation.acceptSocket, accepted);
                out.add(operation.completionKey, operation.context, WsaError.NO_ERROR, operation.acceptSocket);
            } else {
                api.closesocket(operation.acceptSocket);
                out.add(operation.completionKey, operation.context, status, 0);
            }
        } else {
            if (status == WsaError.NO_ERROR
                    && api.setsockopt(operation.socket, SOL_SOCKET, WindowsConstants.SO_UPDATE_CONNECT_CONTEXT,
                    MemorySegment.NULL, 0) != 0) {
                status = api.wsaGetLastError();
            }
            out.add(operation.completionKey, operation.context, status, 0);
        }
    }

    private int updateAcceptContext(PendingOperation operation) {
        try (Arena arena = Arena.ofConfined()) {
            // optval is the listening SOCKET itself (8 bytes), as the AcceptEx page shows.
            MemorySegment listener = arena.allocate(JAVA_LONG);
            listener.set(JAVA_LONG, 0, operation.socket);
            if (api.setsockopt(operation.acceptSocket, SOL_SOCKET, WindowsConstants.SO_UPDATE_ACCEPT_CONTEXT,
                    listener, (int) listener.byteSize()) != 0) {
                return api.wsaGetLastError();
            }
            return WsaError.NO_ERROR;
        }
    }

    @Override
    public void connectDatagram(long socket, InetSocketAddress remoteAddress) throws RioException {
        SocketState state = sockets.get(socket);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(SockaddrInet.SOCKADDR_INET);
            int length;
            if (remoteAddress == null) {
                // connect() page: an all-zero address disconnects a datagram socket.
                int family = state != null ? state.family : AF_INET;
                name.set(JAVA_SHORT, 0, (short) family);
                length = family == AF_INET ? 16 : SockaddrInet.SIZE;
            } else {
                length = writeAddress("connect", name, remoteAddress, state);
            }
            check("connect", api.connect(socket, name, length));
        }
        udpConnectionReset(socket, remoteAddress != null);
    }

    @Override
    public void shutdown(long socket, int how) throws RioException {
        if (how != RioConstants.SD_RECEIVE && how != RioConstants.SD_SEND && how != RioConstants.SD_BOTH) {
            throw new IllegalArgumentException("how must be SD_RECEIVE, SD_SEND or SD_BOTH: " + how);
        }
        check("shutdown", api.shutdown(socket, how));
    }

    @Override
    public void close(long socket) throws RioException {
        SocketState state = sockets.remove(socket);
        if (state != null) {
            for (PendingOperation operation : state.pending) {
                operation.aborted = true;
            }
        }
        // closesocket frees the request queue: forget it first, so that no request reaches freed memory.
        handles.socketClosing(socket);
        check("closesocket", api.closesocket(socket));
    }

    @Override
    public void abort(long socket) throws RioException {
        int lingerError = WsaError.NO_ERROR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linger = arena.allocate(WinsockStructs.LINGER);
            WinsockStructs.LINGER_l_onoff.set(linger, 0L, (short) 1);
            WinsockStructs.LINGER_l_linger.set(linger, 0L, (short) 0);
            if (api.setsockopt(socket, SOL_SOCKET, WindowsConstants.SO_LINGER, linger, 4) != 0) {
                lingerError = api.wsaGetLastError();
            }
        }
        // Close even if the linger option failed: the socket must not leak.
        close(socket);
        if (lingerError != WsaError.NO_ERROR) {
            throw new RioException("setsockopt", lingerError, "SO_LINGER 0 before closesocket");
        }
    }

    @Override
    public int getOption(long socket, RioSocketOption option) throws RioException {
        WindowsOption o = WindowsOption.of(option);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            check("getsockopt", api.getsockopt(socket, o.level(), o.name(), value, length));
            if (o.linger()) {
                int onOff = Short.toUnsignedInt((short) WinsockStructs.LINGER_l_onoff.get(value, 0L));
                int seconds = Short.toUnsignedInt((short) WinsockStructs.LINGER_l_linger.get(value, 0L));
                return onOff == 0 ? -1 : seconds;
            }
            // Some BOOL options (TCP_NODELAY among them) come back as a one-byte BOOLEAN with optlen 1.
            return switch (length.get(JAVA_INT, 0)) {
                case 1 -> value.get(JAVA_BYTE, 0);
                case 2 -> value.get(JAVA_SHORT, 0);
                default -> value.get(JAVA_INT, 0);
            };
        }
    }

    @Override
    public void setOption(long socket, RioSocketOption option, int value) throws RioException {
        WindowsOption o = WindowsOption.of(option);
        if (o.readOnly()) {
            throw new IllegalArgumentException(option + " cannot be set");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment optval = arena.allocate(JAVA_INT);
            if (o.linger()) {
                if (value > 0xFFFF) {
                    throw new IllegalArgumentException("SO_LINGER seconds above 65535: " + value);
                }
                WinsockStructs.LINGER_l_onoff.set(optval, 0L, (short) (value < 0 ? 0 : 1));
                WinsockStructs.LINGER_l_linger.set(optval, 0L, (short) Math.max(value, 0));
            } else {
                optval.set(JAVA_INT, 0, value);
            }
            check("setsockopt", api.setsockopt(socket, o.level(), o.name(), optval, 4));
        }
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws RioException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(WinsockStructs.SOCKADDR_STORAGE);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_STORAGE_SIZE);
            check("getsockname", api.getsockname(socket, name, length));
            return readAddress(name);
        }
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws RioException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(WinsockStructs.SOCKADDR_STORAGE);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_STORAGE_SIZE);
            if (api.getpeername(socket, name, length) != 0) {
                int error = api.wsaGetLastError();
                if (error == WsaError.WSAENOTCONN) {
                    return null;
                }
                throw new RioException("getpeername", error);
            }
            return readAddress(name);
        }
    }

    @Override
    public void joinGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        membership(socket, group, interfaceIndex, source, true);
    }

    @Override
    public void leaveGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        membership(socket, group, interfaceIndex, source, false);
    }

    private void membership(long socket, InetAddress group, int interfaceIndex, InetAddress source, boolean join)
            throws RioException {
        if (group == null || !group.isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast group: " + group);
        }
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index < 0: " + interfaceIndex);
        }
        if (source != null && source.getClass() != group.getClass()) {
            throw new IllegalArgumentException("source " + source + " and group " + group + " differ in family");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request;
            int level;
            int name;
            if (group instanceof Inet4Address) {
                level = IPPROTO_IP;
                // ip_mreq page: an imr_interface of 0.0.0.x (x < 2^24) names the interface with index x.
                if (source == null) {
                    request = arena.allocate(WinsockStructs.IP_MREQ);
                    WinsockStructs.IP_MREQ_imr_multiaddr.set(request, 0L, ipv4(group));
                    WinsockStructs.IP_MREQ_imr_interface.set(request, 0L, interfaceIndex);
                    name = join ? WindowsConstants.IP_ADD_MEMBERSHIP : WindowsConstants.IP_DROP_MEMBERSHIP;
                } else {
                    request = arena.allocate(WinsockStructs.IP_MREQ_SOURCE);
                    WinsockStructs.IP_MREQ_SOURCE_imr_multiaddr.set(request, 0L, ipv4(group));
                    WinsockStructs.IP_MREQ_SOURCE_imr_sourceaddr.set(request, 0L, ipv4(source));
                    WinsockStructs.IP_MREQ_SOURCE_imr_interface.set(request, 0L, interfaceIndex);
                    name = join ? WindowsConstants.IP_ADD_SOURCE_MEMBERSHIP
                            : WindowsConstants.IP_DROP_SOURCE_MEMBERSHIP;
                }
            } else {
                level = IPPROTO_IPV6;
                if (source == null) {
                    request = arena.allocate(WinsockStructs.IPV6_MREQ);
                    MemorySegment.copy(group.getAddress(), 0, request, JAVA_BYTE, 0, 16);
                    WinsockStructs.IPV6_MREQ_ipv6mr_interface.set(request, 0L, interfaceIndex);
                    name = join ? WindowsConstants.IPV6_ADD_MEMBERSHIP : WindowsConstants.IPV6_DROP_MEMBERSHIP;
                } else {
                    request = arena.allocate(WinsockStructs.GROUP_SOURCE_REQ);
                    WinsockStructs.GROUP_SOURCE_REQ_gsr_interface.set(request, 0L, interfaceIndex);
                    SockaddrInet.write(request, WinsockStructs.GROUP_SOURCE_REQ_gsr_group,
                            new InetSocketAddress(group, 0));
                    SockaddrInet.write(request, WinsockStructs.GROUP_SOURCE_REQ_gsr_source,
                            new InetSocketAddress(source, 0));
                    name = join ? WindowsConstants.MCAST_JOIN_SOURCE_GROUP
                            : WindowsConstants.MCAST_LEAVE_SOURCE_GROUP;
                }
            }
            check("setsockopt", api.setsockopt(socket, level, name, request, (int) request.byteSize()));
        }
    }

    @Override
    public void setMulticastInterface(long socket, Inet4Address interfaceAddress) throws RioException {
        if (interfaceAddress == null) {
            throw new IllegalArgumentException("interface address is null");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment inAddr = arena.allocate(JAVA_INT);
            MemorySegment.copy(interfaceAddress.getAddress(), 0, inAddr, JAVA_BYTE, 0, 4);
            check("setsockopt", api.setsockopt(socket, IPPROTO_IP, WindowsConstants.IP_MULTICAST_IF, inAddr, 4));
        }
    }

    // ---- helpers

    private void check(String call, int result) throws RioException {
        if (result != 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    private SocketState known(String call, long socket) throws RioException {
        SocketState state = sockets.get(socket);
        if (state == null) {
            throw new RioException(call, WsaError.WSAENOTSOCK, "not a socket of the Windows RIO provider");
        }
        return state;
    }

    private static IocpPort iocp(Port port) {
        if (port instanceof IocpPort iocp) {
            return iocp;
        }
        throw new IllegalArgumentException("the port was not opened by the Windows provider: " + port);
    }

    /** Associates the socket with the port once; a handle cannot move to another port until it is closed. */
    private void associate(long socket, SocketState state, IocpPort port) throws RioException {
        IocpPort current = state.port;
        if (current == port) {
            return;
        }
        if (current != null && !current.isClosed()) {
            throw new RioException("CreateIoCompletionPort", WsaError.WSAEINVAL,
                    "the socket already completes on another port");
        }
        if (api.CreateIoCompletionPort(socket, port.handle(), IocpPort.OPERATION_KEY, 0) == 0L) {
            throw new RioException("CreateIoCompletionPort", api.getLastError());
        }
        state.port = port;
    }

    private static void checkAddress(InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
    }

    private static InetAddress wildcard(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == AF_INET ? 4 : 16]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code address} as the socket expects it: an IPv4 address for a dual-stack IPv6 socket becomes
     * {@code ::ffff:a.b.c.d}; an IPv6 address for an IPv4 socket is refused.
     */
    static int writeAddress(String call, MemorySegment name, InetSocketAddress address, SocketState state)
            throws RioException {
        checkAddress(address);
        int family = state != null ? state.family : 0;
        InetAddress ip = address.getAddress();
        if (family == AF_INET && ip instanceof Inet6Address) {
            throw new RioException(call, WsaError.WSAEAFNOSUPPORT, "IPv6 address " + ip + " on an IPv4 socket");
        }
        if (family == AF_INET6 && ip instanceof Inet4Address ip4) {
            return SockaddrInet.write(name, 0, new InetSocketAddress(SockaddrInet.ipv4Mapped(ip4), address.getPort()));
        }
        return SockaddrInet.write(name, 0, address);
    }

    /** Reads a {@code SOCKADDR_INET}, turning {@code ::ffff:a.b.c.d} into the IPv4 address, as Java's NIO does. */
    static InetSocketAddress readAddress(MemorySegment name) {
        return SockaddrInet.unmapIpv4(SockaddrInet.read(name, 0));
    }

    private static int ipv4(InetAddress address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }
}
