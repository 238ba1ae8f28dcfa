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
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A completion port over one io_uring ring. RIO completion queues created with this port's handle in their
 * {@code RIO_NOTIFICATION_COMPLETION} run their requests on this ring; accepts and connects complete here.
 *
 * <p>{@link #post} may be called from any thread: it queues the entry on a lock-free queue and writes the
 * port's eventfd, on which an IORING_OP_READ is always pending, so a thread blocked in
 * {@link #getQueuedCompletionStatus} (io_uring_enter with IORING_ENTER_GETEVENTS and an EXT_ARG timeout) wakes
 * up. A write is made only when none is unread yet ({@link #signalled}), so a burst of posts costs one.
 */
final class UringPort implements Port, Ring.CqeHandler {
    private record Posted(long key, long context) {
    }

    /** An accept or connect in flight on this port. */
    static final class PortOp {
        final boolean accept;
        final UringSocket socket;
        final long key;
        final long context;
        final MemorySegment sockaddr; // the connect address; kept alive until the CQE

        PortOp(boolean accept, UringSocket socket, long key, long context, MemorySegment sockaddr) {
            this.accept = accept;
            this.socket = socket;
            this.key = key;
            this.context = context;
            this.sockaddr = sockaddr;
        }
    }

    private final IoUringProvider provider;
    final Ring ring;
    long handle;
    private final Arena arena = Arena.ofShared();
    private final int eventFd;
    private final MemorySegment eventBuffer;   // the 8 bytes the eventfd READ fills; ring lock
    private final MemorySegment postBuffer;    // the 8 bytes post() writes; postLock
    private final MemorySegment postCapture;   // postLock
    private final Object postLock = new Object();
    private final ConcurrentLinkedQueue<Posted> posted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Runnable wakeOwner = this::wake;
    private volatile boolean waiting;
    private volatile boolean closed;
    private boolean eventReadPending;

    // entries ready for the waiter (accept/connect results, RIO notifications); ring lock
    private long[] readyKey = new long[64];
    private long[] readyContext = new long[64];
    private int[] readyStatus = new int[64];
    private long[] readyResult = new long[64];
    private int readyHead;
    private int readyCount;

    private final ArrayList<PortOp> ops = new ArrayList<>();
    private final ArrayList<Integer> freeOps = new ArrayList<>();

    /**
     * Opens a port; an {@code owned} one belongs to the first thread that waits on it
     * ({@link io.nettyrio.rio.RioProvider#openOwnedPort}), and its ring runs deferred task work.
     */
    UringPort(IoUringProvider provider, boolean owned) throws RioException {
        this.provider = provider;
        this.ring = Ring.open(Ring.DEFAULT_ENTRIES, provider.statistics, this, owned);
        MemorySegment capture = LibC.allocateCapture(arena);
        int fd = LibC.eventfd(capture, 0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) {
            int errno = LibC.errno(capture);
            ring.lock.lock();
            try {
                ring.close();
            } finally {
                ring.lock.unlock();
            }
            throw Errno.exception("eventfd", errno);
        }
        eventFd = fd;
        // eventfd(2) reads and writes one uint64_t counter.
        eventBuffer = arena.allocate(ValueLayout.JAVA_LONG);
        postBuffer = arena.allocate(ValueLayout.JAVA_LONG);
        postBuffer.set(ValueLayout.JAVA_LONG, 0, 1L);
        postCapture = capture;
        ring.lock.lock();
        try {
            armEventRead();
            ring.submit();
        } finally {
            ring.lock.unlock();
        }
    }

    private void armEventRead() throws RioException {
        ring.prepare(IoUringAbi.IORING_OP_READ, eventFd, eventBuffer.address(), 8, 0L, 0,
                UserData.of(UserData.EVENTFD, 0, 0));
        eventReadPending = true;
    }

    @Override
    public long handle() {
        return handle;
    }

    @Override
    public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
        if (out == null) {
            throw new IllegalArgumentException("out is null");
        }
        out.clear();
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0L;
        for (;;) {
            long remaining = -1;
            int claimed;
            ring.lock.lock();
            try {
                checkOpen();
                // An owned port's first wait makes this thread the ring's owner; only it waits afterwards.
                ring.own(wakeOwner);
                ring.endBatch();
                // With entries to return, task work waits for the next enter instead of costing one of its own.
                ring.reap(readyCount == 0 && posted.isEmpty());
                moveReady(out);
                drainPosted(out);
                if (timeoutNanos > 0) {
                    remaining = deadline - System.nanoTime();
                }
                if (out.size() > 0 || timeoutNanos == 0 || (timeoutNanos > 0 && remaining <= 0)) {
                    // What reaping produced (continued sends, next receives, the eventfd READ) goes out now.
                    ring.submit();
                    return out.size();
                }
                // Submitted by the wait's own io_uring_enter: one system call, not two.
                claimed = ring.claimPending();
                // Set under the lock, so that a thread adding a ready entry after we looked wakes us.
                waiting = true;
            } finally {
                ring.lock.unlock();
            }
            boolean woke;
            try {
                woke = ring.waitForCompletions(remaining, claimed);
            } finally {
                waiting = false;
            }
            if (!woke) {
                // The timeout passed; collect what may have arrived meanwhile once more.
                timeoutNanos = 0;
            }
        }
    }

    private void checkOpen() throws RioException {
        if (closed) {
            throw new RioException("GetQueuedCompletionStatusEx", WsaError.ERROR_ABANDONED_WAIT_0,
                    "the port is closed");
        }
    }

    private void moveReady(PortCompletions out) {
        while (readyCount > 0 && !out.isFull()) {
            int i = readyHead;
            out.add(readyKey[i], readyContext[i], readyStatus[i], readyResult[i]);
            readyHead = (readyHead + 1) % readyKey.length;
            readyCount--;
        }
    }

    private void drainPosted(PortCompletions out) {
        while (!out.isFull()) {
            Posted p = posted.poll();
            if (p == null) {
                return;
            }
            out.add(p.key, p.context, 0, 0);
        }
    }

    /** Queues an entry for the waiter and wakes it if it sleeps. Ring lock held. */
    void addReady(long key, long context, int status, long result) {
        if (readyCount == readyKey.length) {
            int n = readyKey.length * 2;
            long[] k = new long[n];
            long[] c = new long[n];
            int[] s = new int[n];
            long[] r = new long[n];
            for (int j = 0; j < readyCount; j++) {
                int i = (readyHead + j) % readyKey.length;
                k[j] = readyKey[i];
                c[j] = readyContext[i];
                s[j] = readyStatus[i];
                r[j] = readyResult[i];
            }
            readyKey = k;
            readyContext = c;
            readyStatus = s;
            readyResult = r;
            readyHead = 0;
        }
        int i = (readyHead + readyCount) % readyKey.length;
        readyKey[i] = key;
        readyContext[i] = context;
        readyStatus[i] = status;
        readyResult[i] = result;
        readyCount++;
        if (waiting) {
            wake();
        }
    }

    @Override
    public void post(long completionKey, long context) throws RioException {
        if (closed) {
            throw new RioException("PostQueuedCompletionStatus", WsaError.WSAEINVAL, "the port is closed");
        }
        posted.offer(new Posted(completionKey, context));
        wake();
    }

    private void wake() {
        if (!signalled.getAndSet(true)) {
            synchronized (postLock) {
                // Under postLock so that close() cannot close the eventfd (and its number be reused) meanwhile.
                if (!closed) {
                    LibC.write(postCapture, eventFd, postBuffer, 8);
                }
            }
        }
    }

    @Override
    public void onCqe(long userData, int res, int flags) {
        switch (UserData.type(userData)) {
            case UserData.EVENTFD -> {
                eventReadPending = false;
                // Reset before the posted queue is drained, so that a later post writes again.
                signalled.set(false);
                if (!closed) {
                    try {
                        armEventRead();
                    } catch (RioException e) {
                        // the ring is closing
                    }
                    if (waiting && !posted.isEmpty()) {
                        // Another thread reaped the wake-up meant for the sleeping owner (a dequeue or close on
                        // that thread): wake the owner again, through the READ just re-armed.
                        wake();
                    }
                }
            }
            case UserData.PORT_OP -> onPortOp(UserData.slot(userData), res);
            default -> provider.dispatch(userData, res, flags);
        }
    }

    /** Starts an accept or a connect of {@code socket} (monitor of the socket held). */
    void start(PortOp op, long addrLength) throws RioException {
        ring.lock.lock();
        try {
            checkOpen();
            int id;
            if (freeOps.isEmpty()) {
                id = ops.size();
                ops.add(op);
            } else {
                id = freeOps.removeLast();
                ops.set(id, op);
            }
            long userData = UserData.of(UserData.PORT_OP, 0, id);
            op.socket.opStarted();
            try {
                if (op.accept) {
                    // Non-blocking, as all the provider's sockets are (UringSockets says why).
                    ring.prepare(IoUringAbi.IORING_OP_ACCEPT, op.socket.fd, 0L, 0, 0L,
                            SocketOptions.SOCK_CLOEXEC | SocketOptions.SOCK_NONBLOCK, userData);
                } else {
                    ring.prepare(IoUringAbi.IORING_OP_CONNECT, op.socket.fd, op.sockaddr.address(), 0, addrLength,
                            0, userData);
                }
                ring.submit();
            } catch (RioException e) {
                ops.set(id, null);
                freeOps.add(id);
                op.socket.opDone();
                throw e;
            }
        } finally {
            ring.lock.unlock();
        }
    }

    private void onPortOp(int id, int res) {
        PortOp op = ops.get(id);
        ops.set(id, null);
        freeOps.add(id);
        int status = res < 0 ? Errno.toWsa(-res) : 0;
        long result = 0;
        if (op.accept && res >= 0) {
            if (closed) {
                LibC.close(postCapture, res);
                status = WsaError.WSA_OPERATION_ABORTED;
            } else {
                result = provider.adoptAccepted(res, op.socket.family);
            }
        }
        addReady(op.key, op.context, status, result);
        op.socket.opDone();
    }

    /** Cancels every request of {@code socket} on this ring (closesocket). */
    void cancel(UringSocket socket) {
        ring.lock.lock();
        try {
            if (ring.isClosed()) {
                return;
            }
            ring.prepareCancelAll(socket.fd);
            ring.submitAndReap();
        } catch (RioException e) {
            // the ring is unusable; its teardown cancels what it holds
        } finally {
            ring.lock.unlock();
        }
    }

    @Override
    public void close() {
        ring.lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            ring.lock.unlock();
        }
        provider.ports.remove(handle);
        provider.drainAndClose(ring);
        synchronized (postLock) {
            LibC.close(postCapture, eventFd);
        }
        // The eventfd buffer and the connect sockaddrs may be freed only if the kernel is done with the ring.
        ring.lock.lock();
        try {
            if (ring.inFlight() == 0) {
                arena.close();
            }
        } finally {
            ring.lock.unlock();
        }
    }
}
