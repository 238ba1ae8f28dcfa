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

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RIO objects the provider created and that are still valid: registrations (with the memory they cover),
 * completion queues, and request queues (with their socket). Windows' {@code RIO_BUFFERID}, {@code RIO_CQ} and
 * {@code RIO_RQ} are pointers into mswsock's own memory; a bogus or stale one (a closed queue, the queue of a
 * closed socket) handed to RIO is a use-after-free in this process, which no error code reports. The provider
 * therefore refuses, before any downcall, a handle it does not know ({@code WSAEINVAL}, as the RIO pages name it
 * for an invalid queue) and a request on a registration whose memory was freed ({@code WSAEFAULT}, as the RIOSend
 * page names it for "a buffer is freed").
 *
 * <p>Holding the registered segment also keeps memory of an automatic arena alive while it is registered: Windows
 * locked those pages, and the garbage collector must not free them under it.
 *
 * <p>The objects are the process's, whichever provider instance created them, so the real provider uses one
 * instance, {@link #PROCESS}; tests make their own.
 */
final class WindowsHandles {
    /** The handles of this process. */
    static final WindowsHandles PROCESS = new WindowsHandles();

    /** {@code RIO_BUFFERID} to the registered memory (exactly the registered length). */
    final LongTable<MemorySegment> registrations = new LongTable<>();
    /** {@code RIO_CQ}s not closed yet. */
    final LongTable<Boolean> completionQueues = new LongTable<>();
    /** {@code RIO_RQ} to its socket, until the socket is closed. */
    final LongTable<Long> requestQueues = new LongTable<>();
    private final Map<Long, Long> requestQueueOfSocket = new ConcurrentHashMap<>();

    void requestQueueCreated(long requestQueue, long socket) {
        requestQueues.put(requestQueue, socket);
        requestQueueOfSocket.put(socket, requestQueue);
    }

    /** Called before {@code closesocket}: the socket's request queue dies with it. */
    void socketClosing(long socket) {
        Long requestQueue = requestQueueOfSocket.remove(socket);
        if (requestQueue != null) {
            requestQueues.remove(requestQueue);
        }
    }

    boolean hasRequestQueue(long socket) {
        return requestQueueOfSocket.containsKey(socket);
    }
}
