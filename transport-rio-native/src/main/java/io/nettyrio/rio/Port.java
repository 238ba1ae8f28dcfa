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
 * A completion port: what a RIO completion queue notifies, where accepts and connects complete, and what another
 * thread can wake. On Windows it is an I/O completion port; on Linux, the provider's io_uring instance.
 *
 * <p>{@link #getQueuedCompletionStatus} and {@link #close} belong to one thread; {@link #post} may be called from
 * any thread at any time, also concurrently with a wait.
 */
public interface Port extends AutoCloseable {

    /**
     * The handle to put in {@code RIO_NOTIFICATION_COMPLETION.Iocp.IocpHandle} so that a completion queue
     * notifies this port.
     */
    long handle();

    /**
     * {@code GetQueuedCompletionStatusEx}: waits until at least one entry is queued, or the timeout passes, then
     * moves up to {@code out.capacity()} entries into {@code out} (cleared first).
     *
     * @param timeoutNanos 0 to poll, negative to wait without limit
     * @return the number of entries, 0 on timeout
     * @throws RioException if the port is closed ({@link WsaError#ERROR_ABANDONED_WAIT_0}) or the wait fails
     */
    int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException;

    /**
     * {@code PostQueuedCompletionStatus}: queues an entry with status 0 and result 0. Safe from any thread; it is
     * how another thread wakes a waiting one.
     *
     * @throws RioException if the port is closed
     */
    void post(long completionKey, long context) throws RioException;

    /**
     * Closes the port and frees what it holds. Later calls fail with {@link WsaError#ERROR_ABANDONED_WAIT_0}.
     * Close the completion queues that notify it, and the sockets whose accepts or connects complete on it, first.
     */
    @Override
    void close();
}
