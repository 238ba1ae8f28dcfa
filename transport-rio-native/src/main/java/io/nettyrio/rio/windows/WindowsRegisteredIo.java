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

import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;

/**
 * {@link RegisteredIo} over the real RIO function table: each method is one downcall of the matching table entry,
 * with the result translated as the model's contract says (the Microsoft Learn page of each RIO function):
 * <ul>
 *   <li>FALSE, NULL or {@code RIO_INVALID_BUFFERID} become a {@link RioException} with the captured
 *       {@code WSAGetLastError} code. So WSAENOBUFS from RIOSend (the completion queue or the request queue is full)
 *       reaches the transport as {@code RioException(WSAENOBUFS)}: nothing was started, and the transport waits for
 *       completions to give capacity back before it sends again.</li>
 * <li>RIOSend / RIOSendEx returning FALSE with {@code WSA_IO_PENDING}: "RIOSend function (mswsock.h)" documents this
 * code as "successfully initiated, the completion will be queued at a later time", so it is treated as started.</li>
 *   <li>{@code RIO_CORRUPT_CQ} from RIODequeueCompletion becomes {@code RioException(WSAEINVAL)}.</li>
 *   <li>RIONotify returns its code, as Windows does.</li>
 * </ul>
 * Arguments that would make Windows read or write memory it must not are refused before any downcall, since
 * Windows would not notice and would corrupt memory or crash the process ({@link WindowsHandles}):
 * <ul>
 *   <li>{@code WSAEFAULT}: struct arguments ({@code RIO_BUF}, {@code RIORESULT} array,
 *       {@code RIO_NOTIFICATION_COMPLETION}) that are not live native memory of their size; a {@code RIO_BUF}
 *       naming an unknown or deregistered {@code BufferId}, or a registration whose memory was freed; registering
 *       memory that is not live native memory;</li>
 *   <li>{@code WSAEINVAL}: a request or completion queue this process did not create or already closed (also the
 *       request queue of a closed socket); a slice outside its registration; a registration longer than its
 *       segment or of 0 bytes; a completion queue size outside 1 to {@code RIO_MAX_CQ_SIZE}; an IOCP notification
 *       without an OVERLAPPED, or of an unknown type; a RIOReceiveEx address slice shorter than a
 *       {@code SOCKADDR_INET} (28 bytes), a RIOSendEx destination shorter than a {@code sockaddr_in}.</li>
 * </ul>
 */
final class WindowsRegisteredIo implements RegisteredIo {
    private static final long RIO_BUF_SIZE = RioLayouts.RIO_BUF.byteSize();
    private static final long RIORESULT_SIZE = RioLayouts.RIORESULT.byteSize();
    private static final int SOCKADDR_IN_SIZE = (int) SockaddrInet.SOCKADDR_IN.byteSize();

    private final WindowsNative api;
    private final WindowsHandles handles;

    WindowsRegisteredIo(WindowsNative api, WindowsHandles handles) {
        this.api = api;
        this.handles = handles;
    }

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        String call = "RIOReceive";
        checkRequestQueue(call, requestQueue);
        if (api.RIOReceive(requestQueue, slice(call, pData), dataBufferCount, flags, requestContext) == 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        String call = "RIOReceiveEx";
        checkRequestQueue(call, requestQueue);
        // RIOReceiveEx page: each address slice receives a SOCKADDR_INET, so it must hold one.
        if (api.RIOReceiveEx(requestQueue, slice(call, pData), dataBufferCount,
                address(call, pLocalAddress, SockaddrInet.SIZE), address(call, pRemoteAddress, SockaddrInet.SIZE),
                slice(call, pControlContext), slice(call, pFlags), flags, requestContext) == 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        String call = "RIOSend";
        checkRequestQueue(call, requestQueue);
        if (api.RIOSend(requestQueue, slice(call, pData), dataBufferCount, flags, requestContext) == 0) {
            sendFailed(call);
        }
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        String call = "RIOSendEx";
        checkRequestQueue(call, requestQueue);
        // The destination is a sockaddr_in (16 bytes) or sockaddr_in6 (28): a shorter slice cannot hold one.
        if (api.RIOSendEx(requestQueue, slice(call, pData), dataBufferCount, slice(call, pLocalAddress),
                address(call, pRemoteAddress, SOCKADDR_IN_SIZE), slice(call, pControlContext), slice(call, pFlags),
                flags, requestContext) == 0) {
            sendFailed(call);
        }
    }

    private void sendFailed(String call) throws RioException {
        int error = api.wsaGetLastError();
        // The RIOSend page lists WSA_IO_PENDING as "successfully initiated ... queued at a later time". Whether
        // Windows ever returns FALSE with it is not documented; if it does, the
        // completion will come, so reporting a failure would make the caller reuse a buffer still in flight.
        if (error != WsaError.WSA_IO_PENDING) {
            throw new RioException(call, error);
        }
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        // An invalid queue is ignored, as the page says; one this process never created is never passed on.
        if (handles.completionQueues.remove(completionQueue) != null) {
            api.RIOCloseCompletionQueue(completionQueue);
        }
    }

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        String call = "RIOCreateCompletionQueue";
        checkQueueSize(call, queueSize);
        MemorySegment notification = struct(call, notificationCompletion,
                RioLayouts.RIO_NOTIFICATION_COMPLETION.byteSize());
        if (!notification.equals(MemorySegment.NULL)) {
            int type = (int) RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.get(notification, 0L);
            if (type == RioConstants.RIO_IOCP_COMPLETION) {
                MemorySegment overlapped =
                        (MemorySegment) RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.get(notification, 0L);
                if (overlapped.equals(MemorySegment.NULL)) {
                    throw new RioException(call, WsaError.WSAEINVAL, "RIO_IOCP_COMPLETION needs an Overlapped");
                }
            } else if (type != RioConstants.RIO_EVENT_COMPLETION) {
                throw new RioException(call, WsaError.WSAEINVAL, "unknown notification type " + type);
            }
        }
        long cq = api.RIOCreateCompletionQueue(queueSize, notification);
        if (cq == RioConstants.RIO_INVALID_CQ) {
            throw new RioException(call, api.wsaGetLastError());
        }
        handles.completionQueues.put(cq, Boolean.TRUE);
        return cq;
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        String call = "RIOCreateRequestQueue";
        checkCompletionQueue(call, receiveCompletionQueue);
        checkCompletionQueue(call, sendCompletionQueue);
        long rq = api.RIOCreateRequestQueue(socket, maxOutstandingReceive, maxReceiveDataBuffers, maxOutstandingSend,
                maxSendDataBuffers, receiveCompletionQueue, sendCompletionQueue, socketContext);
        if (rq == RioConstants.RIO_INVALID_RQ) {
            throw new RioException(call, api.wsaGetLastError());
        }
        handles.requestQueueCreated(rq, socket);
        return rq;
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        String call = "RIODequeueCompletion";
        checkCompletionQueue(call, completionQueue);
        if (arraySize < 0 || array == null || !array.isNative() || !array.scope().isAlive()
                || array.byteSize() < (long) arraySize * RIORESULT_SIZE) {
            throw new RioException(call, WsaError.WSAEFAULT,
                    "the RIORESULT array is not live native memory of " + arraySize + " results");
        }
        int n = api.RIODequeueCompletion(completionQueue, array, arraySize);
        if (n == RioConstants.RIO_CORRUPT_CQ) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "RIO_CORRUPT_CQ: the completion queue is invalid or corrupt");
        }
        return n;
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        // An invalid ID is ignored, as the page says; one this process never registered is never passed on.
        if (handles.registrations.remove(bufferId) != null) {
            api.RIODeregisterBuffer(bufferId);
        }
    }

    @Override
    public int notify(long completionQueue) {
        if (handles.completionQueues.get(completionQueue) == null) {
            return WsaError.WSAEINVAL;
        }
        return api.RIONotify(completionQueue);
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        String call = "RIORegisterBuffer";
        if (dataBuffer == null || !dataBuffer.isNative() || dataBuffer.equals(MemorySegment.NULL)
                || !dataBuffer.scope().isAlive()) {
            throw new RioException(call, WsaError.WSAEFAULT, "not live native memory");
        }
        if (dataLength <= 0 || dataLength > dataBuffer.byteSize()) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "dataLength " + dataLength + " for a segment of " + dataBuffer.byteSize() + " bytes");
        }
        long id = api.RIORegisterBuffer(dataBuffer, dataLength);
        if (id == RioConstants.RIO_INVALID_BUFFERID) {
            throw new RioException(call, api.wsaGetLastError());
        }
        handles.registrations.put(id, dataBuffer.asSlice(0, dataLength));
        return id;
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        String call = "RIOResizeCompletionQueue";
        checkCompletionQueue(call, completionQueue);
        checkQueueSize(call, queueSize);
        if (api.RIOResizeCompletionQueue(completionQueue, queueSize) == 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        String call = "RIOResizeRequestQueue";
        checkRequestQueue(call, requestQueue);
        if (api.RIOResizeRequestQueue(requestQueue, maxOutstandingReceive, maxOutstandingSend) == 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    private void checkRequestQueue(String call, long requestQueue) throws RioException {
        if (handles.requestQueues.get(requestQueue) == null) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "not a request queue of this process, or its socket is closed");
        }
    }

    private void checkCompletionQueue(String call, long completionQueue) throws RioException {
        if (handles.completionQueues.get(completionQueue) == null) {
            throw new RioException(call, WsaError.WSAEINVAL, "not an open completion queue of this process");
        }
    }

    private static void checkQueueSize(String call, int queueSize) throws RioException {
        if (queueSize < 1 || queueSize > RioConstants.RIO_MAX_CQ_SIZE) {
            throw new RioException(call, WsaError.WSAEINVAL, "queue size " + queueSize + " outside 1 to "
                    + RioConstants.RIO_MAX_CQ_SIZE);
        }
    }

    /**
     * A {@code PRIO_BUF}: NULL, or live native memory holding a {@code RIO_BUF} whose slice lies inside a live
     * registration.
     */
    private MemorySegment slice(String call, MemorySegment segment) throws RioException {
        MemorySegment buf = struct(call, segment, RIO_BUF_SIZE);
        if (buf.equals(MemorySegment.NULL)) {
            return buf;
        }
        long bufferId = (long) RioLayouts.RIO_BUF_BufferId.get(buf, 0L);
        MemorySegment registered = handles.registrations.get(bufferId);
        if (registered == null) {
            throw new RioException(call, WsaError.WSAEFAULT, "unknown or deregistered BufferId");
        }
        if (!registered.scope().isAlive()) {
            throw new RioException(call, WsaError.WSAEFAULT, "the registered memory was freed");
        }
        long offset = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Offset.get(buf, 0L));
        long length = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Length.get(buf, 0L));
        if (offset + length > registered.byteSize()) {
            throw new RioException(call, WsaError.WSAEINVAL, "slice [" + offset + ", " + (offset + length)
                    + ") outside its registration of " + registered.byteSize() + " bytes");
        }
        return buf;
    }

    /** An address slice: as {@link #slice}, and at least {@code minimumLength} bytes long. */
    private MemorySegment address(String call, MemorySegment segment, int minimumLength) throws RioException {
        MemorySegment buf = slice(call, segment);
        if (!buf.equals(MemorySegment.NULL)
                && Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Length.get(buf, 0L)) < minimumLength) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "an address slice of fewer than " + minimumLength + " bytes");
        }
        return buf;
    }

    private static MemorySegment struct(String call, MemorySegment segment, long size) throws RioException {
        if (segment == null || segment.equals(MemorySegment.NULL)) {
            return MemorySegment.NULL;
        }
        if (!segment.isNative() || !segment.scope().isAlive() || segment.byteSize() < size) {
            throw new RioException(call, WsaError.WSAEFAULT,
                    "a struct argument of " + size + " bytes is not in live native memory of that size");
        }
        return segment;
    }
}
