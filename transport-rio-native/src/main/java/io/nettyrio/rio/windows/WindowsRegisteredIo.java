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
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;

/**
 * {@link RegisteredIo} over the real RIO function table: each method is one downcall of the matching table entry,
 * with the result translated as the model's contract says ({@code rio-reference.md} section 2):
 * <ul>
 *   <li>FALSE, NULL or {@code RIO_INVALID_BUFFERID} become a {@link RioException} with the captured
 *       {@code WSAGetLastError} code. So WSAENOBUFS from RIOSend (the completion queue or the request queue is full)
 *       reaches the transport as {@code RioException(WSAENOBUFS)}: nothing was started, and the transport waits for
 *       completions to give capacity back before it sends again.</li>
 *   <li>RIOSend / RIOSendEx returning FALSE with {@code WSA_IO_PENDING}: the seed page documents this code as
 *       "successfully initiated, the completion will be queued at a later time", so it is treated as started.</li>
 *   <li>{@code RIO_CORRUPT_CQ} from RIODequeueCompletion becomes {@code RioException(WSAEINVAL)}.</li>
 *   <li>RIONotify returns its code, as Windows does.</li>
 * </ul>
 * Arguments that would make Windows read or write outside Java's segments (a RIORESULT array smaller than
 * {@code arraySize}, a RIO_BUF segment shorter than 16 bytes, a registration longer than its segment, heap
 * memory) are refused with {@code RioException(WSAEFAULT)} / {@code (WSAEINVAL)} before any downcall: Windows
 * would not notice and would corrupt memory.
 */
final class WindowsRegisteredIo implements RegisteredIo {
    private static final long RIO_BUF_SIZE = RioLayouts.RIO_BUF.byteSize();
    private static final long RIORESULT_SIZE = RioLayouts.RIORESULT.byteSize();

    private final WindowsNative api;

    WindowsRegisteredIo(WindowsNative api) {
        this.api = api;
    }

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        MemorySegment data = rioBuf("RIOReceive", pData);
        if (api.RIOReceive(requestQueue, data, dataBufferCount, flags, requestContext) == 0) {
            throw new RioException("RIOReceive", api.wsaGetLastError());
        }
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        String call = "RIOReceiveEx";
        if (api.RIOReceiveEx(requestQueue, rioBuf(call, pData), dataBufferCount, rioBuf(call, pLocalAddress),
                rioBuf(call, pRemoteAddress), rioBuf(call, pControlContext), rioBuf(call, pFlags), flags,
                requestContext) == 0) {
            throw new RioException(call, api.wsaGetLastError());
        }
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        MemorySegment data = rioBuf("RIOSend", pData);
        if (api.RIOSend(requestQueue, data, dataBufferCount, flags, requestContext) == 0) {
            sendFailed("RIOSend");
        }
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        String call = "RIOSendEx";
        if (api.RIOSendEx(requestQueue, rioBuf(call, pData), dataBufferCount, rioBuf(call, pLocalAddress),
                rioBuf(call, pRemoteAddress), rioBuf(call, pControlContext), rioBuf(call, pFlags), flags,
                requestContext) == 0) {
            sendFailed(call);
        }
    }

    private void sendFailed(String call) throws RioException {
        int error = api.wsaGetLastError();
        // The RIOSend page lists WSA_IO_PENDING as "successfully initiated ... queued at a later time". Whether
        // Windows ever returns FALSE with it is unverified (rio-reference.md section 2); if it does, the
        // completion will come, so reporting a failure would make the caller reuse a buffer still in flight.
        if (error != WsaError.WSA_IO_PENDING) {
            throw new RioException(call, error);
        }
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        api.RIOCloseCompletionQueue(completionQueue);
    }

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        MemorySegment notification = struct("RIOCreateCompletionQueue", notificationCompletion,
                RioLayouts.RIO_NOTIFICATION_COMPLETION.byteSize());
        long cq = api.RIOCreateCompletionQueue(queueSize, notification);
        if (cq == RioConstants.RIO_INVALID_CQ) {
            throw new RioException("RIOCreateCompletionQueue", api.wsaGetLastError());
        }
        return cq;
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        long rq = api.RIOCreateRequestQueue(socket, maxOutstandingReceive, maxReceiveDataBuffers, maxOutstandingSend,
                maxSendDataBuffers, receiveCompletionQueue, sendCompletionQueue, socketContext);
        if (rq == RioConstants.RIO_INVALID_RQ) {
            throw new RioException("RIOCreateRequestQueue", api.wsaGetLastError());
        }
        return rq;
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        if (arraySize < 0 || array == null || !array.isNative()
                || array.byteSize() < (long) arraySize * RIORESULT_SIZE) {
            throw new RioException("RIODequeueCompletion", WsaError.WSAEFAULT,
                    "the RIORESULT array does not hold " + arraySize + " results");
        }
        int n = api.RIODequeueCompletion(completionQueue, array, arraySize);
        if (n == RioConstants.RIO_CORRUPT_CQ) {
            throw new RioException("RIODequeueCompletion", WsaError.WSAEINVAL,
                    "RIO_CORRUPT_CQ: the completion queue is invalid or corrupt");
        }
        return n;
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        api.RIODeregisterBuffer(bufferId);
    }

    @Override
    public int notify(long completionQueue) {
        return api.RIONotify(completionQueue);
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        if (dataBuffer == null || !dataBuffer.isNative() || dataBuffer.equals(MemorySegment.NULL)) {
            throw new RioException("RIORegisterBuffer", WsaError.WSAEFAULT, "not native memory");
        }
        if (dataLength <= 0 || dataLength > dataBuffer.byteSize()) {
            throw new RioException("RIORegisterBuffer", WsaError.WSAEINVAL,
                    "dataLength " + Integer.toUnsignedString(dataLength) + " for a segment of "
                            + dataBuffer.byteSize() + " bytes");
        }
        long id = api.RIORegisterBuffer(dataBuffer, dataLength);
        if (id == RioConstants.RIO_INVALID_BUFFERID) {
            throw new RioException("RIORegisterBuffer", api.wsaGetLastError());
        }
        return id;
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        if (api.RIOResizeCompletionQueue(completionQueue, queueSize) == 0) {
            throw new RioException("RIOResizeCompletionQueue", api.wsaGetLastError());
        }
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        if (api.RIOResizeRequestQueue(requestQueue, maxOutstandingReceive, maxOutstandingSend) == 0) {
            throw new RioException("RIOResizeRequestQueue", api.wsaGetLastError());
        }
    }

    /** A {@code PRIO_BUF}: NULL, or native memory holding at least one {@code RIO_BUF}. */
    private static MemorySegment rioBuf(String call, MemorySegment segment) throws RioException {
        return struct(call, segment, RIO_BUF_SIZE);
    }

    private static MemorySegment struct(String call, MemorySegment segment, long size) throws RioException {
        if (segment == null || segment.equals(MemorySegment.NULL)) {
            return MemorySegment.NULL;
        }
        if (!segment.isNative() || segment.byteSize() < size) {
            throw new RioException(call, WsaError.WSAEFAULT,
                    "a struct argument of " + size + " bytes is not in native memory of that size");
        }
        return segment;
    }
}
