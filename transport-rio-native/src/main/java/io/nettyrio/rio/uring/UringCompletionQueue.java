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
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A RIO completion queue ({@code RIO_CQ}): a user-space queue of {@code RIORESULT}s with RIO's capacity,
 * ordering and notification rules, fed from the CQEs of one io_uring ring: its port's ring when it was created
 * with an IOCP notification, else a private ring that {@code RIODequeueCompletion} polls.
 *
 * <p>All state is guarded by {@code ring.lock}, which also guards the request-queue sides completing here.
 */
final class UringCompletionQueue {
    private static final long RESULT_SIZE = RioLayouts.RIORESULT.byteSize();
    private static final long OFF_STATUS = RioLayouts.RIORESULT.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("Status"));
    private static final long OFF_BYTES = RioLayouts.RIORESULT.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("BytesTransferred"));
    private static final long OFF_SOCKET_CONTEXT = RioLayouts.RIORESULT.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("SocketContext"));
    private static final long OFF_REQUEST_CONTEXT = RioLayouts.RIORESULT.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("RequestContext"));

    final IoUringProvider provider;
    final Ring ring;
    /** The port notified, or null for a polled queue (which then owns {@link #ring}). */
    final UringPort port;
    final long notifyKey;
    final long notifyContext;
    long handle;

    /** {@code QueueSize}; provider lock for changes. */
    int queueSize;
    /** Sum of the outstanding capacities of the request-queue sides bound here; provider lock. */
    int boundCapacity;
    volatile boolean valid = true;

    // The queued results, a circular buffer in completion order.
    private int[] status;
    private int[] bytes;
    private long[] socketContext;
    private long[] requestContext;
    private RequestSide[] side;
    private boolean[] notifying;
    private int head;
    private int count;
    private int notifyingCount;
    private boolean armed;

    UringCompletionQueue(IoUringProvider provider, Ring ring, UringPort port, long notifyKey, long notifyContext,
                         int queueSize) {
        this.provider = provider;
        this.ring = ring;
        this.port = port;
        this.notifyKey = notifyKey;
        this.notifyContext = notifyContext;
        this.queueSize = queueSize;
        // A power of two (and so every doubling of it): an index wraps with a mask, not a division.
        int initial = Integer.highestOneBit(Math.max(1, Math.min(queueSize, 1024) - 1)) << 1;
        status = new int[initial];
        bytes = new int[initial];
        socketContext = new long[initial];
        requestContext = new long[initial];
        side = new RequestSide[initial];
        notifying = new boolean[initial];
    }

    /** Returns how many results wait to be dequeued. Lock held. */
    int count() {
        return count;
    }

    /**
     * Queues a result; fires the armed notification if the request was not flagged DONT_NOTIFY. A closed queue
     * drops it, as RIOCloseCompletionQueue documents. Lock held.
     */
    void add(int resultStatus, int bytesTransferred, long sockContext, long reqContext, RequestSide from,
             boolean dontNotify) {
        if (!valid) {
            return;
        }
        if (count == status.length) {
            grow(status.length * 2);
        }
        int i = (head + count) & (status.length - 1);
        status[i] = resultStatus;
        bytes[i] = bytesTransferred;
        socketContext[i] = sockContext;
        requestContext[i] = reqContext;
        side[i] = from;
        notifying[i] = !dontNotify;
        count++;
        if (!dontNotify) {
            notifyingCount++;
            if (armed) {
                armed = false;
                port.addReady(notifyKey, notifyContext, 0, 0);
            }
        }
    }

    private void grow(int capacity) {
        int[] s = new int[capacity];
        int[] b = new int[capacity];
        long[] sc = new long[capacity];
        long[] rc = new long[capacity];
        RequestSide[] sd = new RequestSide[capacity];
        boolean[] n = new boolean[capacity];
        for (int k = 0; k < count; k++) {
            int i = (head + k) & (status.length - 1);
            s[k] = status[i];
            b[k] = bytes[i];
            sc[k] = socketContext[i];
            rc[k] = requestContext[i];
            sd[k] = side[i];
            n[k] = notifying[i];
        }
        status = s;
        bytes = b;
        socketContext = sc;
        requestContext = rc;
        side = sd;
        notifying = n;
        head = 0;
    }

    /**
     * Reaps the ring and submits what is prepared: continued sends, next receives, and what the caller
     * committed during its batch ({@link RequestSide#commit}). Lock held.
     */
    private void poll(boolean runTaskWork) throws RioException {
        if (!ring.isClosed()) {
            ring.reap(runTaskWork);
            ring.submit();
        }
    }

    /**
     * RIODequeueCompletion: moves up to {@code max} results, oldest first, into {@code array}; only now does each
     * request give back its capacity.
     */
    int dequeue(MemorySegment array, int max) throws RioException {
        ring.lock.lock();
        try {
            if (!valid) {
                throw new RioException("RIODequeueCompletion", WsaError.WSAEINVAL, "the completion queue is closed");
            }
            // The end of the caller's previous batch, if any: what it committed meanwhile goes out now.
            ring.endBatch();
            // Results already here are returned without an enter only to run task work: the owner's next enter
            // (RIONotify's submission, or its wait) runs that work and its results come with the next dequeue.
            poll(count == 0);
            int n = Math.min(max, count);
            for (int k = 0; k < n; k++) {
                int i = head;
                long base = k * RESULT_SIZE;
                array.set(ValueLayout.JAVA_INT, base + OFF_STATUS, status[i]);
                array.set(ValueLayout.JAVA_INT, base + OFF_BYTES, bytes[i]);
                array.set(ValueLayout.JAVA_LONG, base + OFF_SOCKET_CONTEXT, socketContext[i]);
                array.set(ValueLayout.JAVA_LONG, base + OFF_REQUEST_CONTEXT, requestContext[i]);
                side[i].releaseCharge();
                side[i] = null;
                if (notifying[i]) {
                    notifyingCount--;
                }
                head = (head + 1) & (status.length - 1);
                count--;
            }
            if (n > 0) {
                // The caller now hands these results to their owners, which commit new requests in reply: they
                // go to the kernel together, at the caller's next RIONotify, dequeue or wait (RequestSide#commit).
                ring.beginBatch();
            }
            return n;
        } finally {
            ring.lock.unlock();
        }
    }

    /** RIONotify. */
    int notifyArm() {
        ring.lock.lock();
        try {
            if (!valid || port == null) {
                return WsaError.WSAEINVAL;
            }
            try {
                // The end of the caller's batch: what it committed since its dequeue goes out now, in one
                // io_uring_enter, before the caller can block anywhere else.
                ring.endBatch();
                // No enter only to run task work: the owner's wait runs it, and results it brings notify then.
                poll(false);
            } catch (RioException e) {
                return e.wsaError();
            }
            if (armed) {
                return WsaError.WSAEALREADY;
            }
            if (notifyingCount > 0) {
                // A completion that may notify is already queued: the notification fires at once.
                port.addReady(notifyKey, notifyContext, 0, 0);
            } else {
                armed = true;
            }
            return 0;
        } finally {
            ring.lock.unlock();
        }
    }

    /** RIOResizeCompletionQueue (provider lock held). */
    void resize(int newSize) throws RioException {
        ring.lock.lock();
        try {
            if (newSize < boundCapacity || newSize < count) {
                throw new RioException("RIOResizeCompletionQueue", WsaError.WSAETOOMANYREFS,
                        "queue size " + newSize + " is below what is in use (" + Math.max(boundCapacity, count)
                                + ")");
            }
            queueSize = newSize;
        } finally {
            ring.lock.unlock();
        }
    }

    /** Marks the queue closed; a private ring is drained of its requests and closed. Provider lock held. */
    void close() {
        ring.lock.lock();
        try {
            valid = false;
            armed = false;
            Arrays.fill(side, null);
            count = 0;
        } finally {
            ring.lock.unlock();
        }
        if (port == null) {
            provider.drainAndClose(ring);
        }
    }
}
