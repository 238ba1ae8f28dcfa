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
package io.nettyrio.rio.rules;

import io.nettyrio.rio.ForwardingRegisteredIo;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.RioConstants.RIO_RECEIVE_FLAGS;
import static io.nettyrio.rio.RioConstants.RIO_SEND_FLAGS;
import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static io.nettyrio.rio.rules.RioRules.Rule.COMMIT_ONLY_ARGUMENTS;
import static io.nettyrio.rio.rules.RioRules.Rule.DATA_BUFFER_COUNT;
import static io.nettyrio.rio.rules.RioRules.Rule.INVALID_FLAGS;
import static io.nettyrio.rio.rules.RioRules.Rule.NULL_DATA;
import static io.nettyrio.rio.rules.RioRules.Rule.RESERVED_ARGUMENT;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_HANDLE;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The {@link RegisteredIo} of {@link RioRules}: checks every call against the rules, then calls the wrapped one.
 *
 * <p>Each request gets a context of RioRules' own (an ID into the table of the completion queue it completes on);
 * {@link #dequeueCompletion} puts the caller's context back into each {@code RIORESULT} and releases what the
 * request held. State is per registration, per queue and per request; no lock is held across a provider call.
 */
final class RioRulesRegisteredIo extends ForwardingRegisteredIo {
    private static final long RIO_BUF_BUFFER_ID = RioLayouts.RIO_BUF.byteOffset(groupElement("BufferId"));
    private static final long RIO_BUF_OFFSET = RioLayouts.RIO_BUF.byteOffset(groupElement("Offset"));
    private static final long RIO_BUF_LENGTH = RioLayouts.RIO_BUF.byteOffset(groupElement("Length"));
    private static final long RIORESULT_REQUEST_CONTEXT =
            RioLayouts.RIORESULT.byteOffset(groupElement("RequestContext"));
    private static final long NOTIFICATION_TYPE =
            RioLayouts.RIO_NOTIFICATION_COMPLETION.byteOffset(groupElement("Type"));
    private static final long NOTIFICATION_IOCP_HANDLE = RioLayouts.RIO_NOTIFICATION_COMPLETION.byteOffset(
            groupElement("u"), groupElement("Iocp"), groupElement("IocpHandle"));

    private final RioSockets delegateSockets;

    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final ConcurrentHashMap<Long, RuleRegistration> registrations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RuleCompletionQueue> completionQueues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RuleRequestQueue> requestQueues = new ConcurrentHashMap<>();
    /** The request queue of each socket that has one. */
    private final ConcurrentHashMap<Long, RuleRequestQueue> requestQueuesBySocket = new ConcurrentHashMap<>();
    /** The type of each socket created through RioRules. */
    private final ConcurrentHashMap<Long, Integer> socketTypes = new ConcurrentHashMap<>();
    /** The address of every {@code RIO_BUF} passed by a request in flight. */
    private final ConcurrentHashMap<Long, RuleRequest> rioBufsInFlight = new ConcurrentHashMap<>();
    /** Per port handle, how many open completion queues notify it. */
    private final ConcurrentHashMap<Long, AtomicInteger> notifyingQueues = new ConcurrentHashMap<>();

    private final RuleClosedHandles closedBuffers = new RuleClosedHandles();
    private final RuleClosedHandles closedCompletionQueues = new RuleClosedHandles();
    private final RuleClosedHandles closedRequestQueues = new RuleClosedHandles();

    RioRulesRegisteredIo(RegisteredIo delegate, RioSockets delegateSockets) {
        super(delegate);
        this.delegateSockets = delegateSockets;
    }

    // ---- requests --------------------------------------------------------------------------------------------

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("RIOReceive", requestQueue, false, pData, dataBufferCount, null, null, null, null, flags,
                requestContext, context -> delegate.receive(requestQueue, pData, dataBufferCount, flags, context));
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        request("RIOReceiveEx", requestQueue, false, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                pControlContext, pFlags, flags, requestContext,
                context -> delegate.receiveEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                        pControlContext, pFlags, flags, context));
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("RIOSend", requestQueue, true, pData, dataBufferCount, null, null, null, null, flags,
                requestContext, context -> delegate.send(requestQueue, pData, dataBufferCount, flags, context));
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        request("RIOSendEx", requestQueue, true, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                pControlContext, pFlags, flags, requestContext,
                context -> delegate.sendEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                        pControlContext, pFlags, flags, context));
    }

    /** Passes one checked request on to the provider, with the RequestContext it must carry. */
    @FunctionalInterface
    private interface Issue {
        void issue(long requestContext) throws RioException;
    }

    /**
     * The checks every RIOSend, RIOSendEx, RIOReceive and RIOReceiveEx call gets. A COMMIT_ONLY call is only checked
     * for its arguments and is not serialized (RIOSend page: "when the RIO_MSG_COMMIT_ONLY flag is set calls to
     * the RIOSend function do not need to be serialized"). Any other call must be the queue's only caller;
     * its request is entered before the provider sees it (under the checker's own RequestContext) and taken out
     * again if the provider refuses it.
     */
    private void request(String call, long requestQueue, boolean send, MemorySegment pData, int dataBufferCount,
                         MemorySegment pLocalAddress, MemorySegment pRemoteAddress, MemorySegment pControlContext,
                         MemorySegment pFlags, int flags, long requestContext, Issue issue) throws RioException {
        RuleRequestQueue queue = requestQueue(call, requestQueue);
        if ((flags & RIO_MSG_COMMIT_ONLY) != 0) {
            checkCommitOnly(call, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext, pFlags,
                    flags, requestContext);
            issue.issue(requestContext);
            return;
        }
        queue.enter(RioRules.Rule.UNSERIALIZED_REQUEST_QUEUE, call);
        try {
            checkOpen(queue, call);
            RuleRequest request = begin(call, queue, send, pData, dataBufferCount, pLocalAddress, pRemoteAddress,
                    pControlContext, pFlags, flags, requestContext);
            try {
                issue.issue(request.id);
            } catch (Throwable t) {
                abort(request);
                throw t;
            }
        } finally {
            queue.exit();
        }
    }

    /**
     * Checks a request against rules 7, 3, 1 and 2, then claims its slices and {@code RIO_BUF}s and enters it in
     * its completion queue's table. Throws without claiming anything if a rule is broken.
     */
    private RuleRequest begin(String call, RuleRequestQueue queue, boolean send, MemorySegment pData,
                              int dataBufferCount, MemorySegment pLocalAddress, MemorySegment pRemoteAddress,
                              MemorySegment pControlContext, MemorySegment pFlags, int flags, long requestContext)
            throws RioException {
        int allowed = send ? RIO_SEND_FLAGS : RIO_RECEIVE_FLAGS;
        if ((flags & ~allowed) != 0) {
            throw invalid(call, INVALID_FLAGS, "flags 0x" + Integer.toHexString(flags) + " are not valid for "
                    + (send ? "a send (DONT_NOTIFY, DEFER, COMMIT_ONLY)" : "a receive"));
        }
        if (!send && (flags & RIO_MSG_WAITALL) != 0 && queue.type == SOCK_DGRAM) {
            throw invalid(call, INVALID_FLAGS, "RIO_MSG_WAITALL is not supported on UDP (" + queue + ")");
        }
        boolean noData = isNull(pData);
        if (noData ? dataBufferCount != 0 : dataBufferCount != 1) {
            throw invalid(call, DATA_BUFFER_COUNT, "DataBufferCount must be " + (noData ? 0 : 1) + " when pData is "
                    + (noData ? "NULL" : "not NULL") + ", was " + Integer.toUnsignedString(dataBufferCount));
        }
        if (noData && !send) {
            throw invalid(call, NULL_DATA, "pData may be NULL only with RIO_MSG_COMMIT_ONLY");
        }
        if (noData && queue.type == SOCK_STREAM) {
            // "RIOSend function (mswsock.h)": "This parameter may be NULL for a bound registered I/O UDP socket".
            throw invalid(call, NULL_DATA, "pData may be NULL only on a bound UDP socket, not on " + queue);
        }
        if (send && !isNull(pLocalAddress)) {
            throw invalid(call, RESERVED_ARGUMENT, "pLocalAddress is reserved and must be NULL");
        }
        RuleCompletionQueue completionQueue = send ? queue.sendQueue : queue.receiveQueue;
        boolean ex = pLocalAddress != null || pRemoteAddress != null || pControlContext != null || pFlags != null;
        RuleRequest request = new RuleRequest(nextRequestId.getAndIncrement(), requestContext, completionQueue,
                ex ? RuleRequest.MAX_SLICES : 1);
        byte aux = send ? RuleRegistration.READ : RuleRegistration.WRITE;
        addSlice(call, request, pData, "pData", send ? RuleRegistration.SEND_DATA : RuleRegistration.WRITE);
        addSlice(call, request, pLocalAddress, "pLocalAddress", aux);
        addSlice(call, request, pRemoteAddress, "pRemoteAddress", aux);
        addSlice(call, request, pControlContext, "pControlContext", aux);
        addSlice(call, request, pFlags, "pFlags", aux);
        claim(call, request);
        completionQueue.requests.put(request.id, request);
        return request;
    }

    private void addSlice(String call, RuleRequest request, MemorySegment rioBuf, String name, byte kind)
            throws RioException {
        if (isNull(rioBuf)) {
            return;
        }
        if (!rioBuf.isNative() || rioBuf.byteSize() < RioLayouts.RIO_BUF.byteSize()) {
            throw new IllegalArgumentException(call + ": " + name + " must be a native RIO_BUF of "
                    + RioLayouts.RIO_BUF.byteSize() + " bytes, was " + rioBuf);
        }
        if (!rioBuf.scope().isAlive()) {
            // "RIOSend function (mswsock.h)": WSAEFAULT "if [...] a buffer is freed for any of the RIO_BUF structures
            // passed in parameters".
            throw new RioException(call, WsaError.WSAEFAULT, "RioRules: " + name + " is freed memory");
        }
        // Unaligned reads: Windows takes a RIO_BUF at any address, and the rules must not fail where it would not.
        long bufferId = rioBuf.get(ValueLayout.JAVA_LONG_UNALIGNED, RIO_BUF_BUFFER_ID);
        long offset = Integer.toUnsignedLong(rioBuf.get(ValueLayout.JAVA_INT_UNALIGNED, RIO_BUF_OFFSET));
        long length = Integer.toUnsignedLong(rioBuf.get(ValueLayout.JAVA_INT_UNALIGNED, RIO_BUF_LENGTH));
        RuleRegistration registration = registrations.get(bufferId);
        if (registration == null) {
            throw new RioRuleViolation(RioRules.Rule.UNKNOWN_BUFFER, call + ": " + name + ".BufferId 0x"
                    + Long.toHexString(bufferId) + (closedBuffers.contains(bufferId)
                    ? " was deregistered" : " was never registered"));
        }
        // RIOSend remarks: "send network data from any buffer completely contained within a single registered
        // buffer"; the Offset and Length members are ULONGs, so a "negative" one is a huge one.
        if (offset + length > registration.length) {
            throw new RioRuleViolation(RioRules.Rule.SLICE_OUTSIDE_REGISTRATION, call + ": " + name + " [Offset "
                    + offset + ", Length " + length + "] is not inside BufferId 0x" + Long.toHexString(bufferId)
                    + " of " + registration.length + " bytes");
        }
        request.addSlice(registration, offset, offset + length, kind, rioBuf.address());
    }

    /** Claims the request's RIO_BUFs (rule 2) and registrations (rules 1 and 2), all or nothing. */
    private void claim(String call, RuleRequest request) {
        try {
            for (int i = 0; i < request.slices; i++) {
                long address = request.rioBufs[i];
                RuleRequest other = rioBufsInFlight.putIfAbsent(address, request);
                if (other != null) {
                    // RIOSend remarks: "you should not pass the same PRIO_BUF to a RIOSend(Ex) request when one is
                    // already pending".
                    throw new RioRuleViolation(RioRules.Rule.RIO_BUF_REUSED, call + " passes the RIO_BUF at 0x"
                            + Long.toHexString(address) + (other == request ? " twice"
                            : " while a request that used it is pending") + "; each request in flight needs its"
                            + " own RIO_BUF");
                }
                request.claimedRioBufs++;
            }
            for (int i = 0; i < request.slices; i++) {
                RuleRegistration registration = request.registrations[i];
                if (claimed(request, registration)) {
                    continue;
                }
                registration.claim(request, call);
                request.claimedRegistrations[request.claimedRegistrationCount++] = registration;
            }
        } catch (RuntimeException e) {
            release(request);
            throw e;
        }
    }

    private static boolean claimed(RuleRequest request, RuleRegistration registration) {
        for (int j = 0; j < request.claimedRegistrationCount; j++) {
            if (request.claimedRegistrations[j] == registration) {
                return true;
            }
        }
        return false;
    }

    /** Undoes {@link #begin} for a request the provider refused: it was not started and will never complete. */
    private void abort(RuleRequest request) {
        request.completionQueue.requests.remove(request.id);
        release(request);
    }

    private void release(RuleRequest request) {
        for (int i = 0; i < request.claimedRioBufs; i++) {
            rioBufsInFlight.remove(request.rioBufs[i], request);
        }
        request.claimedRioBufs = 0;
        for (int i = 0; i < request.claimedRegistrationCount; i++) {
            request.claimedRegistrations[i].release(request);
            request.claimedRegistrations[i] = null;
        }
        request.claimedRegistrationCount = 0;
    }

    /** Rule 7: COMMIT_ONLY "must be the only flag", with pData, the addresses and RequestContext NULL, count 0. */
    private static void checkCommitOnly(String call, MemorySegment pData, int dataBufferCount,
                                        MemorySegment pLocalAddress, MemorySegment pRemoteAddress,
                                        MemorySegment pControlContext, MemorySegment pFlags, int flags,
                                        long requestContext) throws RioException {
        String wrong = null;
        if (flags != RIO_MSG_COMMIT_ONLY) {
            wrong = "another flag (flags 0x" + Integer.toHexString(flags) + ")";
        } else if (!isNull(pData)) {
            wrong = "pData";
        } else if (dataBufferCount != 0) {
            wrong = "DataBufferCount " + Integer.toUnsignedString(dataBufferCount);
        } else if (requestContext != 0) {
            wrong = "a RequestContext";
        } else if (!isNull(pLocalAddress) || !isNull(pRemoteAddress) || !isNull(pControlContext)
                || !isNull(pFlags)) {
            wrong = "an address, control or flags RIO_BUF";
        }
        if (wrong != null) {
            throw invalid(call, COMMIT_ONLY_ARGUMENTS, "RIO_MSG_COMMIT_ONLY with " + wrong
                    + "; it must be the only flag, with pData and RequestContext NULL and DataBufferCount 0");
        }
    }

    // ---- completion queues -----------------------------------------------------------------------------------

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        long handle = delegate.createCompletionQueue(queueSize, notificationCompletion);
        long port = notifiedPort(notificationCompletion);
        completionQueues.put(handle, new RuleCompletionQueue(handle, port));
        closedCompletionQueues.remove(handle);
        if (port != 0) {
            notifyingQueues.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
        }
        return handle;
    }

    private static long notifiedPort(MemorySegment notificationCompletion) {
        if (isNull(notificationCompletion) || !notificationCompletion.isNative()
                || !notificationCompletion.scope().isAlive()
                || notificationCompletion.byteSize() < RioLayouts.RIO_NOTIFICATION_COMPLETION.byteSize()) {
            return 0;
        }
        int type = notificationCompletion.get(ValueLayout.JAVA_INT_UNALIGNED, NOTIFICATION_TYPE);
        if (type != RioConstants.RIO_IOCP_COMPLETION) {
            return 0;
        }
        return notificationCompletion.get(ValueLayout.JAVA_LONG_UNALIGNED, NOTIFICATION_IOCP_HANDLE);
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        RuleCompletionQueue queue = completionQueues.get(completionQueue);
        if (queue == null) {
            if (closedCompletionQueues.contains(completionQueue)) {
                throw closed("RIOCloseCompletionQueue", "RIO_CQ 0x" + Long.toHexString(completionQueue));
            }
            // "RIOCloseCompletionQueue function (mswsock.h)": an invalid queue is ignored. Pass an unknown handle
            // through, as Windows would take it.
            delegate.closeCompletionQueue(completionQueue);
            return;
        }
        queue.enter(RioRules.Rule.UNSERIALIZED_COMPLETION_QUEUE, "RIOCloseCompletionQueue");
        try {
            checkOpen(queue, "RIOCloseCompletionQueue");
            // Close the sockets (their request queues) first and track pending requests; completions
            // arriving after the close "are silently dropped", so their buffers would never be known to be free.
            int bindings = queue.bindings.get();
            if (bindings > 0) {
                throw new RioRuleViolation(RioRules.Rule.CLOSE_ORDER, "RIOCloseCompletionQueue of " + queue
                        + " while " + bindings + " request queue binding(s) to it are open; close the sockets first");
            }
            int inFlight = queue.requests.size();
            if (inFlight > 0) {
                throw new RioRuleViolation(RioRules.Rule.CLOSE_ORDER, "RIOCloseCompletionQueue of " + queue
                        + " while " + inFlight + " request(s) completing on it are not dequeued yet");
            }
            queue.closed = true;
            completionQueues.remove(completionQueue, queue);
            closedCompletionQueues.add(completionQueue);
            if (queue.portHandle != 0) {
                AtomicInteger count = notifyingQueues.get(queue.portHandle);
                if (count != null) {
                    count.decrementAndGet();
                }
            }
            delegate.closeCompletionQueue(completionQueue);
        } finally {
            queue.exit();
        }
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        RuleCompletionQueue queue = completionQueue("RIODequeueCompletion", completionQueue);
        queue.enter(RioRules.Rule.UNSERIALIZED_COMPLETION_QUEUE, "RIODequeueCompletion");
        try {
            checkOpen(queue, "RIODequeueCompletion");
            int n = delegate.dequeueCompletion(completionQueue, array, arraySize);
            long unknown = 0;
            int unknownCount = 0;
            for (int i = 0; i < n; i++) {
                long offset = i * RioLayouts.RIORESULT.byteSize() + RIORESULT_REQUEST_CONTEXT;
                long id = array.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                RuleRequest request = queue.requests.remove(id);
                if (request == null) {
                    unknown = id;
                    unknownCount++;
                    continue;
                }
                array.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, request.callerContext);
                // RIODequeueCompletion page: only now does the system "release the association to its buffer and
                // buffer registration".
                release(request);
            }
            if (unknownCount > 0) {
                throw new IllegalStateException("RioRules: the provider returned " + unknownCount + " RIORESULT(s)"
                        + " on " + queue + " for requests never started through it (RequestContext 0x"
                        + Long.toHexString(unknown) + "); a provider bug");
            }
            return n;
        } finally {
            queue.exit();
        }
    }

    @Override
    public int notify(long completionQueue) {
        RuleCompletionQueue queue = completionQueues.get(completionQueue);
        if (queue == null) {
            if (closedCompletionQueues.contains(completionQueue)) {
                throw closed("RIONotify", "RIO_CQ 0x" + Long.toHexString(completionQueue));
            }
            // RIONotify returns its error: WSAEINVAL for "an invalid completion queue".
            return WSAEINVAL;
        }
        queue.enter(RioRules.Rule.UNSERIALIZED_COMPLETION_QUEUE, "RIONotify");
        try {
            checkOpen(queue, "RIONotify");
            return delegate.notify(completionQueue);
        } finally {
            queue.exit();
        }
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        RuleCompletionQueue queue = completionQueue("RIOResizeCompletionQueue", completionQueue);
        queue.enter(RioRules.Rule.UNSERIALIZED_COMPLETION_QUEUE, "RIOResizeCompletionQueue");
        try {
            checkOpen(queue, "RIOResizeCompletionQueue");
            delegate.resizeCompletionQueue(completionQueue, queueSize);
        } finally {
            queue.exit();
        }
    }

    // ---- request queues --------------------------------------------------------------------------------------

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        RuleCompletionQueue receiveQueue = completionQueue("RIOCreateRequestQueue", receiveCompletionQueue);
        RuleCompletionQueue sendQueue = completionQueue("RIOCreateRequestQueue", sendCompletionQueue);
        checkOpen(receiveQueue, "RIOCreateRequestQueue");
        checkOpen(sendQueue, "RIOCreateRequestQueue");
        long handle = delegate.createRequestQueue(socket, maxOutstandingReceive, maxReceiveDataBuffers,
                maxOutstandingSend, maxSendDataBuffers, receiveCompletionQueue, sendCompletionQueue, socketContext);
        RuleRequestQueue queue = new RuleRequestQueue(handle, socket, socketType(socket), receiveQueue, sendQueue);
        receiveQueue.bindings.incrementAndGet();
        sendQueue.bindings.incrementAndGet();
        requestQueues.put(handle, queue);
        requestQueuesBySocket.put(socket, queue);
        closedRequestQueues.remove(handle);
        return handle;
    }

    private int socketType(long socket) {
        Integer type = socketTypes.get(socket);
        if (type != null) {
            return type;
        }
        // An accepted socket: RioRules saw the listener, not the socket AcceptEx filled. Ask once, here, off the
        // request path.
        try {
            int t = delegateSockets.getOption(socket, RioSocketOption.SO_TYPE);
            if (t == SOCK_STREAM || t == SOCK_DGRAM) {
                socketTypes.put(socket, t);
                return t;
            }
        } catch (RioException | RuntimeException e) {
            // Unknown: the TCP/UDP specific checks of rule 7 are skipped for this queue, nothing else.
        }
        return RuleRequestQueue.UNKNOWN_TYPE;
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        RuleRequestQueue queue = requestQueue("RIOResizeRequestQueue", requestQueue);
        queue.enter(RioRules.Rule.UNSERIALIZED_REQUEST_QUEUE, "RIOResizeRequestQueue");
        try {
            checkOpen(queue, "RIOResizeRequestQueue");
            delegate.resizeRequestQueue(requestQueue, maxOutstandingReceive, maxOutstandingSend);
        } finally {
            queue.exit();
        }
    }

    // ---- buffers ---------------------------------------------------------------------------------------------

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        long bufferId = delegate.registerBuffer(dataBuffer, dataLength);
        registrations.put(bufferId, new RuleRegistration(bufferId, Integer.toUnsignedLong(dataLength)));
        closedBuffers.remove(bufferId);
        return bufferId;
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        RuleRegistration registration = registrations.get(bufferId);
        if (registration == null) {
            // RIODeregisterBuffer: an invalid ID is ignored. Pass it through as Windows would take it.
            delegate.deregisterBuffer(bufferId);
            return;
        }
        registration.deregister();
        registrations.remove(bufferId, registration);
        closedBuffers.add(bufferId);
        delegate.deregisterBuffer(bufferId);
    }

    /** Rule 5, for {@link RioRules#checkNotInFlight}; a negative {@code length} means the whole registration. */
    void checkNotInFlight(long bufferId, long offset, long length) {
        RuleRegistration registration = registrations.get(bufferId);
        if (registration == null) {
            throw new RioRuleViolation(RioRules.Rule.UNKNOWN_BUFFER, "pool check of BufferId 0x"
                    + Long.toHexString(bufferId) + (closedBuffers.contains(bufferId)
                    ? ", which was deregistered" : ", which was never registered"));
        }
        registration.checkNotInFlight(offset, length);
    }

    // ---- sockets (called by RioRulesSockets) -----------------------------------------------------------------

    void socketCreated(long socket, int type) {
        socketTypes.put(socket, type);
    }

    /** Returns the open request queue of {@code socket}, or null. */
    RuleRequestQueue requestQueueOfSocket(long socket) {
        return requestQueuesBySocket.get(socket);
    }

    /** {@code closesocket} succeeded: its request queue is gone, and its CQ bindings with it. */
    void socketClosed(long socket) {
        socketTypes.remove(socket);
        RuleRequestQueue queue = requestQueuesBySocket.remove(socket);
        if (queue != null && !queue.closed) {
            queue.closed = true;
            requestQueues.remove(queue.handle, queue);
            closedRequestQueues.add(queue.handle);
            queue.receiveQueue.bindings.decrementAndGet();
            queue.sendQueue.bindings.decrementAndGet();
        }
    }

    /** Returns how many open completion queues notify the port with this handle. */
    int queuesNotifying(long portHandle) {
        AtomicInteger count = notifyingQueues.get(portHandle);
        return count == null ? 0 : count.get();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private RuleRequestQueue requestQueue(String call, long handle) throws RioException {
        RuleRequestQueue queue = requestQueues.get(handle);
        if (queue == null) {
            if (closedRequestQueues.contains(handle)) {
                throw closed(call, "RIO_RQ 0x" + Long.toHexString(handle) + " (its socket was closed)");
            }
            // RIOSend/RIOReceive: WSAEINVAL "if the SocketQueue parameter is not valid". Not passed on: on Windows
            // an unknown RIO_RQ is a pointer RIO would dereference.
            throw invalid(call, UNKNOWN_HANDLE, "RIO_RQ 0x" + Long.toHexString(handle) + " was never created");
        }
        if (queue.closed) {
            throw closed(call, queue + " (its socket was closed)");
        }
        return queue;
    }

    private RuleCompletionQueue completionQueue(String call, long handle) throws RioException {
        RuleCompletionQueue queue = completionQueues.get(handle);
        if (queue == null) {
            if (closedCompletionQueues.contains(handle)) {
                throw closed(call, "RIO_CQ 0x" + Long.toHexString(handle));
            }
            throw invalid(call, UNKNOWN_HANDLE, "RIO_CQ 0x" + Long.toHexString(handle) + " was never created");
        }
        return queue;
    }

    /** Re-checks after entering: the queue may have been closed between the lookup and the entry. */
    private static void checkOpen(RuleRequestQueue queue, String call) {
        if (queue.closed) {
            throw closed(call, queue + " (its socket was closed)");
        }
    }

    private static void checkOpen(RuleCompletionQueue queue, String call) {
        if (queue.closed) {
            throw closed(call, queue.toString());
        }
    }

    private static RioRuleViolation closed(String call, String what) {
        return new RioRuleViolation(RioRules.Rule.USE_AFTER_CLOSE, call + " on " + what + " after it was closed");
    }

    private static RioRulesException invalid(String call, RioRules.Rule rule, String detail) {
        return new RioRulesException(call, WSAEINVAL, rule, detail);
    }

    static boolean isNull(MemorySegment segment) {
        return segment == null || segment.address() == 0 && segment.isNative();
    }
}
