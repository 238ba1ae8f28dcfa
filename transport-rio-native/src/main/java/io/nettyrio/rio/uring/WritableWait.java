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
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Where the TCP sends of one ring wait for room in their socket's send buffer: an epoll instance that the ring
 * watches with one {@code IORING_OP_POLL_ADD}.
 *
 * <p>Why not io_uring's own poll: it always listens for {@code EPOLLRDHUP} ({@code io_init_poll_iocb} in the
 * kernel's {@code io_uring/poll.c}), so once the peer has half-closed the connection, a send to a full buffer
 * finds its poll "ready" at once, fails again, and is handed to an io-wq worker, where it blocks for as long as
 * the peer does not read: one kernel thread per stalled connection. The provider's TCP sends therefore carry
 * {@code MSG_DONTWAIT} and complete with {@code -EAGAIN} when there is no room; the send side then waits here.
 * An epoll registration reports only the events asked for ({@code EPOLLOUT}, see epoll_ctl(2)), so the send
 * waits in no thread at all until the peer reads, and is then issued again from where it stopped. Each wait
 * costs one {@code epoll_ctl}; the sockets that become writable together are collected by one
 * {@code epoll_wait} without blocking.
 *
 * <p>Guarded by the ring's lock.
 */
final class WritableWait {
    /** {@code struct epoll_event}: packed on x86_64 ({@code __EPOLL_PACKED} in sys/epoll.h), 16 bytes elsewhere. */
    static final StructLayout EPOLL_EVENT = isX86()
            ? MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("events"),
                    ValueLayout.JAVA_LONG_UNALIGNED.withName("data")).withName("epoll_event")
            : MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                    ValueLayout.JAVA_LONG.withName("data")).withName("epoll_event");
    private static final long EVENT_events = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("events"));
    private static final long EVENT_data = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    private static final int MAX_EVENTS = 64;

    private final Ring ring;
    private final IoUringProvider provider;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment capture = LibC.allocateCapture(arena);
    private final MemorySegment event = arena.allocate(EPOLL_EVENT);
    private final MemorySegment events = arena.allocate(EPOLL_EVENT, MAX_EVENTS);
    private int epfd = -1;
    private int waiting;
    private boolean pollArmed;

    WritableWait(Ring ring, IoUringProvider provider) {
        this.ring = ring;
        this.provider = provider;
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /**
     * Makes {@code side}'s socket wait for {@code EPOLLOUT}; its {@link RequestSide#onWritable()} runs when it
     * comes. Lock held.
     *
     * @return false if the socket could not be registered (then the caller issues the send again at once)
     */
    boolean await(RequestSide side) {
        if (epfd < 0) {
            epfd = LibC.epollCreate1(capture, LibC.EPOLL_CLOEXEC);
            if (epfd < 0) {
                return false;
            }
        }
        event.set(ValueLayout.JAVA_INT, EVENT_events, LibC.EPOLLOUT | LibC.EPOLLONESHOT);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, EVENT_data, side.rq.index);
        if (LibC.epollCtl(capture, epfd, LibC.EPOLL_CTL_ADD, side.socketFd(), event) < 0) {
            return false;
        }
        waiting++;
        if (!pollArmed) {
            try {
                ring.prepare(IoUringAbi.IORING_OP_POLL_ADD, epfd, 0L, 0, 0L, LibC.POLLIN,
                        UserData.of(UserData.WRITABLE, 0, 0));
                pollArmed = true;
            } catch (RioException e) {
                forget(side);
                return false;
            }
        }
        return true;
    }

    /** Removes {@code side}'s socket from the epoll set: it became writable, or it is being closed. Lock held. */
    void forget(RequestSide side) {
        LibC.epollCtl(capture, epfd, LibC.EPOLL_CTL_DEL, side.socketFd(), event);
        waiting--;
    }

    /** The CQE of the poll on the epoll fd: hands every writable socket back to its send side. Lock held. */
    void onPollCqe() {
        pollArmed = false;
        int n = LibC.epollWait(capture, epfd, events, MAX_EVENTS, 0);
        for (int i = 0; i < n; i++) {
            int index = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, EPOLL_EVENT.byteSize() * i + EVENT_data);
            UringRequestQueue rq = provider.requestQueues.atIndex(index);
            if (rq != null) {
                rq.send.onWritable();
            }
        }
        if (waiting > 0 && !pollArmed && !ring.isClosed()) {
            try {
                ring.prepare(IoUringAbi.IORING_OP_POLL_ADD, epfd, 0L, 0, 0L, LibC.POLLIN,
                        UserData.of(UserData.WRITABLE, 0, 0));
                pollArmed = true;
            } catch (RioException e) {
                // the ring is closing: its sockets are closed with it
            }
        }
    }

    /** Closes the epoll fd with the ring. Lock held. */
    void close() {
        if (epfd >= 0) {
            LibC.close(capture, epfd);
            epfd = -1;
        }
    }
}
