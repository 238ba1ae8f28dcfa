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
package io.nettyrio.channel;

import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * What the RIO channels share, as Netty's {@code AbstractIoUringChannel} does for its io_uring channels: the socket,
 * the registration with the event loop's {@link RioIoHandler}, the addresses, the open/active state and the one
 * mapping from a failed call's status to the exception NIO throws. The channels that have a request queue build on
 * {@link AbstractRioDataChannel}. The channel's Unsafe is its {@link RioIoHandle}, so completions come back to
 * {@link #handleEvent}.
 */
abstract class AbstractRioChannel extends AbstractChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractRioChannel.class);


    /** {@code in6addr_any}, "::". */
    private static final InetAddress IN6ADDR_ANY;

    static {
        try {
            IN6ADDR_ANY = Inet6Address.getByAddress(null, new byte[16], 0);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final RioSockets sockets;
    private final ChannelMetadata metadata;
    /** The {@code SOCKET}; sockets are created dual-stack ({@code AF_INET6}, IPV6_V6ONLY off) when possible. */
    final long socket;
    final boolean ipv6;
    RioRegistration registration;
    /** What the event loop returned: it wraps {@link #registration} and counts the loop's registrations. */
    IoRegistration ioRegistration;
    RioIoHandler handler;
    private volatile boolean open = true;
    volatile boolean active;
    /**
     * A close that waited ({@link #deferClose}) for a channel that was active: Netty's close fires
     * {@code channelInactive} only if {@link #isActive()} is true when it starts, so it is, until {@link #doClose()}.
     */
    private volatile boolean activeUntilClosed;
    volatile InetSocketAddress local;
    volatile InetSocketAddress remote;


    /** Creates a channel over {@code socket}, a socket accepted by {@code parent}. */
    AbstractRioChannel(Channel parent, RioSockets sockets, long socket, boolean ipv6, boolean active,
                       ChannelMetadata metadata) {
        super(parent);
        this.sockets = sockets;
        this.metadata = metadata;
        this.socket = socket;
        this.ipv6 = ipv6;
        this.active = active;
    }

    /**
     * Creates a channel over a new socket of {@code type} ({@code SOCK_STREAM} or {@code SOCK_DGRAM}) for
     * registered I/O: for {@code family} {@code INET} an IPv4 socket, for {@code INET6} a dual-stack IPv6 one (IPv4
     * peers as IPv4-mapped addresses, "Dual-Stack Sockets for IPv6 and IPv4"), and for {@code null} dual-stack IPv6 if
     * the machine has IPv6, else IPv4.
     *
     * @throws UnsupportedOperationException for {@link SocketProtocolFamily#UNIX}
     */
    AbstractRioChannel(RioSockets sockets, SocketProtocolFamily family, int type, ChannelMetadata metadata) {
        super(null);
        if (family == SocketProtocolFamily.UNIX) {
            throw new UnsupportedOperationException("RIO channels are TCP and UDP only: " + family);
        }
        this.sockets = sockets;
        this.metadata = metadata;
        long s = 0;
        RioException v6Failure = null;
        if (family != SocketProtocolFamily.INET) {
            try {
                s = sockets.socket(RioConstants.AF_INET6, type);
            } catch (RioException e) {
                v6Failure = e;
            }
        }
        boolean v6 = family != SocketProtocolFamily.INET && v6Failure == null;
        if (!v6) {
            try {
                if (family == SocketProtocolFamily.INET6) {
                    throw v6Failure;
                }
                s = sockets.socket(RioConstants.AF_INET, type);
            } catch (RioException e) {
                if (v6Failure != null && e != v6Failure) {
                    e.addSuppressed(v6Failure);
                }
                throw new io.netty.channel.ChannelException("cannot create a RIO socket", e);
            }
        }
        this.socket = s;
        this.ipv6 = v6;
        this.active = false;
    }

    /**
     * Returns {@code address} as this socket speaks it: an IPv4 address becomes IPv4-mapped IPv6 on a dual-stack
     * socket (https://learn.microsoft.com/windows/win32/winsock/dual-stack-sockets).
     */
    final InetSocketAddress toNative(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ipv6 && ip instanceof Inet4Address && ip.isAnyLocalAddress()) {
            // 0.0.0.0 (what new InetSocketAddress(port) holds) means "any address": on a dual-stack socket that is
            // in6addr_any, as the JDK binds it; ::ffff:0.0.0.0 would accept IPv4 traffic only.
            return new InetSocketAddress(IN6ADDR_ANY, address.getPort());
        }
        if (ipv6 && ip instanceof Inet4Address ip4) {
            return new InetSocketAddress(SockaddrInet.ipv4Mapped(ip4), address.getPort());
        }
        return address;
    }

    /** Returns {@code address} as Java users expect it: IPv4-mapped IPv6 becomes plain IPv4, as NIO reports it. */
    static InetSocketAddress fromNative(InetSocketAddress address) {
        return SockaddrInet.unmapIpv4(address);
    }

    static InetSocketAddress checkInet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new UnsupportedOperationException("unsupported address type: "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        if (inet.isUnresolved()) {
            throw new java.nio.channels.UnresolvedAddressException();
        }
        return inet;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public final ChannelMetadata metadata() {
        return metadata;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    /**
     * Returns the counters of the event loop's {@link RioIoHandler} this channel is registered with (shared by
     * every channel of that loop), or null before the channel is registered.
     */
    public RioIoHandlerMetric ioMetric() {
        RioIoHandler h = handler;
        return h == null ? null : h.metric();
    }

    @Override
    public boolean isActive() {
        return open && active || activeUntilClosed;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(RioUnsafe.class);
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        if (registration != null && !registration.isValid() && hasRequestQueue()) {
            // A request queue is bound to its handler's completion queue for life (RIOCreateRequestQueue takes the
            // CQ once): the channel cannot move to another event loop.
            promise.setFailure(new IllegalStateException("a RIO channel with a request queue cannot be "
                    + "re-registered"));
            return;
        }
        ((IoEventLoop) eventLoop()).register((RioUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                ioRegistration = (IoRegistration) f.getNow();
                // SingleThreadIoEventLoop wraps the handler's registration; the handler handed ours to the Unsafe.
                registration = ((RioUnsafe) unsafe()).rioRegistration;
                handler = ioRegistration.attachment();
                try {
                    registered0();
                    promise.setSuccess();
                } catch (Throwable t) {
                    promise.setFailure(t);
                }
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    /** Called on the event loop once the channel is registered with its handler. */
    void registered0() throws Exception {
    }

    boolean hasRequestQueue() {
        return false;
    }

    // ------------------------------------------------------------------ errors

    /**
     * The one mapping from a failed call's status to the exception Netty's NIO transport gives for the same error,
     * with a {@link RioException} of {@code call} kept as the cause. NIO's types come from the JDK's
     * {@code sun.nio.ch.Net} (its {@code handleSocketError}): {@link BindException} for an address in use, not
     * available or not permitted, {@link ConnectException} for a refused or timed-out connect,
     * {@link NoRouteToHostException} for an unreachable host, and {@link SocketException} for the rest; a reset
     * connection is a {@link SocketException} ("Connection reset"), and on a datagram socket a refused or reset
     * status (an ICMP port unreachable: {@code ECONNREFUSED} on Linux, {@code WSAECONNRESET} on Windows, see
     * "WSAIoctl function (winsock2.h)", {@code SIO_UDP_CONNRESET}) is a {@link PortUnreachableException}.
     *
     * @param address the remote address to name in the message, or null
     */
    static IOException ioException(String call, int status, Object address, boolean datagram) {
        return ioException(new RioException(call, status), address, datagram);
    }

    /** {@link #ioException(String, int, Object, boolean)} of a call that threw {@code cause}. */
    static IOException ioException(RioException cause, Object address, boolean datagram) {
        int status = cause.wsaError();
        String suffix = address == null ? "" : ": " + address;
        IOException e;
        if (datagram && (status == WsaError.WSAECONNREFUSED || status == WsaError.WSAECONNRESET)) {
            e = new PortUnreachableException(cause.getMessage());
        } else {
            e = switch (status) {
                case WsaError.WSAEADDRINUSE -> new BindException("Address already in use" + suffix);
                case WsaError.WSAEADDRNOTAVAIL -> new BindException("Cannot assign requested address" + suffix);
                case WsaError.WSAEACCES -> new BindException("Permission denied" + suffix);
                case WsaError.WSAECONNREFUSED -> new ConnectException("Connection refused" + suffix);
                case WsaError.WSAETIMEDOUT -> new ConnectException("Connection timed out" + suffix);
                case WsaError.WSAENOTCONN -> new ConnectException("Socket is not connected" + suffix);
                case WsaError.WSAEHOSTUNREACH -> new NoRouteToHostException("No route to host" + suffix);
                case WsaError.WSAENETUNREACH -> new SocketException("Network is unreachable" + suffix);
                case WsaError.WSAEMSGSIZE -> new SocketException("Message too long" + suffix);
                case WsaError.WSAECONNRESET, WsaError.ERROR_NETNAME_DELETED, WsaError.WSAECONNABORTED,
                     WsaError.WSAENETRESET -> new SocketException("Connection reset by peer ("
                        + WsaError.name(status) + ')');
                default -> new SocketException(cause.getMessage());
            };
        }
        e.initCause(cause);
        return e;
    }

    @Override
    protected void doDeregister() {
        IoRegistration registration = this.ioRegistration;
        if (registration != null) {
            registration.cancel();
        }
    }

    @Override
    protected SocketAddress localAddress0() {
        InetSocketAddress local = this.local;
        if (local == null && open) {
            try {
                local = fromNative(sockets.localAddress(socket));
            } catch (RioException e) {
                return null;
            }
            if (local == null || local.getPort() == 0) {
                // Not bound yet: report no address, as NIO does (AbstractChannel caches what we return).
                return null;
            }
            this.local = local;
        }
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        InetSocketAddress address = checkInet(localAddress);
        try {
            sockets.bind(socket, toNative(address));
        } catch (RioException e) {
            throw ioException(e, address, false);
        }
        local = fromNative(sockets.localAddress(socket));
    }

    @Override
    protected void doClose() throws Exception {
        activeUntilClosed = false;
        boolean wasOpen = open;
        open = false;
        active = false;
        if (wasOpen) {
            closeSocket();
        }
    }

    /**
     * Closes the socket: its request queue goes with it, and its pending requests complete with an error and are
     * still dequeued (RioSockets#close), which is when their memory comes back.
     */
    void closeSocket() throws IOException {
        sockets.close(socket);
    }

    /**
     * Closes the socket ahead of Netty's close, which {@link #deferClose} holds back: {@link #doClose()} then
     * finds it closed. Event loop only.
     */
    final void closeSocketFirst() throws IOException {
        if (open) {
            open = false;
            active = false;
            closeSocket();
        }
    }

    /**
     * Whether Netty's close of this channel waits (the data channels hold it until their sends in flight have
     * completed, see {@link AbstractRioDataChannel}); the arguments are those of Netty's
     * {@code AbstractUnsafe.close}. A channel that defers runs the close later with
     * {@link RioUnsafe#closeNow}.
     */
    boolean deferClose(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause) {
        return false;
    }

    /** Whether a close is waiting ({@link #deferClose}): nothing is flushed meanwhile. */
    boolean closeDeferred() {
        return false;
    }

    /** Handles a completion of one of this channel's requests. Event loop only. */
    abstract void handleEvent(RioIoEvent event);

    @Override
    protected final AbstractUnsafe newUnsafe() {
        return new RioUnsafe();
    }

    /**
     * Connects, for {@link RioUnsafe#connect}, on the event loop: TCP through ConnectEx and the port, UDP
     * synchronously. A server channel has nothing to connect.
     */
    void connect(RioUnsafe unsafe, SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        promise.setFailure(new UnsupportedOperationException("a server channel does not connect"));
    }

    /**
     * The Unsafe of every RIO channel, and the {@link RioIoHandle} its handler delivers completions to. What differs
     * between the channels (connect) is a method of the channel, as with Netty's {@code doConnect}.
     */
    final class RioUnsafe extends AbstractUnsafe implements RioIoHandle {
        /** Set by {@link RioIoHandler#register} on the event loop. */
        RioRegistration rioRegistration;

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            AbstractRioChannel.this.connect(this, remoteAddress, localAddress, promise);
        }

        /** Netty's {@code ensureOpen}, for the channels' connect. */
        boolean openFor(ChannelPromise promise) {
            return ensureOpen(promise);
        }

        /** Fails a connect as Netty's transports do: the cause names the address, then the channel closes if closed. */
        void connectFailed(ChannelPromise promise, Throwable cause, SocketAddress remoteAddress) {
            promise.tryFailure(annotateConnectException(cause, remoteAddress));
            closeIfClosed();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            handleEvent((RioIoEvent) event);
        }

        @Override
        public void close() {
            close(voidPromise());
        }

        @Override
        protected void close(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause) {
            if (!deferClose(promise, cause, closeCause)) {
                super.close(promise, cause, closeCause);
            }
        }

        /** Runs a close that {@link #deferClose} held back, for a channel that was active when it was asked for. */
        final void closeNow(ChannelPromise promise, Throwable cause, ClosedChannelException closeCause,
                            boolean wasActive) {
            activeUntilClosed = wasActive;
            super.close(promise, cause, closeCause);
        }

        @Override
        protected void flush0() {
            // While a close waits, Netty's flush0 would fail the flushed messages at once (the channel is no
            // longer active), those whose bytes are in flight included: the close fails them once they are done.
            if (!closeDeferred()) {
                super.flush0();
            }
        }

        @Override
        public void unregistered() {
            logger.trace("{} unregistered from its RIO handler", AbstractRioChannel.this);
        }

        /** Flushes what is flushed and not yet sent: after completions made room, or a retry. */
        final void flushMore() {
            flush0();
        }

        /** A send completed with an error: the write fails as Netty's transports fail it. */
        final void writeFailed(java.io.IOException cause) {
            handleWriteError(cause);
        }
    }
}
