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
package io.nettyrio.rio.uring;

import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;

/**
 * The RIO function table over io_uring: argument checks with the codes Windows documents, then the request is
 * handed to its {@link RequestSide}. See {@link IoUringProvider}.
 */
final class UringRegisteredIo implements RegisteredIo {
    private static final long BUF_BufferId = RioLayouts.RIO_BUF.byteOffset(MemoryLayout.PathElement.groupElement(
            "BufferId"));
    private static final long BUF_Offset = RioLayouts.RIO_BUF.byteOffset(MemoryLayout.PathElement.groupElement(
            "Offset"));
    private static final long BUF_Length = RioLayouts.RIO_BUF.byteOffset(MemoryLayout.PathElement.groupElement(
            "Length"));
    private static final long RIO_BUF_SIZE = RioLayouts.RIO_BUF.byteSize();
    private static final long RESULT_SIZE = RioLayouts.RIORESULT.byteSize();
    private static final long NC_Type = 0;
    private static final long NC_IocpHandle = 8;
    private static final long NC_CompletionKey = 16;
    private static final long NC_Overlapped = 24;

    private final IoUringProvider provider;

    UringRegisteredIo(IoUringProvider provider) {
        this.provider = provider;
    }

    static boolean isNull(MemorySegment segment) {
        return segment == null || (segment.isNative() && segment.address() == 0L);
    }

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("RIOReceive", false, false, requestQueue, pData, dataBufferCount, null, null, null, null, flags,
                requestContext);
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        request("RIOReceiveEx", false, true, requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                pControlContext, pFlags, flags, requestContext);
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("RIOSend", true, false, requestQueue, pData, dataBufferCount, null, null, null, null, flags,
                requestContext);
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        request("RIOSendEx", true, true, requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                pControlContext, pFlags, flags, requestContext);
    }

    private void request(String call, boolean send, boolean ex, long requestQueue, MemorySegment pData,
                         int dataBufferCount, MemorySegment pLocalAddress, MemorySegment pRemoteAddress,
                         MemorySegment pControlContext, MemorySegment pFlags, int flags, long requestContext)
            throws RioException {
        UringRequestQueue rq = provider.requestQueues.get(requestQueue);
        if (rq == null || !rq.valid) {
            throw new RioException(call, WsaError.WSAEINVAL, "not an open request queue");
        }
        int allowed = send ? RioConstants.RIO_SEND_FLAGS : RioConstants.RIO_RECEIVE_FLAGS;
        if ((flags & ~allowed) != 0) {
            throw new RioException(call, WsaError.WSAEINVAL, "flags not valid for this call: 0x"
                    + Integer.toHexString(flags));
        }
        boolean hasData = !isNull(pData);
        if ((flags & RIO_MSG_COMMIT_ONLY) != 0) {
            if (flags != RIO_MSG_COMMIT_ONLY || hasData || dataBufferCount != 0 || requestContext != 0
                    || !isNull(pLocalAddress) || !isNull(pRemoteAddress) || !isNull(pControlContext)
                    || !isNull(pFlags)) {
                throw new RioException(call, WsaError.WSAEINVAL, "RIO_MSG_COMMIT_ONLY must be the only flag, "
                        + "with no data, no addresses, no context and a DataBufferCount of 0");
            }
            commit(rq.receive);
            commit(rq.send);
            return;
        }
        if (hasData ? dataBufferCount != 1 : dataBufferCount != 0) {
            throw new RioException(call, WsaError.WSAEINVAL, "DataBufferCount must be 1 with pData, 0 without: "
                    + dataBufferCount);
        }
        UringSocket socket = rq.socket;
        if (!hasData && (!send || socket.isStream())) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "pData may be NULL only for a send on a UDP socket");
        }
        if ((flags & RIO_MSG_WAITALL) != 0 && !socket.isStream()) {
            throw new RioException(call, WsaError.WSAEINVAL, "RIO_MSG_WAITALL is not supported on UDP");
        }
        if (!isNull(pLocalAddress) && (send || socket.isStream())) {
            throw new RioException(call, WsaError.WSAEINVAL, send ? "pLocalAddress is reserved and must be NULL"
                    : "pLocalAddress on a TCP socket");
        }
        if (!isNull(pControlContext) || !isNull(pFlags)) {
            throw new RioException(call, WsaError.WSAEINVAL,
                    "pControlContext and pFlags are not supported by the Linux provider");
        }
        long address = 0;
        int length = 0;
        Registration registration = null;
        if (hasData) {
            registration = resolve(call, pData);
            int offset = pData.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Offset);
            length = pData.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Length);
            address = registration.address + Integer.toUnsignedLong(offset);
        }
        long remoteAddress = 0;
        Registration remoteRegistration = null;
        if (!isNull(pRemoteAddress)) {
            if (socket.isStream()) {
                throw new RioException(call, WsaError.WSAEINVAL, "pRemoteAddress on a TCP socket");
            }
            remoteRegistration = resolve(call, pRemoteAddress);
            int offset = pRemoteAddress.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Offset);
            int remoteLength = pRemoteAddress.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Length);
            if (Integer.compareUnsigned(remoteLength, SockaddrInet.SIZE) < 0) {
                throw new RioException(call, WsaError.WSAEINVAL, "the pRemoteAddress slice is shorter than a "
                        + "SOCKADDR_INET (28 bytes): " + Integer.toUnsignedString(remoteLength));
            }
            remoteAddress = remoteRegistration.address + Integer.toUnsignedLong(offset);
            if (send) {
                short family = remoteRegistration.segment.get(ValueLayout.JAVA_SHORT_UNALIGNED,
                        Integer.toUnsignedLong(offset));
                if (family != RioConstants.AF_INET && family != RioConstants.AF_INET6
                        || family == RioConstants.AF_INET6 && socket.family == LinuxSockaddr.AF_INET) {
                    throw new RioException(call, WsaError.WSAEINVAL, "pRemoteAddress holds no SOCKADDR_INET this "
                            + "socket can send to (si_family " + family + ")");
                }
            }
        }
        long localAddress = 0;
        Registration localRegistration = null;
        if (!isNull(pLocalAddress)) {
            localRegistration = resolve(call, pLocalAddress);
            int offset = pLocalAddress.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Offset);
            int localLength = pLocalAddress.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Length);
            if (Integer.compareUnsigned(localLength, SockaddrInet.SIZE) < 0) {
                throw new RioException(call, WsaError.WSAEINVAL, "the pLocalAddress slice is shorter than a "
                        + "SOCKADDR_INET (28 bytes): " + Integer.toUnsignedString(localLength));
            }
            localAddress = localRegistration.address + Integer.toUnsignedLong(offset);
            socket.enablePacketInfo();
        }
        RequestSide side = send ? rq.send : rq.receive;
        RequestSide other = send ? rq.receive : rq.send;
        boolean commit = (flags & RIO_MSG_DEFER) == 0;
        side.ring.lock.lock();
        try {
            side.queue(call, ex, address, length, registration, flags, requestContext, remoteAddress,
                    remoteRegistration, localAddress, localRegistration);
            if (commit && other.ring == side.ring) {
                // A call without DEFER commits every deferred request of the queue, receives and sends alike;
                // both sides on one ring (one completion queue, the usual case): under the same lock.
                commitIfDeferredLocked(other);
                return;
            }
        } finally {
            side.ring.lock.unlock();
        }
        if (commit) {
            commitIfDeferred(other);
        }
    }

    private static void commitIfDeferredLocked(RequestSide side) {
        if (side.hasDeferred() && !side.isClosing()) {
            side.commit();
        }
    }

    private static void commit(RequestSide side) throws RioException {
        side.ring.lock.lock();
        try {
            if (!side.isClosing()) {
                side.commit();
            }
        } finally {
            side.ring.lock.unlock();
        }
    }

    private static void commitIfDeferred(RequestSide side) throws RioException {
        side.ring.lock.lock();
        try {
            commitIfDeferredLocked(side);
        } finally {
            side.ring.lock.unlock();
        }
    }

    /**
     * Resolves the registration a {@code RIO_BUF} names and checks that its slice lies inside it.
     *
     * @throws RioException WSAEFAULT for an unreadable RIO_BUF or an unknown or deregistered BufferId, WSAEINVAL
     *                      for a slice outside its registration
     */
    private Registration resolve(String call, MemorySegment rioBuf) throws RioException {
        long bufferId;
        int offset;
        int length;
        try {
            if (rioBuf.byteSize() < RIO_BUF_SIZE) {
                throw new RioException(call, WsaError.WSAEFAULT, "a RIO_BUF needs 16 bytes, the segment has "
                        + rioBuf.byteSize());
            }
            bufferId = rioBuf.get(ValueLayout.JAVA_LONG_UNALIGNED, BUF_BufferId);
            offset = rioBuf.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Offset);
            length = rioBuf.get(ValueLayout.JAVA_INT_UNALIGNED, BUF_Length);
        } catch (IllegalStateException | WrongThreadException e) {
            throw new RioException(call, WsaError.WSAEFAULT, "the RIO_BUF is not readable: " + e.getMessage());
        }
        Registration registration = provider.buffers.get(bufferId);
        if (registration == null || !registration.usable()) {
            throw new RioException(call, WsaError.WSAEFAULT, "BufferId 0x" + Long.toHexString(bufferId)
                    + " is not registered (or its memory was freed)");
        }
        if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(length) > registration.length) {
            throw new RioException(call, WsaError.WSAEINVAL, "the slice [" + Integer.toUnsignedString(offset)
                    + ", +" + Integer.toUnsignedString(length) + ") is outside its registration of "
                    + registration.length + " bytes");
        }
        return registration;
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        UringCompletionQueue cq;
        synchronized (provider) {
            cq = provider.completionQueues.remove(completionQueue);
        }
        if (cq != null) {
            cq.close();
        }
    }

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        String call = "RIOCreateCompletionQueue";
        if (queueSize < 1 || queueSize > RioConstants.RIO_MAX_CQ_SIZE) {
            throw new RioException(call, WsaError.WSAEINVAL, "QueueSize must be 1 to RIO_MAX_CQ_SIZE: "
                    + Integer.toUnsignedString(queueSize));
        }
        UringCompletionQueue cq;
        if (isNull(notificationCompletion)) {
            Ring ring = Ring.open(Ring.DEFAULT_ENTRIES, provider.statistics, provider.dispatcher);
            cq = new UringCompletionQueue(provider, ring, null, 0, 0, queueSize);
        } else {
            int type;
            long iocp;
            long key;
            long overlapped;
            try {
                if (notificationCompletion.byteSize() < RioLayouts.RIO_NOTIFICATION_COMPLETION.byteSize()) {
                    throw new RioException(call, WsaError.WSAEFAULT, "a RIO_NOTIFICATION_COMPLETION needs 32 bytes");
                }
                type = notificationCompletion.get(ValueLayout.JAVA_INT_UNALIGNED, NC_Type);
                iocp = notificationCompletion.get(ValueLayout.JAVA_LONG_UNALIGNED, NC_IocpHandle);
                key = notificationCompletion.get(ValueLayout.JAVA_LONG_UNALIGNED, NC_CompletionKey);
                overlapped = notificationCompletion.get(ValueLayout.JAVA_LONG_UNALIGNED, NC_Overlapped);
            } catch (IllegalStateException | WrongThreadException e) {
                throw new RioException(call, WsaError.WSAEFAULT, "the RIO_NOTIFICATION_COMPLETION is not readable");
            }
            if (type != RioConstants.RIO_IOCP_COMPLETION) {
                throw new RioException(call, WsaError.WSAEINVAL, type == RioConstants.RIO_EVENT_COMPLETION
                        ? "RIO_EVENT_COMPLETION is not supported by the Linux provider"
                        : "unknown notification type " + type);
            }
            UringPort port = provider.ports.get(iocp);
            if (port == null) {
                throw new RioException(call, WsaError.WSAEINVAL, "IocpHandle is not an open port");
            }
            if (overlapped == 0) {
                throw new RioException(call, WsaError.WSAEINVAL, "Iocp.Overlapped must not be NULL");
            }
            cq = new UringCompletionQueue(provider, port.ring, port, key, overlapped, queueSize);
        }
        synchronized (provider) {
            cq.handle = provider.completionQueues.add(cq);
        }
        return cq.handle;
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        String call = "RIOCreateRequestQueue";
        UringSocket s = provider.sockets.get(socket);
        if (s == null) {
            throw new RioException(call, WsaError.WSAENOTSOCK, "not a socket of this provider");
        }
        if (maxReceiveDataBuffers != 1 || maxSendDataBuffers != 1) {
            throw new RioException(call, WsaError.WSAEINVAL, "MaxReceiveDataBuffers and MaxSendDataBuffers must "
                    + "be 1");
        }
        if (maxOutstandingReceive < 0 || maxOutstandingSend < 0
                || maxOutstandingReceive > RioConstants.RIO_MAX_CQ_SIZE
                || maxOutstandingSend > RioConstants.RIO_MAX_CQ_SIZE) {
            throw new RioException(call, WsaError.WSAEINVAL, "an outstanding capacity is above RIO_MAX_CQ_SIZE");
        }
        if (maxOutstandingReceive == 0 && maxOutstandingSend == 0) {
            throw new RioException(call, WsaError.WSAEINVAL, "MaxOutstandingReceive and MaxOutstandingSend are 0");
        }
        synchronized (provider) {
            UringCompletionQueue rcq = provider.completionQueues.get(receiveCompletionQueue);
            UringCompletionQueue scq = provider.completionQueues.get(sendCompletionQueue);
            if (rcq == null || scq == null) {
                throw new RioException(call, WsaError.WSAEINVAL, "a completion queue is RIO_INVALID_CQ or closed");
            }
            if (s.requestQueue != null) {
                throw new RioException(call, WsaError.WSAEINVAL, "the socket already has a request queue");
            }
            if (rcq == scq) {
                checkRoom(call, rcq, (long) maxOutstandingReceive + maxOutstandingSend);
            } else {
                checkRoom(call, rcq, maxOutstandingReceive);
                checkRoom(call, scq, maxOutstandingSend);
            }
            synchronized (s) {
                if (s.closeStarted) {
                    throw new RioException(call, WsaError.WSAEINVAL, "the socket is closing");
                }
                if (s.requestQueue != null) {
                    throw new RioException(call, WsaError.WSAEINVAL, "the socket already has a request queue");
                }
                UringRequestQueue rq = new UringRequestQueue(provider, s, socketContext, maxOutstandingReceive,
                        maxOutstandingSend, rcq, scq);
                rcq.boundCapacity += maxOutstandingReceive;
                scq.boundCapacity += maxOutstandingSend;
                s.requestQueue = rq;
                return rq.handle;
            }
        }
    }

    private static void checkRoom(String call, UringCompletionQueue cq, long wanted) throws RioException {
        if (cq.boundCapacity + wanted > cq.queueSize) {
            throw new RioException(call, WsaError.WSAENOBUFS, "the completion queue (QueueSize " + cq.queueSize
                    + ", " + cq.boundCapacity + " bound) has no room for " + wanted + " more outstanding requests");
        }
    }

    /** closesocket: the request queue gives back its completion-queue capacity. */
    void unbind(UringRequestQueue rq) {
        synchronized (provider) {
            rq.receive.cq.boundCapacity -= rq.receive.maxOutstanding;
            rq.send.cq.boundCapacity -= rq.send.maxOutstanding;
        }
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        String call = "RIODequeueCompletion";
        UringCompletionQueue cq = provider.completionQueues.get(completionQueue);
        if (cq == null) {
            throw new RioException(call, WsaError.WSAEINVAL, "not an open completion queue");
        }
        if (arraySize < 1) {
            throw new RioException(call, WsaError.WSAEINVAL, "ArraySize must be at least 1: "
                    + Integer.toUnsignedString(arraySize));
        }
        if (array == null || array.isReadOnly() || array.byteSize() < arraySize * RESULT_SIZE) {
            throw new RioException(call, WsaError.WSAEFAULT, "the array cannot hold " + arraySize + " RIORESULTs");
        }
        if (!array.scope().isAlive()) {
            throw new RioException(call, WsaError.WSAEFAULT, "the array's memory was freed");
        }
        try {
            return cq.dequeue(array, arraySize);
        } catch (WrongThreadException | IllegalStateException e) {
            throw new RioException(call, WsaError.WSAEFAULT, "the array is not writable: " + e.getMessage());
        }
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        Registration registration = provider.buffers.remove(bufferId);
        if (registration != null) {
            registration.registered = false;
        }
    }

    @Override
    public int notify(long completionQueue) {
        UringCompletionQueue cq = provider.completionQueues.get(completionQueue);
        if (cq == null) {
            return WsaError.WSAEINVAL;
        }
        return cq.notifyArm();
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        String call = "RIORegisterBuffer";
        if (dataBuffer == null || !dataBuffer.isNative() || dataBuffer.address() == 0L) {
            throw new RioException(call, WsaError.WSAEFAULT, "DataBuffer must be native memory");
        }
        if (!dataBuffer.scope().isAlive()) {
            throw new RioException(call, WsaError.WSAEFAULT, "DataBuffer's memory was freed");
        }
        if (dataBuffer.isReadOnly()) {
            throw new RioException(call, WsaError.WSAEFAULT, "DataBuffer is read-only");
        }
        if (dataLength <= 0 || dataLength > dataBuffer.byteSize()) {
            throw new RioException(call, WsaError.WSAEINVAL, "DataLength must be 1 to the segment's size ("
                    + dataBuffer.byteSize() + "): " + Integer.toUnsignedString(dataLength));
        }
        return provider.buffers.add(new Registration(dataBuffer, dataLength));
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        String call = "RIOResizeCompletionQueue";
        synchronized (provider) {
            UringCompletionQueue cq = provider.completionQueues.get(completionQueue);
            if (cq == null) {
                throw new RioException(call, WsaError.WSAEINVAL, "not an open completion queue");
            }
            if (queueSize < 1 || queueSize > RioConstants.RIO_MAX_CQ_SIZE) {
                throw new RioException(call, WsaError.WSAEINVAL, "QueueSize must be 1 to RIO_MAX_CQ_SIZE: "
                        + Integer.toUnsignedString(queueSize));
            }
            cq.resize(queueSize);
        }
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        String call = "RIOResizeRequestQueue";
        synchronized (provider) {
            UringRequestQueue rq = provider.requestQueues.get(requestQueue);
            if (rq == null || !rq.valid) {
                throw new RioException(call, WsaError.WSAEINVAL, "not an open request queue");
            }
            if (maxOutstandingReceive < 0 || maxOutstandingSend < 0
                    || maxOutstandingReceive > RioConstants.RIO_MAX_CQ_SIZE
                    || maxOutstandingSend > RioConstants.RIO_MAX_CQ_SIZE) {
                throw new RioException(call, WsaError.WSAEINVAL, "an outstanding capacity is above RIO_MAX_CQ_SIZE");
            }
            if (maxOutstandingReceive == 0 && maxOutstandingSend == 0) {
                throw new RioException(call, WsaError.WSAEINVAL, "both capacities are 0");
            }
            RequestSide r = rq.receive;
            RequestSide s = rq.send;
            r.ring.lock.lock();
            try {
                if (maxOutstandingReceive < r.charged()) {
                    throw new RioException(call, WsaError.WSAETOOMANYREFS, r.charged()
                            + " receives are outstanding");
                }
            } finally {
                r.ring.lock.unlock();
            }
            s.ring.lock.lock();
            try {
                if (maxOutstandingSend < s.charged()) {
                    throw new RioException(call, WsaError.WSAETOOMANYREFS, s.charged() + " sends are outstanding");
                }
            } finally {
                s.ring.lock.unlock();
            }
            long deltaReceive = (long) maxOutstandingReceive - r.maxOutstanding;
            long deltaSend = (long) maxOutstandingSend - s.maxOutstanding;
            if (r.cq == s.cq) {
                if (r.cq.boundCapacity + deltaReceive + deltaSend > r.cq.queueSize) {
                    throw new RioException(call, WsaError.WSAENOBUFS, "the completion queue has no room");
                }
            } else if (r.cq.boundCapacity + deltaReceive > r.cq.queueSize
                    || s.cq.boundCapacity + deltaSend > s.cq.queueSize) {
                throw new RioException(call, WsaError.WSAENOBUFS, "a completion queue has no room");
            }
            r.ring.lock.lock();
            try {
                r.resize(maxOutstandingReceive);
            } finally {
                r.ring.lock.unlock();
            }
            s.ring.lock.lock();
            try {
                s.resize(maxOutstandingSend);
            } finally {
                s.ring.lock.unlock();
            }
            r.cq.boundCapacity += (int) deltaReceive;
            s.cq.boundCapacity += (int) deltaSend;
        }
    }
}
