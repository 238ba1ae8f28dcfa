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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small in-memory {@link RioProvider} for the RioRules tests: it records every call that reaches it, completes
 * each request at once into its completion queue (so it stays in flight until dequeued, as on Windows), and lets a
 * test block a thread inside a call or make the next call fail.
 */
final class RioRulesFakeProvider implements RioProvider, RegisteredIo, RioSockets {

    /** Every call that reached the provider, as "name" or "name:detail". */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** The RequestContext each send/receive reached the provider with, in order. */
    final List<Long> contexts = Collections.synchronizedList(new ArrayList<>());
    /** The flags each send/receive reached the provider with, in order. */
    final List<Integer> flagsSeen = Collections.synchronizedList(new ArrayList<>());
    /** Run inside the next matching call, after it is recorded: lets a test hold a thread inside the provider. */
    volatile String blockCall;
    volatile Runnable blocker;
    /** Thrown by the next call, after it is recorded. */
    volatile RioException failNext;
    /** Replaces the RequestContext of every result dequeued, to simulate a broken provider. */
    volatile Long corruptContext;

    private long nextHandle = 0x1000;
    private final Map<Long, Integer> socketTypes = new HashMap<>();
    private final Map<Long, long[]> requestQueues = new HashMap<>(); // rq -> {socketContext, receiveCq, sendCq}
    private final Map<Long, ArrayDeque<long[]>> completionQueues = new HashMap<>(); // {socketContext, context}

    private synchronized long handle() {
        return nextHandle += 0x10;
    }

    private void reached(String call) throws RioException {
        calls.add(call);
        Runnable b = blocker;
        if (b != null && call.startsWith(blockCall)) {
            blocker = null;
            b.run();
        }
        RioException f = failNext;
        if (f != null) {
            failNext = null;
            throw f;
        }
    }

    private void reachedUnchecked(String call) {
        try {
            reached(call);
        } catch (RioException e) {
            throw new AssertionError(e);
        }
    }

    /** Makes a socket the way an accept would: the rules never saw it created. */
    synchronized long acceptedSocket(int type) {
        long s = handle();
        socketTypes.put(s, type);
        return s;
    }

    // ---- RioProvider --------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public RegisteredIo registeredIo() {
        return this;
    }

    @Override
    public RioSockets sockets() {
        return this;
    }

    @Override
    public Port openPort() throws RioException {
        reached("openPort");
        return new FakePort(handle());
    }

    // ---- RegisteredIo -------------------------------------------------------------------------------------

    private void request(String call, long rq, int flags, long context, boolean send) throws RioException {
        reached(call);
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0) {
            return;
        }
        contexts.add(context);
        flagsSeen.add(flags);
        synchronized (this) {
            long[] q = requestQueues.get(rq);
            completionQueues.get(send ? q[2] : q[1]).add(new long[] {q[0], context});
        }
    }

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("receive", requestQueue, flags, requestContext, false);
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        request("receiveEx", requestQueue, flags, requestContext, false);
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        request("send", requestQueue, flags, requestContext, true);
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        request("sendEx", requestQueue, flags, requestContext, true);
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        reachedUnchecked("closeCompletionQueue");
        synchronized (this) {
            completionQueues.remove(completionQueue);
        }
    }

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        reached("createCompletionQueue");
        long cq = handle();
        synchronized (this) {
            completionQueues.put(cq, new ArrayDeque<>());
        }
        return cq;
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        reached("createRequestQueue");
        long rq = handle();
        synchronized (this) {
            requestQueues.put(rq, new long[] {socketContext, receiveCompletionQueue, sendCompletionQueue});
        }
        return rq;
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        reached("dequeueCompletion");
        int n = 0;
        synchronized (this) {
            ArrayDeque<long[]> q = completionQueues.get(completionQueue);
            if (q == null) {
                throw new RioException("RIODequeueCompletion", WsaError.WSAEINVAL);
            }
            while (n < arraySize && !q.isEmpty()) {
                long[] r = q.poll();
                long off = n * RioLayouts.RIORESULT.byteSize();
                RioLayouts.RIORESULT_Status.set(array, off, 0);
                RioLayouts.RIORESULT_BytesTransferred.set(array, off, 7);
                RioLayouts.RIORESULT_SocketContext.set(array, off, r[0]);
                Long corrupt = corruptContext;
                RioLayouts.RIORESULT_RequestContext.set(array, off, corrupt != null ? corrupt : r[1]);
                n++;
            }
        }
        return n;
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        reachedUnchecked("deregisterBuffer:" + bufferId);
    }

    @Override
    public int notify(long completionQueue) {
        reachedUnchecked("notify");
        return 0;
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        reached("registerBuffer");
        if (dataLength <= 0) {
            throw new RioException("RIORegisterBuffer", WsaError.WSAEINVAL);
        }
        return handle();
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        reached("resizeCompletionQueue");
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        reached("resizeRequestQueue");
    }

    // ---- RioSockets ---------------------------------------------------------------------------------------

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        reached("socket");
        long s = handle();
        synchronized (this) {
            socketTypes.put(s, type);
        }
        return s;
    }

    @Override
    public void bind(long socket, InetSocketAddress localAddress) throws RioException {
        reached("bind");
    }

    @Override
    public void listen(long socket, int backlog) throws RioException {
        reached("listen");
    }

    @Override
    public void accept(long listenSocket, Port port, long completionKey, long context) throws RioException {
        reached("accept:" + port.getClass().getSimpleName());
    }

    @Override
    public void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException {
        reached("connect:" + port.getClass().getSimpleName());
    }

    @Override
    public void connectDatagram(long socket, InetSocketAddress remoteAddress) throws RioException {
        reached("connectDatagram");
    }

    @Override
    public void shutdown(long socket, int how) throws RioException {
        reached("shutdown");
    }

    @Override
    public void close(long socket) throws RioException {
        reached("close");
        abortRequests(socket);
    }

    @Override
    public void abort(long socket) throws RioException {
        reached("abort");
        abortRequests(socket);
    }

    private synchronized void abortRequests(long socket) {
        socketTypes.remove(socket);
    }

    @Override
    public synchronized int getOption(long socket, RioSocketOption option) throws RioException {
        calls.add("getOption:" + option);
        Integer type = socketTypes.get(socket);
        if (type == null) {
            throw new RioException("getsockopt", WsaError.WSAENOTSOCK);
        }
        return option == RioSocketOption.SO_TYPE ? type : 0;
    }

    @Override
    public void setOption(long socket, RioSocketOption option, int value) throws RioException {
        reached("setOption");
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws RioException {
        reached("localAddress");
        return null;
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws RioException {
        reached("remoteAddress");
        return null;
    }

    @Override
    public void joinGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        reached("joinGroup");
    }

    @Override
    public void leaveGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        reached("leaveGroup");
    }

    @Override
    public void setMulticastInterface(long socket, Inet4Address interfaceAddress) throws RioException {
        reached("setMulticastInterface");
    }

    /** Returns the calls whose name starts with {@code prefix}. */
    List<String> calls(String prefix) {
        List<String> out = new ArrayList<>();
        synchronized (calls) {
            for (String c : calls) {
                if (c.startsWith(prefix)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    final class FakePort implements Port {
        private final long handle;

        FakePort(long handle) {
            this.handle = handle;
        }

        @Override
        public long handle() {
            return handle;
        }

        @Override
        public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
            reached("getQueuedCompletionStatus");
            out.clear();
            return 0;
        }

        @Override
        public void post(long completionKey, long context) throws RioException {
            reached("post");
        }

        @Override
        public void close() {
            reachedUnchecked("portClose");
        }
    }
}
