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

import io.nettyrio.rio.RioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket of the provider: its fd, Linux family and type, its request queue, and the count of io_uring
 * requests on its fd whose CQE has not been reaped.
 *
 * <p>Closing does not close the fd at once: closing an fd does not cancel io_uring requests in flight on it, and
 * a number closed under a pending request could be reused by a new socket. So {@link #close} marks the socket
 * closing, the provider cancels its requests (IORING_OP_ASYNC_CANCEL), and the fd is closed by whichever thread
 * reaps the last CQE ({@link #opDone}).
 */
final class UringSocket {
    final IoUringProvider provider;
    final int fd;
    final int family;
    final int type;
    long handle;
    volatile UringRequestQueue requestQueue;
    /** Set once closesocket has closed the request queue's sides; from then on the fd closes when idle. */
    volatile boolean closing;
    /** Set first thing by closesocket, under this object's monitor: no accept or connect may start after it. */
    boolean closeStarted;
    /** Set by shutdown(SD_SEND or SD_BOTH): a later send fails with WSAESHUTDOWN, as on Windows, not EPIPE. */
    volatile boolean sendShutdown;
    /**
     * Set by shutdown(SD_RECEIVE or SD_BOTH): a UDP socket's waiting and later receives fail with WSAESHUTDOWN, as a
     * receive after that shutdown cannot be made on Windows ("recv function (winsock.h)"). Linux reports such a socket
     * readable for ever while a non-blocking read finds nothing (EAGAIN): a receive left waiting would re-arm its poll
     * in a loop.
     */
    volatile boolean receiveShutdown;
    private final AtomicInteger pendingOps = new AtomicInteger();
    private final AtomicBoolean fdClosed = new AtomicBoolean();
    private final List<UringPort> ports = new ArrayList<>(1);

    UringSocket(IoUringProvider provider, int fd, int family, int type) {
        this.provider = provider;
        this.fd = fd;
        this.family = family;
        this.type = type;
    }

    boolean isStream() {
        return type == SocketOptions.SOCK_STREAM;
    }

    /** Counts a request handed to a ring; called before its SQE is submitted. */
    void opStarted() {
        pendingOps.incrementAndGet();
    }

    /**
     * Submits what this socket's rings hold prepared, so that requests committed on a loop thread (which leaves
     * its SQEs for its next wait, see RequestSide#commit) reach the kernel before a synchronous call that acts on
     * the connection: a {@code shutdown(SHUT_WR)} must come after the sends committed before it, as Winsock
     * sends what was queued before the FIN.
     */
    void submitPending() {
        UringRequestQueue q = requestQueue;
        if (q == null) {
            return;
        }
        submit(q.send.ring);
        if (q.receive.ring != q.send.ring) {
            submit(q.receive.ring);
        }
    }

    private static void submit(Ring ring) {
        ring.lock.lock();
        try {
            ring.submit();
        } catch (RioException e) {
            // The SQEs stay in the SQ and go with the ring's next io_uring_enter.
        } finally {
            ring.lock.unlock();
        }
    }

    /** Counts a reaped CQE of one of this socket's requests, and closes the fd after the last one if closing. */
    void opDone() {
        if (pendingOps.decrementAndGet() == 0 && closing) {
            finishClose();
        }
    }

    /** The Winsock status of a failed send: EPIPE after our own shutdown is WSAESHUTDOWN. */
    int sendStatus(int errno) {
        return errno == Errno.EPIPE && sendShutdown ? io.nettyrio.rio.WsaError.WSAESHUTDOWN : Errno.toWsa(errno);
    }

    /** The bound port, read once packet information is on (the port of RIOReceiveEx's pLocalAddress). */
    volatile int localPort;
    private volatile boolean packetInfo;

    /**
     * Turns on IP_PKTINFO (IPv4 sockets) or IPV6_RECVPKTINFO (IPv6 sockets, which reports IPv4-mapped
     * destinations of IPv4 datagrams too), once, for RIOReceiveEx's pLocalAddress, and remembers the bound port.
     */
    void enablePacketInfo() throws io.nettyrio.rio.RioException {
        if (packetInfo) {
            return;
        }
        synchronized (this) {
            if (packetInfo) {
                return;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment capture = LibC.allocateCapture(arena);
                MemorySegment value = arena.allocate(LinuxSockaddr.MAX_SIZE, 8);
                MemorySegment length = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
                value.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1);
                boolean v4 = family == LinuxSockaddr.AF_INET;
                if (LibC.setsockopt(capture, fd, v4 ? SocketOptions.IPPROTO_IP : SocketOptions.IPPROTO_IPV6,
                        v4 ? SocketOptions.IP_PKTINFO : SocketOptions.IPV6_RECVPKTINFO, value, 4) < 0) {
                    throw Errno.exception("setsockopt(PKTINFO)", LibC.errno(capture));
                }
                length.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, LinuxSockaddr.MAX_SIZE);
                if (LibC.getsockname(capture, fd, value, length) < 0) {
                    throw Errno.exception("getsockname", LibC.errno(capture));
                }
                java.net.InetSocketAddress bound = LinuxSockaddr.read(value);
                localPort = bound == null ? 0 : bound.getPort();
            }
            packetInfo = true;
        }
    }

    int pendingOps() {
        return pendingOps.get();
    }

    /** Records that an accept or connect of this socket runs on {@code port}, to cancel it there on close. */
    void addPort(UringPort port) {
        synchronized (ports) {
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
    }

    List<UringPort> ports() {
        synchronized (ports) {
            return new ArrayList<>(ports);
        }
    }

    /** Closes the fd if nothing is in flight any more (at most once). */
    void finishClose() {
        if (pendingOps.get() == 0 && fdClosed.compareAndSet(false, true)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment capture = LibC.allocateCapture(arena);
                LibC.close(capture, fd);
            }
            UringRequestQueue rq = requestQueue;
            if (rq != null) {
                rq.release();
            }
        }
    }

    boolean isFdClosed() {
        return fdClosed.get();
    }
}
