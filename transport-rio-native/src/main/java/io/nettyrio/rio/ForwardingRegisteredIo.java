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
import java.util.Objects;

/**
 * A {@link RegisteredIo} that passes every call to another one: the base of decorators (RioRules, fault injection)
 * that add checks or faults around the RIO function table without repeating the calls they leave alone. The same
 * family as {@link ForwardingRioSockets} and {@link ForwardingPort}.
 */
public abstract class ForwardingRegisteredIo implements RegisteredIo {
    /** The wrapped function table. */
    protected final RegisteredIo delegate;

    /** Creates a decorator of {@code delegate}. */
    protected ForwardingRegisteredIo(RegisteredIo delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Returns the wrapped function table. */
    public final RegisteredIo delegate() {
        return delegate;
    }

    @Override
    public void receive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        delegate.receive(requestQueue, pData, dataBufferCount, flags, requestContext);
    }

    @Override
    public void receiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                          MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags,
                          int flags, long requestContext) throws RioException {
        delegate.receiveEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext,
                pFlags, flags, requestContext);
    }

    @Override
    public void send(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext)
            throws RioException {
        delegate.send(requestQueue, pData, dataBufferCount, flags, requestContext);
    }

    @Override
    public void sendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                       MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                       long requestContext) throws RioException {
        delegate.sendEx(requestQueue, pData, dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext,
                pFlags, flags, requestContext);
    }

    @Override
    public void closeCompletionQueue(long completionQueue) {
        delegate.closeCompletionQueue(completionQueue);
    }

    @Override
    public long createCompletionQueue(int queueSize, MemorySegment notificationCompletion) throws RioException {
        return delegate.createCompletionQueue(queueSize, notificationCompletion);
    }

    @Override
    public long createRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                   int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                                   long sendCompletionQueue, long socketContext) throws RioException {
        return delegate.createRequestQueue(socket, maxOutstandingReceive, maxReceiveDataBuffers, maxOutstandingSend,
                maxSendDataBuffers, receiveCompletionQueue, sendCompletionQueue, socketContext);
    }

    @Override
    public int dequeueCompletion(long completionQueue, MemorySegment array, int arraySize) throws RioException {
        return delegate.dequeueCompletion(completionQueue, array, arraySize);
    }

    @Override
    public void deregisterBuffer(long bufferId) {
        delegate.deregisterBuffer(bufferId);
    }

    @Override
    public int notify(long completionQueue) {
        return delegate.notify(completionQueue);
    }

    @Override
    public long registerBuffer(MemorySegment dataBuffer, int dataLength) throws RioException {
        return delegate.registerBuffer(dataBuffer, dataLength);
    }

    @Override
    public void resizeCompletionQueue(long completionQueue, int queueSize) throws RioException {
        delegate.resizeCompletionQueue(completionQueue, queueSize);
    }

    @Override
    public void resizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend)
            throws RioException {
        delegate.resizeRequestQueue(requestQueue, maxOutstandingReceive, maxOutstandingSend);
    }
}
