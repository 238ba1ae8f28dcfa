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

/**
 * A reusable batch of completion-port entries, filled by {@link Port#getQueuedCompletionStatus} without
 * allocating. Each entry is what an {@code OVERLAPPED_ENTRY} and its {@code OVERLAPPED} tell on Windows: the
 * completion key, the context of the operation ({@code lpOverlapped} on Windows), its status as a
 * {@link WsaError} code, and its result (bytes transferred; for an accept, the accepted {@code SOCKET}).
 *
 * <p>Not thread-safe: one batch belongs to the thread that waits on the port.
 */
public final class PortCompletions {
    private final long[] completionKey;
    private final long[] context;
    private final int[] status;
    private final long[] result;
    private int size;

    /** Creates a batch of at most {@code capacity} entries. */
    public PortCompletions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        completionKey = new long[capacity];
        context = new long[capacity];
        status = new int[capacity];
        result = new long[capacity];
    }

    /** Returns how many entries the batch can hold. */
    public int capacity() {
        return completionKey.length;
    }

    /** Returns how many entries the last wait filled. */
    public int size() {
        return size;
    }

    /** Returns the completion key of entry {@code i}. */
    public long completionKey(int i) {
        return completionKey[checkIndex(i)];
    }

    /** Returns the context of entry {@code i}: the one given to the operation, or to {@link Port#post}. */
    public long context(int i) {
        return context[checkIndex(i)];
    }

    /** Returns the status of entry {@code i}: 0 for success, else a {@link WsaError} code. */
    public int status(int i) {
        return status[checkIndex(i)];
    }

    /** Returns the result of entry {@code i}: bytes transferred, or the accepted socket of an accept. */
    public long result(int i) {
        return result[checkIndex(i)];
    }

    /** Empties the batch. For providers. */
    public void clear() {
        size = 0;
    }

    /** Returns whether the batch is full. For providers. */
    public boolean isFull() {
        return size == completionKey.length;
    }

    /**
     * Appends an entry. For providers.
     *
     * @throws IllegalStateException if the batch is full
     */
    public void add(long completionKey, long context, int status, long result) {
        if (size == this.completionKey.length) {
            throw new IllegalStateException("PortCompletions full: " + size);
        }
        this.completionKey[size] = completionKey;
        this.context[size] = context;
        this.status[size] = status;
        this.result[size] = result;
        size++;
    }

    private int checkIndex(int i) {
        return java.util.Objects.checkIndex(i, size);
    }
}
