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

import java.lang.foreign.MemorySegment;

/**
 * The RIO function table, {@code RIO_EXTENSION_FUNCTION_TABLE}, as a Java interface: one method per entry, with
 * the same arguments, flags and error codes as Microsoft documents them (the Microsoft Learn pages "RIOSend function
 * (mswsock.h)", "RIOReceive function (mswsock.h)" and the others of the table; {@code docs/windows.md}).
 *
 * <p>Handles ({@code RIO_BUFFERID}, {@code RIO_CQ}, {@code RIO_RQ}, {@code SOCKET}) are opaque {@code long}s;
 * contexts ({@code PVOID}) are {@code long}s handed back untouched in {@code RIORESULT}. Pointer arguments are
 * native {@link MemorySegment}s laid out as {@link RioLayouts} says; a Java {@code null} and
 * {@link MemorySegment#NULL} both mean NULL.
 *
 * <p>Where Windows returns FALSE, NULL or {@code RIO_INVALID_*} and reports through {@code WSAGetLastError}, a
 * method here throws {@link RioException} with that code; a request that threw was not started and will never
 * complete. {@link #notify(long)} returns its code, as {@code RIONotify} does.
 *
 * <p>Threading is as on Windows: calls on one completion queue must be serialized, and so must calls on one
 * request queue, sends and receives alike, except calls with {@link RioConstants#RIO_MSG_COMMIT_ONLY}. Windows does
 * not check this; {@code RioRules} does.
 */
public interface RegisteredIo {

    /**
     * {@code RIOReceive}: posts a receive into the registered slice {@code pData} describes.
     *
     * @param requestQueue    the socket's request queue
     * @param pData           one {@code RIO_BUF}, or NULL only with {@code RIO_MSG_COMMIT_ONLY}
     * @param dataBufferCount 1, or 0 when {@code pData} is NULL
     * @param flags           {@link RioConstants#RIO_RECEIVE_FLAGS}
     * @param requestContext  returned in {@code RIORESULT.RequestContext}
     * @throws RioException WSAEINVAL, WSAEFAULT, WSAENOBUFS or WSA_OPERATION_ABORTED
     */
    void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException;

    /**
     * {@code RIOReceiveEx}: a receive that also reports the local and remote {@code SOCKADDR_INET}, control data
     * and flags, each into a registered slice ({@code RIO_BUF}) that may be NULL.
     */
    void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                   MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                   long requestContext) throws RioException;

    /**
     * {@code RIOSend}: sends the registered slice {@code pData} describes. A send completes only when all its bytes
     * are sent; sends on one queue complete in order.
     *
     * @param requestQueue    the socket's request queue
     * @param pData           one {@code RIO_BUF}; NULL only on a bound UDP socket or with COMMIT_ONLY
     * @param dataBufferCount 1, or 0 when {@code pData} is NULL
     * @param flags           {@link RioConstants#RIO_SEND_FLAGS}
     * @param requestContext  returned in {@code RIORESULT.RequestContext}
     * @throws RioException WSAEINVAL, WSAEFAULT or WSAENOBUFS
     */
    void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException;

    /**
     * {@code RIOSendEx}: a send with a destination {@code SOCKADDR_INET} in a registered slice
     * ({@code pRemoteAddress}, NULL on a connected socket). {@code pLocalAddress} is reserved and must be NULL.
     */
    void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                long requestContext) throws RioException;

    /**
     * {@code RIOCloseCompletionQueue}: marks the queue invalid; completions still to come are dropped. An invalid
     * handle is ignored.
     */
    void closeCompletionQueue(long completionQueue);

    /**
     * {@code RIOCreateCompletionQueue}.
     *
     * @param queueSize              1 to {@link RioConstants#RIO_MAX_CQ_SIZE} entries
     * @param notificationCompletion a {@link RioLayouts#RIO_NOTIFICATION_COMPLETION} of type
     *                               {@link RioConstants#RIO_IOCP_COMPLETION} naming a {@link Port}'s handle, or
     *                               NULL for a queue that is only polled
     * @return the {@code RIO_CQ}
     * @throws RioException WSAEINVAL, WSAEFAULT or WSAENOBUFS
     */
    long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException;

    /**
     * {@code RIOCreateRequestQueue}: binds a registered-I/O socket to its completion queues. The sum of the
     * outstanding capacities bound to a completion queue may not exceed its size.
     *
     * @param maxReceiveDataBuffers must be 1
     * @param maxSendDataBuffers    must be 1
     * @param socketContext         returned in {@code RIORESULT.SocketContext}
     * @return the {@code RIO_RQ}
     * @throws RioException WSAEINVAL, WSAENOBUFS, WSAENOTSOCK or WSAEOPNOTSUPP
     */
    long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                            int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                            long sendCompletionQueue, long socketContext) throws RioException;

    /**
     * {@code RIODequeueCompletion}: copies up to {@code arraySize} {@code RIORESULT}s, oldest first, into
     * {@code array}. Only now does each request give back its capacity and its hold on its buffer.
     *
     * @return the number of results, 0 if none
     * @throws RioException WSAEINVAL where Windows returns {@code RIO_CORRUPT_CQ}
     */
    int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException;

    /** {@code RIODeregisterBuffer}: an invalid ID is ignored. */
    void deregisterBuffer(long bufferId);

    /**
     * {@code RIONotify}: arms one notification of the queue's port, which fires as soon as the queue holds a
     * completion not flagged {@code RIO_MSG_DONT_NOTIFY}.
     *
     * @return {@code 0}, {@link WsaError#WSAEALREADY} if a notification is armed and has not fired, or
     *         {@link WsaError#WSAEINVAL}
     */
    int notify(long completionQueue);

    /**
     * {@code RIORegisterBuffer}: registers {@code dataLength} bytes at the start of {@code dataBuffer}.
     *
     * @return the {@code RIO_BUFFERID}, never {@link RioConstants#RIO_INVALID_BUFFERID}
     * @throws RioException WSAEFAULT (bad memory) or WSAEINVAL ({@code dataLength} 0 or beyond the segment)
     */
    long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException;

    /**
     * {@code RIOResizeCompletionQueue}: the entries queued are kept.
     *
     * @throws RioException WSAEINVAL, WSAEFAULT, WSAENOBUFS or WSAETOOMANYREFS
     */
    void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException;

    /**
     * {@code RIOResizeRequestQueue}, with the arguments in the header's order (the reference page swaps them).
     *
     * @throws RioException WSAEINVAL, WSAENOBUFS or WSAETOOMANYREFS
     */
    void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException;
}
