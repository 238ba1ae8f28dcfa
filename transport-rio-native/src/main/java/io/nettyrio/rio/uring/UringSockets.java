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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The socket calls over libc, with accepts and connects as io_uring requests completing on a port
 * (IORING_OP_ACCEPT, IORING_OP_CONNECT). Sockets are created SOCK_CLOEXEC, datagram sockets SOCK_NONBLOCK too;
 * IPv6 sockets are dual-stack (IPV6_V6ONLY 0), as the model asks.
 *
 * <p>Every socket is non-blocking, TCP sockets and accepted ones included, as Netty's io_uring transport makes
 * them: io_uring tries each request without blocking and, when it cannot proceed, waits for readiness with its
 * own poll, so no request holds a kernel worker while a peer is idle. The one case its poll cannot wait for (a
 * send to a full buffer after the peer half-closed) waits in {@link WritableWait} instead, and the io-wq worker
 * pool is bounded ({@link Ring#IOWQ_MAX_UNBOUNDED}).
 */
final class UringSockets implements RioSockets {
    /** Per-thread memory for the synchronous calls: the errno capture and room for a sockaddr or an option. */
    private static final class Scratch {
        final MemorySegment capture;
        final MemorySegment buffer;
        final MemorySegment length;

        Scratch() {
            Arena arena = Arena.ofAuto();
            capture = LibC.allocateCapture(arena);
            buffer = arena.allocate(SocketOptions.GROUP_SOURCE_REQ_SIZE, 8);
            length = arena.allocate(ValueLayout.JAVA_INT);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final IoUringProvider provider;

    UringSockets(IoUringProvider provider) {
        this.provider = provider;
    }

    private UringSocket lookup(String call, long socket) throws RioException {
        UringSocket s = provider.sockets.get(socket);
        if (s == null) {
            throw new RioException(call, WsaError.WSAENOTSOCK, "not an open socket of this provider");
        }
        return s;
    }

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        String call = "WSASocket";
        int family = LinuxSockaddr.toLinuxFamily(addressFamily);
        if (family < 0) {
            throw new RioException(call, WsaError.WSAEAFNOSUPPORT, "address family " + addressFamily);
        }
        int linuxType = switch (type) {
            case RioConstants.SOCK_STREAM -> SocketOptions.SOCK_STREAM;
            case RioConstants.SOCK_DGRAM -> SocketOptions.SOCK_DGRAM;
            default -> throw new RioException(call, WsaError.WSAEINVAL, "socket type " + type);
        };
        Scratch scratch = SCRATCH.get();
        int fd = LibC.socket(scratch.capture, family,
                linuxType | SocketOptions.SOCK_NONBLOCK | SocketOptions.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.exception(call, LibC.errno(scratch.capture));
        }
        if (family == LinuxSockaddr.AF_INET6) {
            // Windows sockets are IPv6-only by default, and the model asks for dual-stack ones.
            scratch.buffer.set(ValueLayout.JAVA_INT, 0, 0);
            if (LibC.setsockopt(scratch.capture, fd, SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_V6ONLY,
                    scratch.buffer, 4) < 0) {
                int errno = LibC.errno(scratch.capture);
                LibC.close(scratch.capture, fd);
                throw Errno.exception("setsockopt(IPV6_V6ONLY)", errno);
            }
        }
        UringSocket s = new UringSocket(provider, fd, family, linuxType);
        s.handle = provider.sockets.add(s);
        return s.handle;
    }

    @Override
    public void bind(long socket, InetSocketAddress localAddress) throws RioException {
        UringSocket s = lookup("bind", socket);
        Scratch scratch = SCRATCH.get();
        int length = writeAddress("bind", scratch.buffer, localAddress, s.family);
        if (LibC.bind(scratch.capture, s.fd, scratch.buffer, length) < 0) {
            throw Errno.exception("bind", LibC.errno(scratch.capture));
        }
    }

    private static int writeAddress(String call, MemorySegment out, InetSocketAddress address, int family)
            throws RioException {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        if (family == LinuxSockaddr.AF_INET && !(address.getAddress() instanceof Inet4Address)) {
            throw new RioException(call, WsaError.WSAEAFNOSUPPORT, "an IPv6 address on an IPv4 socket: " + address);
        }
        return LinuxSockaddr.write(out, address, family);
    }

    @Override
    public void listen(long socket, int backlog) throws RioException {
        UringSocket s = lookup("listen", socket);
        if (backlog < 0) {
            throw new RioException("listen", WsaError.WSAEINVAL, "negative backlog " + backlog);
        }
        Scratch scratch = SCRATCH.get();
        if (LibC.listen(scratch.capture, s.fd, backlog) < 0) {
            throw Errno.exception("listen", LibC.errno(scratch.capture));
        }
    }

    private static UringPort port(String call, Port port) throws RioException {
        if (port == null) {
            throw new IllegalArgumentException("port is null");
        }
        if (!(port instanceof UringPort p)) {
            throw new RioException(call, WsaError.WSAEINVAL, "not a port of the io_uring provider");
        }
        return p;
    }

    @Override
    public void accept(long listenSocket, Port port, long completionKey, long context) throws RioException {
        String call = "AcceptEx";
        UringSocket s = lookup(call, listenSocket);
        UringPort p = port(call, port);
        if (!s.isStream()) {
            throw new RioException(call, WsaError.WSAEOPNOTSUPP, "accept on a UDP socket");
        }
        start(call, s, p, new UringPort.PortOp(true, s, completionKey, context, null), 0);
    }

    @Override
    public void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException {
        String call = "ConnectEx";
        UringSocket s = lookup(call, socket);
        UringPort p = port(call, port);
        // Kept alive by the PortOp until the CONNECT's CQE (the kernel copies it at submission, with
        // IORING_FEAT_SUBMIT_STABLE, but nothing is freed while a request may refer to it).
        MemorySegment sockaddr = Arena.ofAuto().allocate(LinuxSockaddr.MAX_SIZE, 8);
        int length = writeAddress(call, sockaddr, remoteAddress, s.family);
        start(call, s, p, new UringPort.PortOp(false, s, completionKey, context, sockaddr), length);
    }

    private static void start(String call, UringSocket s, UringPort p, UringPort.PortOp op, long addrLength)
            throws RioException {
        synchronized (s) {
            if (s.closeStarted) {
                throw new RioException(call, WsaError.WSAENOTSOCK, "the socket is closed");
            }
            s.addPort(p);
            p.start(op, addrLength);
        }
    }

    @Override
    public void connectDatagram(long socket, InetSocketAddress remoteAddress) throws RioException {
        UringSocket s = lookup("connect", socket);
        Scratch scratch = SCRATCH.get();
        int length;
        if (remoteAddress == null) {
            scratch.buffer.asSlice(0, LinuxSockaddr.MAX_SIZE).fill((byte) 0); // AF_UNSPEC dissolves the association
            length = LinuxSockaddr.SIZEOF_SOCKADDR_IN;
        } else {
            length = writeAddress("connect", scratch.buffer, remoteAddress, s.family);
        }
        if (LibC.connect(scratch.capture, s.fd, scratch.buffer, length) < 0) {
            throw Errno.exception("connect", LibC.errno(scratch.capture));
        }
    }

    @Override
    public void shutdown(long socket, int how) throws RioException {
        UringSocket s = lookup("shutdown", socket);
        if (how != RioConstants.SD_RECEIVE && how != RioConstants.SD_SEND && how != RioConstants.SD_BOTH) {
            throw new RioException("shutdown", WsaError.WSAEINVAL, "how " + how);
        }
        s.submitPending();
        Scratch scratch = SCRATCH.get();
        // SHUT_RD, SHUT_WR and SHUT_RDWR have the values of SD_RECEIVE, SD_SEND and SD_BOTH.
        if (LibC.shutdown(scratch.capture, s.fd, how) < 0) {
            throw Errno.exception("shutdown", LibC.errno(scratch.capture));
        }
        if (how != RioConstants.SD_RECEIVE) {
            s.sendShutdown = true;
        }
        if (how != RioConstants.SD_SEND) {
            // A UDP receive side sees it when its poll fires (Linux reports the socket readable at once) or at its
            // next commit, and fails what waits (UringSocket.receiveShutdown).
            s.receiveShutdown = true;
        }
    }

    @Override
    public void close(long socket) throws RioException {
        UringSocket s = provider.sockets.remove(socket);
        if (s == null) {
            throw new RioException("closesocket", WsaError.WSAENOTSOCK, "not an open socket of this provider");
        }
        synchronized (s) {
            s.closeStarted = true;
        }
        UringRequestQueue rq = s.requestQueue;
        if (rq != null) {
            rq.valid = false;
            ((UringRegisteredIo) provider.registeredIo()).unbind(rq);
            rq.close();
        }
        for (UringPort p : s.ports()) {
            p.cancel(s);
        }
        s.closing = true;
        s.finishClose();
    }

    @Override
    public void abort(long socket) throws RioException {
        UringSocket s = lookup("closesocket", socket);
        Scratch scratch = SCRATCH.get();
        scratch.buffer.set(ValueLayout.JAVA_INT, 0, 1);
        scratch.buffer.set(ValueLayout.JAVA_INT, 4, 0);
        // SO_LINGER {1, 0}: the close resets the connection. Errors are ignored as closesocket would.
        LibC.setsockopt(scratch.capture, s.fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_LINGER, scratch.buffer, 8);
        close(socket);
    }

    @Override
    public int getOption(long socket, RioSocketOption option) throws RioException {
        if (option == null) {
            throw new IllegalArgumentException("option is null");
        }
        UringSocket s = lookup("getsockopt", socket);
        Scratch scratch = SCRATCH.get();
        scratch.buffer.asSlice(0, 8).fill((byte) 0);
        scratch.length.set(ValueLayout.JAVA_INT, 0, option == RioSocketOption.SO_LINGER ? 8 : 4);
        if (LibC.getsockopt(scratch.capture, s.fd, SocketOptions.level(option), SocketOptions.name(option),
                scratch.buffer, scratch.length) < 0) {
            throw Errno.exception("getsockopt(" + option + ")", LibC.errno(scratch.capture));
        }
        int value = scratch.buffer.get(ValueLayout.JAVA_INT, 0);
        return switch (option) {
            case SO_LINGER -> value == 0 ? -1 : scratch.buffer.get(ValueLayout.JAVA_INT, 4);
            case SO_ERROR -> Errno.toWsa(value);
            case IP_MULTICAST_TTL, IP_MULTICAST_LOOP ->
                    scratch.length.get(ValueLayout.JAVA_INT, 0) == 1 ? scratch.buffer.get(ValueLayout.JAVA_BYTE, 0)
                            & 0xff : value;
            default -> value;
        };
    }

    @Override
    public void setOption(long socket, RioSocketOption option, int value) throws RioException {
        if (option == null) {
            throw new IllegalArgumentException("option is null");
        }
        UringSocket s = lookup("setsockopt", socket);
        if (SocketOptions.isReadOnly(option)) {
            throw new RioException("setsockopt", WsaError.WSAENOPROTOOPT, option + " can only be read");
        }
        Scratch scratch = SCRATCH.get();
        int length = 4;
        if (option == RioSocketOption.SO_LINGER) {
            scratch.buffer.set(ValueLayout.JAVA_INT, 0, value < 0 ? 0 : 1);
            scratch.buffer.set(ValueLayout.JAVA_INT, 4, Math.max(value, 0));
            length = 8;
        } else {
            scratch.buffer.set(ValueLayout.JAVA_INT, 0, value);
        }
        if (LibC.setsockopt(scratch.capture, s.fd, SocketOptions.level(option), SocketOptions.name(option),
                scratch.buffer, length) < 0) {
            throw Errno.exception("setsockopt(" + option + ")", LibC.errno(scratch.capture));
        }
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws RioException {
        UringSocket s = lookup("getsockname", socket);
        Scratch scratch = SCRATCH.get();
        scratch.buffer.asSlice(0, LinuxSockaddr.MAX_SIZE).fill((byte) 0);
        scratch.length.set(ValueLayout.JAVA_INT, 0, LinuxSockaddr.MAX_SIZE);
        if (LibC.getsockname(scratch.capture, s.fd, scratch.buffer, scratch.length) < 0) {
            throw Errno.exception("getsockname", LibC.errno(scratch.capture));
        }
        return LinuxSockaddr.read(scratch.buffer);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws RioException {
        UringSocket s = lookup("getpeername", socket);
        Scratch scratch = SCRATCH.get();
        scratch.buffer.asSlice(0, LinuxSockaddr.MAX_SIZE).fill((byte) 0);
        scratch.length.set(ValueLayout.JAVA_INT, 0, LinuxSockaddr.MAX_SIZE);
        if (LibC.getpeername(scratch.capture, s.fd, scratch.buffer, scratch.length) < 0) {
            int errno = LibC.errno(scratch.capture);
            if (errno == Errno.ENOTCONN) {
                return null;
            }
            throw Errno.exception("getpeername", errno);
        }
        return LinuxSockaddr.read(scratch.buffer);
    }

    @Override
    public void joinGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        membership("setsockopt(MCAST_JOIN_GROUP)", socket, group, interfaceIndex, source, true);
    }

    @Override
    public void leaveGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        membership("setsockopt(MCAST_LEAVE_GROUP)", socket, group, interfaceIndex, source, false);
    }

    /**
     * The protocol-independent {@code MCAST_*} options ({@code struct group_req} / {@code group_source_req}),
     * at the level of the group's family: an IPv6 socket joins IPv4 groups at IPPROTO_IP, as Linux allows.
     */
    private void membership(String call, long socket, InetAddress group, int interfaceIndex, InetAddress source,
                            boolean join) throws RioException {
        if (group == null) {
            throw new IllegalArgumentException("group is null");
        }
        UringSocket s = lookup(call, socket);
        boolean v4 = group instanceof Inet4Address;
        if (source != null && (source instanceof Inet4Address) != v4) {
            throw new RioException(call, WsaError.WSAEINVAL, "group and source of different families");
        }
        if (!v4 && s.family == LinuxSockaddr.AF_INET) {
            throw new RioException(call, WsaError.WSAEAFNOSUPPORT, "an IPv6 group on an IPv4 socket");
        }
        int family = v4 ? LinuxSockaddr.AF_INET : LinuxSockaddr.AF_INET6;
        Scratch scratch = SCRATCH.get();
        MemorySegment req = scratch.buffer;
        req.fill((byte) 0);
        req.set(ValueLayout.JAVA_INT, 0, interfaceIndex);
        LinuxSockaddr.write(req.asSlice(SocketOptions.GR_GROUP), new InetSocketAddress(group, 0), family);
        int length = SocketOptions.GROUP_REQ_SIZE;
        int name = join ? SocketOptions.MCAST_JOIN_GROUP : SocketOptions.MCAST_LEAVE_GROUP;
        if (source != null) {
            LinuxSockaddr.write(req.asSlice(SocketOptions.GSR_SOURCE), new InetSocketAddress(source, 0), family);
            length = SocketOptions.GROUP_SOURCE_REQ_SIZE;
            name = join ? SocketOptions.MCAST_JOIN_SOURCE_GROUP : SocketOptions.MCAST_LEAVE_SOURCE_GROUP;
        }
        int level = v4 ? SocketOptions.IPPROTO_IP : SocketOptions.IPPROTO_IPV6;
        if (LibC.setsockopt(scratch.capture, s.fd, level, name, req, length) < 0) {
            throw Errno.exception(call, LibC.errno(scratch.capture));
        }
    }

    @Override
    public void setMulticastInterface(long socket, Inet4Address interfaceAddress) throws RioException {
        if (interfaceAddress == null) {
            throw new IllegalArgumentException("interfaceAddress is null");
        }
        UringSocket s = lookup("setsockopt(IP_MULTICAST_IF)", socket);
        Scratch scratch = SCRATCH.get();
        MemorySegment.copy(interfaceAddress.getAddress(), 0, scratch.buffer, ValueLayout.JAVA_BYTE, 0, 4);
        if (LibC.setsockopt(scratch.capture, s.fd, SocketOptions.IPPROTO_IP, SocketOptions.IP_MULTICAST_IF,
                scratch.buffer, 4) < 0) {
            throw Errno.exception("setsockopt(IP_MULTICAST_IF)", LibC.errno(scratch.capture));
        }
    }
}
