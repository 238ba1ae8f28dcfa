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
package io.nettyrio.rio.fault;

import io.nettyrio.rio.ForwardingRegisteredIo;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link RegisteredIo} of a {@link FaultInjectingProvider}. Every data request is passed to the provider
 * with a context of the decorator's own (a token into {@link #requests}); {@link #dequeueCompletion} maps each
 * result back to the caller's context, rewrites its status where a fault says so, and returns the completions
 * in the order the provider produced them, possibly fewer of them than it could (the rest are held for a later
 * dequeue).
 *
 * <p>Memory safety: a completion's status is only rewritten after the provider has completed the request, so its
 * buffers are free whatever the caller is told; a split receive's {@code RIO_BUF} copy lives until its completion
 * is dequeued from the provider; a request on a broken socket never reaches the provider and touches no memory.
 */
final class FaultRegisteredIo extends ForwardingRegisteredIo {
    private static final long RESULT_SIZE = RioLayouts.RIORESULT.byteSize();
    private static final long RIO_BUF_SIZE = RioLayouts.RIO_BUF.byteSize();
    private static final int SLAB_BUFS = 256;

    private final RioSockets delegateSockets;
    private final FaultConfig config;
    private final FaultSchedule schedule;
    private final FaultCounters counters;
    private final AtomicLong nextToken = new AtomicLong(1);
    private final Map<Long, FaultRequest> requests = new ConcurrentHashMap<>();
    private final Map<Long, FaultCompletionQueue> completionQueues = new ConcurrentHashMap<>();
    private final Map<Long, FaultRequestQueue> requestQueues = new ConcurrentHashMap<>();
    private final Map<Long, FaultRequestQueue> queueBySocket = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> tcpSockets = new ConcurrentHashMap<>();
    /** Registrations made through the decorator: ID to the registered memory. */
    private final Map<Long, MemorySegment> registrations = new ConcurrentHashMap<>();
    private final Map<Long, FaultPort> ports = new ConcurrentHashMap<>();
    /** Free {@code RIO_BUF} copies for split receives; slabs live as long as a slice of them is referenced. */
    private final ConcurrentLinkedQueue<MemorySegment> freeBufs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger bufsAllocated = new AtomicInteger();

    FaultRegisteredIo(RegisteredIo delegate, RioSockets delegateSockets, FaultConfig config,
                      FaultCounters counters) {
        super(delegate);
        this.config = config;
        this.delegateSockets = delegateSockets;
        this.schedule = new FaultSchedule(config);
        this.counters = counters;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags,
                        long requestContext) throws RioException {
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0) {
            if (commit("RIOReceive", requestQueue)) {
                delegate.receive(requestQueue, pData, dataBufferCount, flags, requestContext);
            }
            return;
        }
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q == null) {
            // Not created through the decorator: the provider reports the unknown handle.
            delegate.receive(requestQueue, pData, dataBufferCount, flags, requestContext);
            return;
        }
        failCall("RIOReceive", q);
        if (q.brokenStatus != 0) {
            synthesize("RIOReceive", q, false, pData, dataBufferCount, flags, RioConstants.RIO_RECEIVE_FLAGS,
                    requestContext);
            return;
        }
        FaultRequest r = new FaultRequest(q, q.receiveCq, false, notifies(flags), requestContext);
        MemorySegment data = pData;
        if (q.tcp && q.targeted && (flags & RioConstants.RIO_MSG_WAITALL) == 0 && dataBufferCount == 1) {
            data = split(pData, r);
        }
        long token = track(r);
        try {
            delegate.receive(requestQueue, data, dataBufferCount, flags, token);
        } catch (RioException | RuntimeException e) {
            untrack(token, r);
            throw e;
        }
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0) {
            if (commit("RIOReceiveEx", requestQueue)) {
                delegate.receiveEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                        pControlContext, pFlags, flags, requestContext);
            }
            return;
        }
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q == null) {
            delegate.receiveEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                    pControlContext, pFlags, flags, requestContext);
            return;
        }
        failCall("RIOReceiveEx", q);
        if (q.brokenStatus != 0) {
            synthesize("RIOReceiveEx", q, false, pData, dataBufferCount, flags, RioConstants.RIO_RECEIVE_FLAGS,
                    requestContext, pLocalAddress, pRemoteAddress, pControlContext, pFlags);
            return;
        }
        // Not split: receiveEx is UDP's receive, and a shorter slice truncates a datagram instead of splitting it.
        FaultRequest r = new FaultRequest(q, q.receiveCq, false, notifies(flags), requestContext);
        long token = track(r);
        try {
            delegate.receiveEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                    pControlContext, pFlags, flags, token);
        } catch (RioException | RuntimeException e) {
            untrack(token, r);
            throw e;
        }
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0) {
            if (commit("RIOSend", requestQueue)) {
                delegate.send(requestQueue, pData, dataBufferCount, flags, requestContext);
            }
            return;
        }
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q == null) {
            delegate.send(requestQueue, pData, dataBufferCount, flags, requestContext);
            return;
        }
        failCall("RIOSend", q);
        if (q.brokenStatus != 0) {
            synthesize("RIOSend", q, true, pData, dataBufferCount, flags, RioConstants.RIO_SEND_FLAGS,
                    requestContext);
            return;
        }
        FaultRequest r = new FaultRequest(q, q.sendCq, true, notifies(flags), requestContext);
        long token = track(r);
        try {
            delegate.send(requestQueue, pData, dataBufferCount, flags, token);
        } catch (RioException | RuntimeException e) {
            untrack(token, r);
            throw e;
        }
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                       int flags, long requestContext) throws RioException {
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0) {
            if (commit("RIOSendEx", requestQueue)) {
                delegate.sendEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext,
                        pFlags, flags, requestContext);
            }
            return;
        }
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q == null) {
            delegate.sendEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext,
                    pFlags, flags, requestContext);
            return;
        }
        failCall("RIOSendEx", q);
        if (q.brokenStatus != 0) {
            if (!isNull(pLocalAddress) || !isNull(pControlContext) || !isNull(pFlags)) {
                throw new RioException("RIOSendEx", WsaError.WSAEINVAL, "pLocalAddress is reserved");
            }
            synthesize("RIOSendEx", q, true, pData, dataBufferCount, flags, RioConstants.RIO_SEND_FLAGS,
                    requestContext, pRemoteAddress);
            return;
        }
        FaultRequest r = new FaultRequest(q, q.sendCq, true, notifies(flags), requestContext);
        long token = track(r);
        try {
            delegate.sendEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext,
                    pFlags, flags, token);
        } catch (RioException | RuntimeException e) {
            untrack(token, r);
            throw e;
        }
    }

    private static boolean notifies(int flags) {
        return (flags & RioConstants.RIO_MSG_DONT_NOTIFY) == 0;
    }

    /**
     * An accept or connect call with this context (the caller's, passed back with its completion): it may fail by
     * the schedule, before the provider (nothing started, no completion will come), if the context is targeted.
     */
    void failAcceptOrConnect(String call, long context) throws RioException {
        if (!config.targets(context)) {
            return;
        }
        int code = schedule.acceptConnectFailure();
        if (code != 0) {
            counters.acceptConnectFailures.increment();
            throw new RioException(call, code, "injected fault");
        }
    }

    private void failCall(String call, FaultRequestQueue q) throws RioException {
        if (!q.targeted) {
            return;
        }
        int code = schedule.callFailure();
        if (code != 0) {
            counters.callFailures.increment();
            // "RIOSend function (mswsock.h)": FALSE means the request was not started and no completion will be queued.
            throw new RioException(call, code, "injected fault");
        }
    }

    /**
     * A COMMIT_ONLY call: on a broken socket there is nothing to commit (every request it accepted is already
     * complete) and its provider handle is gone, so it succeeds here without reaching the provider; else, on a
     * targeted socket, it may fail by the schedule.
     *
     * @return whether the call goes on to the provider
     */
    private boolean commit(String call, long requestQueue) throws RioException {
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q != null && q.aborted) {
            return false;
        }
        if (q != null && !q.targeted) {
            return true;
        }
        int code = schedule.commitOnlyFailure();
        if (code != 0) {
            counters.commitOnlyFailures.increment();
            throw new RioException(call, code, "injected fault");
        }
        return true;
    }

    private long track(FaultRequest r) {
        // Entered before the provider call: another thread may dequeue the completion before the call returns.
        long token = nextToken.getAndIncrement();
        requests.put(token, r);
        r.queue.outstanding(r.send).incrementAndGet();
        return token;
    }

    private void untrack(long token, FaultRequest r) {
        // A call that threw started nothing and will never complete (RegisteredIo's contract).
        requests.remove(token);
        r.queue.outstanding(r.send).decrementAndGet();
        releaseSplit(r);
    }

    /**
     * A request on a socket an injected error broke: the provider's socket is gone (aborted), so the decorator
     * accepts the request itself, within the queue's capacity, and completes it with the socket's error, as RIO
     * completes requests on a reset connection. Nothing touches the request's memory.
     */
    private void synthesize(String call, FaultRequestQueue q, boolean send, MemorySegment pData,
                            int dataBufferCount, int flags, int validFlags, long requestContext,
                            MemorySegment... addresses) throws RioException {
        if ((flags & ~validFlags) != 0 || (!send && (flags & RioConstants.RIO_MSG_WAITALL) != 0 && !q.tcp)) {
            throw new RioException(call, WsaError.WSAEINVAL, "flags 0x" + Integer.toHexString(flags));
        }
        boolean isNull = isNull(pData);
        if (isNull ? dataBufferCount != 0 : dataBufferCount != 1) {
            throw new RioException(call, WsaError.WSAEINVAL, "pData and DataBufferCount " + dataBufferCount);
        }
        if (isNull && (!send || q.tcp)) {
            throw new RioException(call, WsaError.WSAEINVAL, "pData NULL");
        }
        checkSlice(call, pData, 0);
        for (MemorySegment address : addresses) {
            checkSlice(call, address, SockaddrInet.SIZE);
        }
        FaultCompletionQueue cq = send ? q.sendCq : q.receiveCq;
        if (cq == null) {
            throw new RioException(call, WsaError.WSA_OPERATION_ABORTED, "socket reset by an injected fault");
        }
        AtomicInteger outstanding = q.outstanding(send);
        if (outstanding.incrementAndGet() > q.max(send)) {
            outstanding.decrementAndGet();
            throw new RioException(call, WsaError.WSAENOBUFS, "request queue full");
        }
        FaultRequest r = new FaultRequest(q, cq, send, notifies(flags), requestContext);
        synchronized (cq) {
            cq.held.add(new FaultCompletionQueue.Held(q.brokenStatus, 0, q.socketContext, requestContext, r));
            counters.synthesizedCompletions.increment();
            wakeIfHeld(cq);
        }
    }

    private static boolean isNull(MemorySegment segment) {
        return segment == null || segment.equals(MemorySegment.NULL);
    }

    /**
     * The checks the provider makes of a {@code RIO_BUF} (docs/linux-provider.md, "Argument checks and codes"),
     * for a request on a broken socket that never reaches the provider: an unreadable {@code RIO_BUF}, an unknown
     * or deregistered {@code BufferId} or freed registered memory is WSAEFAULT; a slice outside its registration,
     * or an address slice shorter than {@code minLength}, is WSAEINVAL. NULL passes.
     */
    private void checkSlice(String call, MemorySegment rioBuf, int minLength) throws RioException {
        if (isNull(rioBuf)) {
            return;
        }
        if (!rioBuf.isNative() || rioBuf.byteSize() < RIO_BUF_SIZE || !rioBuf.scope().isAlive()
                || rioBuf.address() % 8 != 0) {
            throw new RioException(call, WsaError.WSAEFAULT, "RIO_BUF unreadable");
        }
        long bufferId = (long) RioLayouts.RIO_BUF_BufferId.get(rioBuf, 0L);
        long offset = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Offset.get(rioBuf, 0L));
        long length = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Length.get(rioBuf, 0L));
        MemorySegment registered = registrations.get(bufferId);
        if (registered == null || !registered.scope().isAlive()) {
            throw new RioException(call, WsaError.WSAEFAULT, "BufferId unknown, deregistered or freed");
        }
        if (offset + length > registered.byteSize() || length < minLength) {
            throw new RioException(call, WsaError.WSAEINVAL, "slice outside its registration or too short");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Split receives

    private MemorySegment split(MemorySegment pData, FaultRequest r) {
        if (pData == null || !pData.isNative() || pData.byteSize() < RIO_BUF_SIZE || !pData.scope().isAlive()
                || pData.isReadOnly() || pData.address() % 8 != 0) {
            return pData; // let the provider report what is wrong with it
        }
        long bufferId = (long) RioLayouts.RIO_BUF_BufferId.get(pData, 0L);
        long offset = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Offset.get(pData, 0L));
        long length = Integer.toUnsignedLong((int) RioLayouts.RIO_BUF_Length.get(pData, 0L));
        MemorySegment registered = registrations.get(bufferId);
        if (registered == null || offset + length > registered.byteSize()) {
            return pData; // never turn a slice the provider must refuse into one it accepts
        }
        long shorter = schedule.splitLength(length);
        if (shorter == length) {
            return pData;
        }
        MemorySegment copy = takeBuf();
        RioLayouts.RIO_BUF_BufferId.set(copy, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(copy, 0L, (int) offset);
        RioLayouts.RIO_BUF_Length.set(copy, 0L, (int) shorter);
        r.splitBuf = copy;
        counters.splitReceives.increment();
        return copy;
    }

    private MemorySegment takeBuf() {
        MemorySegment b = freeBufs.poll();
        if (b != null) {
            return b;
        }
        MemorySegment slab = Arena.ofAuto().allocate(RioLayouts.RIO_BUF, SLAB_BUFS);
        for (int i = 1; i < SLAB_BUFS; i++) {
            freeBufs.add(slab.asSlice(i * RIO_BUF_SIZE, RIO_BUF_SIZE));
        }
        bufsAllocated.addAndGet(SLAB_BUFS);
        return slab.asSlice(0, RIO_BUF_SIZE);
    }

    private void releaseSplit(FaultRequest r) {
        MemorySegment b = r.splitBuf;
        if (b != null) {
            r.splitBuf = null;
            freeBufs.add(b);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Completions

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        FaultCompletionQueue cq = completionQueues.get(completionQueue);
        if (cq == null) {
            return delegate.dequeueCompletion(completionQueue, array, arraySize);
        }
        synchronized (cq) {
            // The caller's array receives the provider's results first (so the provider checks it, as it would
            // without the decorator); they join the held ones, in order, and the oldest go back into the array.
            int n = delegate.dequeueCompletion(completionQueue, array, arraySize);
            long unknown = 0;
            for (int i = 0; i < n; i++) {
                long base = i * RESULT_SIZE;
                long token = (long) RioLayouts.RIORESULT_RequestContext.get(array, base);
                FaultRequest r = requests.remove(token);
                if (r == null) {
                    unknown = token;
                    continue;
                }
                releaseSplit(r); // the provider is done with the request: its RIO_BUF copy is free
                int status = (int) RioLayouts.RIORESULT_Status.get(array, base);
                int bytes = (int) RioLayouts.RIORESULT_BytesTransferred.get(array, base);
                FaultRequestQueue q = r.queue;
                if (q.brokenStatus != 0) {
                    counters.followUpErrors.increment();
                    status = q.brokenStatus;
                    bytes = 0;
                } else if (status == 0 && q.targeted) {
                    int injected = schedule.completionError();
                    if (injected != 0) {
                        counters.completionErrors.increment();
                        status = injected;
                        bytes = 0;
                        if (q.tcp) {
                            breakSocket(q, injected);
                        }
                    }
                }
                cq.held.add(new FaultCompletionQueue.Held(status, bytes,
                        (long) RioLayouts.RIORESULT_SocketContext.get(array, base), r.userContext, r));
            }
            int deliverable = Math.min(arraySize, cq.held.size());
            int deliver = deliverable;
            if (cq.canHold() && cq.heldStreak < schedule.maxHeldDequeues()) {
                deliver = schedule.deliver(deliverable);
            }
            if (deliver < deliverable) {
                cq.heldStreak++;
                counters.heldDequeues.increment();
                counters.heldCompletions.add(deliverable - deliver);
            } else {
                cq.heldStreak = 0;
            }
            for (int i = 0; i < deliver; i++) {
                FaultCompletionQueue.Held h = cq.held.poll();
                long base = i * RESULT_SIZE;
                RioLayouts.RIORESULT_Status.set(array, base, h.status());
                RioLayouts.RIORESULT_BytesTransferred.set(array, base, h.bytes());
                RioLayouts.RIORESULT_SocketContext.set(array, base, h.socketContext());
                RioLayouts.RIORESULT_RequestContext.set(array, base, h.requestContext());
                // Only now does the request give back its capacity, as RIODequeueCompletion documents.
                h.request().queue.outstanding(h.request().send).decrementAndGet();
            }
            wakeIfHeld(cq);
            if (unknown != 0) {
                throw new IllegalStateException("the provider completed a request with context " + unknown
                        + " that the fault decorator never gave out, on completion queue 0x"
                        + Long.toHexString(completionQueue));
            }
            return deliver;
        }
    }

    /**
     * Makes sure held completions are not stranded: if the caller's notification is armed and a held completion
     * would trigger it, fire it now by posting the queue's notification packet to its port, as RIONotify does
     * when the queue already holds a completion. Called with {@code cq}'s monitor held.
     */
    private void wakeIfHeld(FaultCompletionQueue cq) {
        if (cq.owed > 0 && cq.posted == 0 && cq.port != null && cq.holdsNotifying()) {
            try {
                cq.port.postNotification(cq.completionKey, cq.overlapped);
                cq.posted++;
                counters.wakeUps.increment();
            } catch (RioException e) {
                // The port is closed: nobody is waiting for the notification any more.
            }
        }
    }

    /**
     * The caller's port returned a notification packet of {@code cq}. Returns whether the caller gets it: only
     * if it armed a notification that has not been delivered yet. A packet beyond that is the provider's
     * notification firing after the decorator already posted one for the same RIONotify; RIO delivers one
     * notification per RIONotify, so the surplus is dropped.
     */
    boolean notificationArrived(FaultCompletionQueue cq) {
        synchronized (cq) {
            if (cq.posted > 0) {
                cq.posted--;
            }
            if (cq.owed > 0) {
                cq.owed--;
                return true;
            }
            counters.surplusNotifications.increment();
            return false;
        }
    }

    private void breakSocket(FaultRequestQueue q, int status) {
        q.brokenStatus = status;
        if (q.closed) {
            return; // the caller closed it already: its requests are being aborted anyway
        }
        counters.socketsBroken.increment();
        q.aborted = true;
        try {
            // A real reset: the peer sees RST, and the socket's other requests complete with errors (rewritten
            // to this status when dequeued). The abort runs on the dequeuing thread; RIO's serialization rule
            // holds when, as in the transport, one thread owns a completion queue and the sockets bound to it.
            delegateSockets.abort(q.socket);
        } catch (RioException e) {
            // Already gone: nothing left to reset.
        }
    }

    @Override
    public int notify(long completionQueue) {
        FaultCompletionQueue cq = completionQueues.get(completionQueue);
        if (cq == null) {
            return delegate.notify(completionQueue);
        }
        synchronized (cq) {
            int result = delegate.notify(completionQueue);
            if (result == 0) {
                cq.owed++;
            } else if (result == WsaError.WSAEALREADY && cq.owed == 0) {
                // The caller's last notification was delivered (the decorator posted it, holding completions),
                // but the provider's is still armed: to the caller that one is the new notification it asked for.
                result = 0;
                cq.owed++;
            }
            wakeIfHeld(cq);
            return result;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Queues and registrations

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        long handle = delegate.createCompletionQueue(queueSize, notificationCompletion);
        boolean polled = notificationCompletion == null || notificationCompletion.equals(MemorySegment.NULL);
        FaultPort port = null;
        long key = 0;
        long overlapped = 0;
        if (!polled && notificationCompletion.byteSize() >= RioLayouts.RIO_NOTIFICATION_COMPLETION.byteSize()
                && (int) RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.get(notificationCompletion, 0L)
                == RioConstants.RIO_IOCP_COMPLETION) {
            long portHandle = ((MemorySegment) RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle
                    .get(notificationCompletion, 0L)).address();
            key = ((MemorySegment) RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey
                    .get(notificationCompletion, 0L)).address();
            overlapped = ((MemorySegment) RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped
                    .get(notificationCompletion, 0L)).address();
            port = ports.get(portHandle);
        }
        FaultCompletionQueue cq = new FaultCompletionQueue(handle, port, key, overlapped, polled);
        completionQueues.put(handle, cq);
        if (port != null) {
            port.watch(cq);
        }
        return handle;
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        delegate.closeCompletionQueue(completionQueue);
        FaultCompletionQueue cq = completionQueues.remove(completionQueue);
        if (cq != null) {
            if (cq.port != null) {
                cq.port.unwatch(cq);
            }
            // RIOCloseCompletionQueue: later completions are dropped; so are the held ones. A split receive's
            // RIO_BUF copy is not recycled here: its request may still be with the provider.
            requests.values().removeIf(r -> r.completionQueue == cq);
            synchronized (cq) {
                cq.held.clear();
            }
        }
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        FaultRequestQueue broken = queueBySocket.get(socket);
        if (broken != null && broken.aborted) {
            // The provider's socket was reset by an injected fault; the caller still holds its handle.
            throw new RioException("RIOCreateRequestQueue", WsaError.WSAEINVAL, "socket reset by an injected fault");
        }
        long handle = delegate.createRequestQueue(socket, maxOutstandingReceive, maxReceiveDataBuffers,
                maxOutstandingSend, maxSendDataBuffers, receiveCompletionQueue, sendCompletionQueue, socketContext);
        Boolean tcp = tcpSockets.get(socket);
        if (tcp == null) {
            try {
                tcp = delegateSockets.getOption(socket, RioSocketOption.SO_TYPE) == RioConstants.SOCK_STREAM;
            } catch (RioException e) {
                tcp = false; // unknown: no TCP-only fault (split, reset) for this queue
            }
        }
        FaultRequestQueue q = new FaultRequestQueue(handle, socket, tcp, socketContext,
                completionQueues.get(receiveCompletionQueue), completionQueues.get(sendCompletionQueue),
                maxOutstandingReceive, maxOutstandingSend, config.targets(socketContext));
        requestQueues.put(handle, q);
        queueBySocket.put(socket, q);
        return handle;
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        FaultRequestQueue q = requestQueues.get(requestQueue);
        if (q != null && q.aborted) {
            if (maxOutstandingReceive == 0 && maxOutstandingSend == 0) {
                throw new RioException("RIOResizeRequestQueue", WsaError.WSAEINVAL, "both sizes 0");
            }
        } else {
            delegate.resizeRequestQueue(requestQueue, maxOutstandingReceive, maxOutstandingSend);
        }
        if (q != null) {
            q.maxReceive = maxOutstandingReceive;
            q.maxSend = maxOutstandingSend;
        }
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        long id = delegate.registerBuffer(dataBuffer, dataLength);
        registrations.put(id, dataBuffer.asSlice(0, Integer.toUnsignedLong(dataLength)));
        return id;
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        delegate.deregisterBuffer(bufferId);
        registrations.remove(bufferId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // For FaultSockets and FaultPort

    void portOpened(FaultPort port) {
        ports.put(port.handle(), port);
    }

    void portClosed(FaultPort port) {
        ports.remove(port.handle(), port);
    }

    /** A socket was created: a handle reused by the OS is not the broken socket it once named. */
    void socketCreated(long socket, boolean tcp) {
        tcpSockets.put(socket, tcp);
        queueBySocket.remove(socket);
    }

    /**
     * The caller closes (or aborts) {@code socket}. Returns false if the decorator already reset it, so that the
     * close must not reach the provider (whose handle is gone).
     */
    boolean socketClosing(long socket) {
        tcpSockets.remove(socket);
        FaultRequestQueue q = queueBySocket.remove(socket);
        if (q == null) {
            return true;
        }
        q.closed = true;
        requestQueues.remove(q.handle, q);
        return !q.aborted;
    }

    /** Whether the decorator reset {@code socket} (so the provider no longer knows it). */
    boolean isReset(long socket) {
        FaultRequestQueue q = queueBySocket.get(socket);
        return q != null && q.aborted;
    }

    /** Requests the decorator is tracking (passed to the provider, not yet dequeued from it). */
    int requestsInFlight() {
        return requests.size();
    }

    /** {@code RIO_BUF} copies allocated for split receives, and how many of them are free. */
    int splitBufsInUse() {
        return bufsAllocated.get() - freeBufs.size();
    }
}
