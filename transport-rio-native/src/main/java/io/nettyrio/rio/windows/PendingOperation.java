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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One AcceptEx or ConnectEx in flight, and the native memory the kernel writes until it completes: the
 * {@code OVERLAPPED} (whose address identifies the operation when its completion is dequeued), the DWORDs that
 * {@code AcceptEx} / {@code ConnectEx} and {@code WSAGetOverlappedResult} fill, and the AcceptEx address buffer or
 * the ConnectEx {@code SOCKADDR_INET}.
 *
 * <p>The memory comes from an automatic arena: it is freed only once nothing references the operation, and the
 * {@link IocpPort} references it from the call that starts it until its completion is dequeued (or forever, if the
 * port is closed first), so the kernel never writes into freed memory.
 */
final class PendingOperation {
    /** AcceptEx: {@link #socket} is the listening socket, {@link #acceptSocket} the socket being accepted. */
    static final int ACCEPT = 1;
    /** ConnectEx on {@link #socket}. */
    static final int CONNECT = 2;

    /** AcceptEx address space: each must be at least the sockaddr size + 16 (AcceptEx page). */
    static final int ACCEPT_ADDRESS_LENGTH = io.nettyrio.rio.SockaddrInet.SIZE + 16;

    private static final long OVERLAPPED_OFFSET = 0;
    private static final long TRANSFERRED_OFFSET = 32;
    private static final long FLAGS_OFFSET = 36;
    private static final long BYTES_OFFSET = 40;
    private static final long BUFFER_OFFSET = 48;
    private static final long SIZE = BUFFER_OFFSET + 2L * ACCEPT_ADDRESS_LENGTH;

    final int kind;
    final long socket;
    final long acceptSocket;
    final int family;
    final long completionKey;
    final long context;
    /** Set when {@link #socket} is closed by the provider before the completion is dequeued. */
    volatile boolean aborted;
    private final MemorySegment memory;

    PendingOperation(int kind, long socket, long acceptSocket, int family, long completionKey, long context) {
        this.kind = kind;
        this.socket = socket;
        this.acceptSocket = acceptSocket;
        this.family = family;
        this.completionKey = completionKey;
        this.context = context;
        // Zeroed by allocate: an OVERLAPPED must start zeroed (hEvent NULL, offsets 0).
        this.memory = Arena.ofAuto().allocate(SIZE, 8);
    }

    /** The {@code OVERLAPPED}; its address is the operation's identity on the port. */
    MemorySegment overlapped() {
        return memory.asSlice(OVERLAPPED_OFFSET, Overlapped.OVERLAPPED);
    }

    long overlappedAddress() {
        return memory.address() + OVERLAPPED_OFFSET;
    }

    /** The {@code DWORD} that {@code WSAGetOverlappedResult} fills with the bytes transferred. */
    MemorySegment transferred() {
        return memory.asSlice(TRANSFERRED_OFFSET, 4);
    }

    /** The {@code DWORD} that {@code WSAGetOverlappedResult} fills with the flags. */
    MemorySegment flags() {
        return memory.asSlice(FLAGS_OFFSET, 4);
    }

    /** {@code lpdwBytesReceived} of AcceptEx / {@code lpdwBytesSent} of ConnectEx. */
    MemorySegment bytes() {
        return memory.asSlice(BYTES_OFFSET, 4);
    }

    /** AcceptEx's output buffer (no data, two addresses) or ConnectEx's {@code SOCKADDR_INET}. */
    MemorySegment buffer() {
        return memory.asSlice(BUFFER_OFFSET, 2L * ACCEPT_ADDRESS_LENGTH);
    }
}
