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

/**
 * Counters of one {@link RioIoHandler} (one event loop): requests in flight, completions per
 * {@code RIODequeueCompletion}, and the bytes its channels sent from the user's registered buffers without a copy
 * versus the bytes they copied into registered staging slots. Only the event loop writes them; any thread may
 * read them (each figure is current, not a snapshot of all at one instant). Get it from a registered channel's
 * {@code ioMetric()} (for example {@link RioSocketChannel#ioMetric()}) or from {@link RioEventLoop#metric()}.
 */
public final class RioIoHandlerMetric {
    private volatile long requestsIssued;
    private volatile long requestsCompleted;
    private volatile long dequeues;
    private volatile long completionsDequeued;
    private volatile int maxCompletionsPerDequeue;
    private volatile long bytesSentZeroCopy;
    private volatile long bytesCopied;

    RioIoHandlerMetric() {
    }

    // Single writer (the event loop): plain read-modify-write of volatile fields is enough.
    void requestIssued() {
        requestsIssued = requestsIssued + 1;
    }

    void requestCompleted() {
        requestsCompleted = requestsCompleted + 1;
    }

    void dequeued(int count) {
        dequeues = dequeues + 1;
        completionsDequeued = completionsDequeued + count;
        if (count > maxCompletionsPerDequeue) {
            maxCompletionsPerDequeue = count;
        }
    }

    void sentZeroCopy(long bytes) {
        bytesSentZeroCopy = bytesSentZeroCopy + bytes;
    }

    void copied(long bytes) {
        bytesCopied = bytesCopied + bytes;
    }

    /** Returns the requests (sends, receives, accepts, connects) issued and not yet completed. */
    public long requestsInFlight() {
        return requestsIssued - requestsCompleted;
    }

    /** Returns how many requests were issued in all. */
    public long requestsIssued() {
        return requestsIssued;
    }

    /** Returns how many {@code RIODequeueCompletion} calls returned at least one completion. */
    public long dequeues() {
        return dequeues;
    }

    /** Returns how many completions those calls returned in all. */
    public long completionsDequeued() {
        return completionsDequeued;
    }

    /** Returns the mean completions per {@code RIODequeueCompletion} call that returned any, or 0. */
    public double completionsPerDequeue() {
        long d = dequeues;
        return d == 0 ? 0 : (double) completionsDequeued / d;
    }

    /** Returns the most completions one {@code RIODequeueCompletion} call returned. */
    public int maxCompletionsPerDequeue() {
        return maxCompletionsPerDequeue;
    }

    /** Returns the bytes sent straight from the user's buffers in registered memory, without a copy. */
    public long bytesSentZeroCopy() {
        return bytesSentZeroCopy;
    }

    /** Returns the bytes copied into registered staging slots before being sent. */
    public long bytesCopied() {
        return bytesCopied;
    }

    @Override
    public String toString() {
        return "RioIoHandlerMetric(requestsInFlight=" + requestsInFlight() + ", dequeues=" + dequeues
                + ", completionsPerDequeue=" + String.format("%.2f", completionsPerDequeue())
                + ", maxCompletionsPerDequeue=" + maxCompletionsPerDequeue + ", bytesSentZeroCopy="
                + bytesSentZeroCopy + ", bytesCopied=" + bytesCopied + ')';
    }
}
