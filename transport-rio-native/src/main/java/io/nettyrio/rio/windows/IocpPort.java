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
package io.nettyrio.rio.windows;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.windows.Overlapped.OVERLAPPED_ENTRY;
import static io.nettyrio.rio.windows.Overlapped.OVERLAPPED_ENTRY_dwNumberOfBytesTransferred;
import static io.nettyrio.rio.windows.Overlapped.OVERLAPPED_ENTRY_lpCompletionKey;
import static io.nettyrio.rio.windows.Overlapped.OVERLAPPED_ENTRY_lpOverlapped;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A {@link Port} that is an I/O completion port ("I/O Completion Ports" on Microsoft Learn): RIO completion queues
 * notify it through their {@code RIO_NOTIFICATION_COMPLETION}, the provider's AcceptEx and ConnectEx complete on it,
 * and {@link #post} wakes it.
 *
 * <p>Sockets are associated with the port under {@link #OPERATION_KEY}, whatever key the caller gave the accept
 * or connect: a handle keeps the key of its one association, while the model lets each operation name its own.
 * An entry with that key is looked up by its {@code OVERLAPPED} address among the operations in flight, its status
 * read with {@code WSAGetOverlappedResult} (which speaks Winsock codes, WSAECONNREFUSED and so on, where
 * {@code OVERLAPPED.Internal} holds an NTSTATUS) and reported with the caller's key and context.
 */
final class IocpPort implements Port {
    /** The key of the provider's own associations; {@link #post} refuses it. ASCII "RIOPORT". */
    static final long OPERATION_KEY = 0x52494F504F5254L;

    // Operations whose port was closed before they completed: the kernel may still write their OVERLAPPED when
    // their socket closes, so their memory is kept for the life of the process (rare, and bounded by misuse).
    private static final List<PendingOperation> ABANDONED = new ArrayList<>();

    private final WindowsNative api;
    private final WindowsSockets sockets;
    private final long handle;
    private final Map<Long, PendingOperation> pending = new ConcurrentHashMap<>();
    private final MemorySegment removed = Arena.ofAuto().allocate(JAVA_INT);
    private MemorySegment entries = MemorySegment.NULL;
    private int entryCapacity;
    private volatile boolean closed;

    private IocpPort(WindowsNative api, WindowsSockets sockets, long handle) {
        this.api = api;
        this.sockets = sockets;
        this.handle = handle;
    }

    /** {@code CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1)}: a new port for one thread. */
    static IocpPort open(WindowsNative api, WindowsSockets sockets) throws RioException {
        long handle = api.CreateIoCompletionPort(WindowsConstants.INVALID_HANDLE_VALUE, 0L, 0L, 1);
        if (handle == 0L) {
            throw new RioException("CreateIoCompletionPort", api.getLastError());
        }
        return new IocpPort(api, sockets, handle);
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
        if (closed) {
            throw new RioException("GetQueuedCompletionStatusEx", WsaError.ERROR_ABANDONED_WAIT_0, "port closed");
        }
        out.clear();
        int count = out.capacity();
        if (count > entryCapacity) {
            entries = Arena.ofAuto().allocate(OVERLAPPED_ENTRY, count);
            entryCapacity = count;
        }
        if (api.GetQueuedCompletionStatusEx(handle, entries, count, removed, milliseconds(timeoutNanos), 0) == 0) {
            int error = api.getLastError();
            // FALSE means nothing was dequeued; on timeout GetLastError is WAIT_TIMEOUT.
            if (error == WsaError.WAIT_TIMEOUT) {
                return 0;
            }
            throw new RioException("GetQueuedCompletionStatusEx", error);
        }
        int n = Math.min(removed.get(JAVA_INT, 0), count);
        for (int i = 0; i < n; i++) {
            long base = i * OVERLAPPED_ENTRY.byteSize();
            long key = (long) OVERLAPPED_ENTRY_lpCompletionKey.get(entries, base);
            long overlapped = (long) OVERLAPPED_ENTRY_lpOverlapped.get(entries, base);
            int bytes = (int) OVERLAPPED_ENTRY_dwNumberOfBytesTransferred.get(entries, base);
            PendingOperation operation = key == OPERATION_KEY ? pending.remove(overlapped) : null;
            if (operation != null) {
                sockets.complete(operation, out);
            } else {
                // A post(), or a RIO completion queue's notification (lpOverlapped is its Overlapped pointer).
                out.add(key, overlapped, WsaError.NO_ERROR, Integer.toUnsignedLong(bytes));
            }
        }
        return out.size();
    }

    @Override
    public void post(long completionKey, long context) throws RioException {
        if (completionKey == OPERATION_KEY) {
            throw new IllegalArgumentException("completion key " + Long.toHexString(OPERATION_KEY)
                    + " is reserved by the Windows provider");
        }
        if (closed) {
            throw new RioException("PostQueuedCompletionStatus", WsaError.ERROR_ABANDONED_WAIT_0, "port closed");
        }
        // lpOverlapped of a posted packet is only handed back, never dereferenced: it carries the context.
        if (api.PostQueuedCompletionStatus(handle, 0, completionKey, MemorySegment.ofAddress(context)) == 0) {
            throw new RioException("PostQueuedCompletionStatus", api.getLastError());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.CloseHandle(handle);
        if (!pending.isEmpty()) {
            synchronized (ABANDONED) {
                ABANDONED.addAll(pending.values());
            }
            for (PendingOperation operation : pending.values()) {
                // Nobody will receive these sockets: close them (which also ends their AcceptEx; the memory it
                // may write is kept above).
                if (operation.kind == PendingOperation.ACCEPT) {
                    api.closesocket(operation.acceptSocket);
                }
            }
            pending.clear();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes {@code operation} known before the call that starts it, whose completion may come at once. */
    void register(PendingOperation operation) {
        pending.put(operation.overlappedAddress(), operation);
    }

    /** Forgets an operation whose start failed: no completion will come. */
    void unregister(PendingOperation operation) {
        pending.remove(operation.overlappedAddress());
    }

    int pendingOperations() {
        return pending.size();
    }

    static int abandonedOperations() {
        synchronized (ABANDONED) {
            return ABANDONED.size();
        }
    }

    /** A DWORD timeout: {@code INFINITE} for a negative one, else milliseconds rounded up, at most 2^31-1. */
    static int milliseconds(long timeoutNanos) {
        if (timeoutNanos < 0) {
            return WindowsConstants.INFINITE;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        if (TimeUnit.MILLISECONDS.toNanos(ms) < timeoutNanos) {
            ms++;
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }
}
