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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one {@link RioIoHandler} (one event loop): requests in flight, completions per
 * {@code RIODequeueCompletion}, and the bytes its channels sent from the user's registered buffers without a copy
 * versus the bytes they copied into registered staging slots. Only the event loop writes them; any thread may
 * read them (each figure is current, not a snapshot of all at one instant). Get it from a registered channel's
 * {@code ioMetric()} (for example {@link RioSocketChannel#ioMetric()}) or from {@link RioEventLoop#metric()}.
 */
public final class RioIoHandlerMetric {
    private long requestsIssued;
    private long requestsCompleted;
    private long dequeues;
    private long completionsDequeued;
    private int maxCompletionsPerDequeue;
    private long bytesSentZeroCopy;
    private long bytesCopied;

    // Single writer (the event loop), readers on any thread: release stores and acquire loads (VarHandle#setRelease,
    // VarHandle#getAcquire). A volatile store, which these fields were, adds a full fence on every request and
    // completion of the event loop; a reader needs only to see each counter's latest value, not an order among them.
    private static final VarHandle REQUESTS_ISSUED;
    private static final VarHandle REQUESTS_COMPLETED;
    private static final VarHandle DEQUEUES;
    private static final VarHandle COMPLETIONS_DEQUEUED;
    private static final VarHandle MAX_COMPLETIONS_PER_DEQUEUE;
    private static final VarHandle BYTES_SENT_ZERO_COPY;
    private static final VarHandle BYTES_COPIED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<RioIoHandlerMetric> c = RioIoHandlerMetric.class;
            REQUESTS_ISSUED = lookup.findVarHandle(c, "requestsIssued", long.class);
            REQUESTS_COMPLETED = lookup.findVarHandle(c, "requestsCompleted", long.class);
            DEQUEUES = lookup.findVarHandle(c, "dequeues", long.class);
            COMPLETIONS_DEQUEUED = lookup.findVarHandle(c, "completionsDequeued", long.class);
            MAX_COMPLETIONS_PER_DEQUEUE = lookup.findVarHandle(c, "maxCompletionsPerDequeue", int.class);
            BYTES_SENT_ZERO_COPY = lookup.findVarHandle(c, "bytesSentZeroCopy", long.class);
            BYTES_COPIED = lookup.findVarHandle(c, "bytesCopied", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    RioIoHandlerMetric() {
    }

    void requestIssued() {
        REQUESTS_ISSUED.setRelease(this, requestsIssued + 1);
    }

    void requestCompleted() {
        REQUESTS_COMPLETED.setRelease(this, requestsCompleted + 1);
    }

    void dequeued(int count) {
        DEQUEUES.setRelease(this, dequeues + 1);
        COMPLETIONS_DEQUEUED.setRelease(this, completionsDequeued + count);
        if (count > maxCompletionsPerDequeue) {
            MAX_COMPLETIONS_PER_DEQUEUE.setRelease(this, count);
        }
    }

    void sentZeroCopy(long bytes) {
        BYTES_SENT_ZERO_COPY.setRelease(this, bytesSentZeroCopy + bytes);
    }

    void copied(long bytes) {
        BYTES_COPIED.setRelease(this, bytesCopied + bytes);
    }

    /** Returns the requests (sends, receives, accepts, connects) issued and not yet completed. */
    public long requestsInFlight() {
        return requestsIssued() - (long) REQUESTS_COMPLETED.getAcquire(this);
    }

    /** Returns how many requests were issued in all. */
    public long requestsIssued() {
        return (long) REQUESTS_ISSUED.getAcquire(this);
    }

    /** Returns how many {@code RIODequeueCompletion} calls returned at least one completion. */
    public long dequeues() {
        return (long) DEQUEUES.getAcquire(this);
    }

    /** Returns how many completions those calls returned in all. */
    public long completionsDequeued() {
        return (long) COMPLETIONS_DEQUEUED.getAcquire(this);
    }

    /** Returns the mean completions per {@code RIODequeueCompletion} call that returned any, or 0. */
    public double completionsPerDequeue() {
        long d = dequeues();
        return d == 0 ? 0 : (double) completionsDequeued() / d;
    }

    /** Returns the most completions one {@code RIODequeueCompletion} call returned. */
    public int maxCompletionsPerDequeue() {
        return (int) MAX_COMPLETIONS_PER_DEQUEUE.getAcquire(this);
    }

    /** Returns the bytes sent straight from the user's buffers in registered memory, without a copy. */
    public long bytesSentZeroCopy() {
        return (long) BYTES_SENT_ZERO_COPY.getAcquire(this);
    }

    /** Returns the bytes copied into registered staging slots before being sent. */
    public long bytesCopied() {
        return (long) BYTES_COPIED.getAcquire(this);
    }

    @Override
    public String toString() {
        return "RioIoHandlerMetric(requestsInFlight=" + requestsInFlight() + ", dequeues=" + dequeues()
                + ", completionsPerDequeue=" + String.format("%.2f", completionsPerDequeue())
                + ", maxCompletionsPerDequeue=" + maxCompletionsPerDequeue() + ", bytesSentZeroCopy="
                + bytesSentZeroCopy() + ", bytesCopied=" + bytesCopied() + ')';
    }
}
