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
package io.nettyrio.channel;

import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ServerSocketChannel;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server channel over RIO. Accepts complete on the event loop's port (AcceptEx on Windows); each accepted
 * socket becomes a {@link RioSocketChannel} whose request queue is created on its own event loop.
 */
public final class RioServerSocketChannel extends AbstractRioChannel implements ServerSocketChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    /** How soon an accept whose call failed is tried again. */
    private static final long ACCEPT_RETRY_MILLIS = 10;

    private final RioServerSocketChannelConfig config;
    private boolean acceptPending;
    private boolean readPending;
    private boolean acceptRetryScheduled;

    /** Creates a server channel with the provider of this OS ({@link Rio#provider()}). */
    public RioServerSocketChannel() {
        this(Rio.provider().sockets());
    }

    RioServerSocketChannel(RioSockets sockets) {
        super(sockets, null, RioConstants.SOCK_STREAM, METADATA);
        config = new RioServerSocketChannelConfig(this);
    }

    @Override
    public RioServerSocketChannelConfig config() {
        return config;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        sockets.listen(socket, config.getBacklog());
        active = true;
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!acceptPending && isActive()) {
            tryStartAccept();
        }
    }

    /**
     * Starts an accept. If the call fails, nothing was started and no completion will come
     * ("AcceptEx function (mswsock.h)"): the
     * failure is reported and the accept retried shortly, as a server keeps accepting after a failed accept. It must
     * not throw: Netty closes a channel whose {@code doBeginRead} throws, and one refused AcceptEx would close the
     * server.
     */
    private void tryStartAccept() {
        try {
            startAccept();
        } catch (RioException e) {
            // From the task queue: doBeginRead may run inside a pipeline operation.
            eventLoop().execute(() -> pipeline().fireExceptionCaught(e));
            if (!acceptRetryScheduled) {
                acceptRetryScheduled = true;
                eventLoop().schedule(() -> {
                    acceptRetryScheduled = false;
                    continueAccepting();
                }, ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void startAccept() throws RioException {
        sockets.accept(socket, handler.port(), RioIoHandler.KEY_SOCKET, registration.id());
        registration.requestIssued();
        acceptPending = true;
    }

    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    @Override
    void handleEvent(RioIoEvent event) {
        acceptPending = false;
        int status = event.status();
        if (!isOpen()) {
            if (status == 0) {
                closeQuietly(event.result());
            }
            return;
        }
        ChannelPipeline pipeline = pipeline();
        if (status != 0) {
            if (status != WsaError.WSA_OPERATION_ABORTED) {
                pipeline.fireExceptionCaught(new RioException("AcceptEx", status));
                // A server keeps accepting after a failed accept, as Netty's NIO server does; go through the
                // task queue so that a persistent error cannot recurse.
                eventLoop().execute(this::continueAccepting);
            }
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        handle.reset(config);
        RioSocketChannel child;
        try {
            child = new RioSocketChannel(this, sockets, event.result(), ipv6);
        } catch (Throwable t) {
            closeQuietly(event.result());
            pipeline.fireExceptionCaught(t);
            continueAccepting();
            return;
        }
        readPending = false;
        handle.incMessagesRead(1);
        pipeline.fireChannelRead(child);
        handle.readComplete();
        pipeline.fireChannelReadComplete();
        continueAccepting();
    }

    private void continueAccepting() {
        if (!acceptPending && isActive() && (config.isAutoRead() || readPending)) {
            tryStartAccept();
        }
    }

    private void closeQuietly(long acceptedSocket) {
        try {
            sockets.close(acceptedSocket);
        } catch (RioException ignore) {
            // Nothing more can be done with a socket we could not even close.
        }
    }

    @Override
    protected void doDisconnect() {
        throw new UnsupportedOperationException();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        throw new UnsupportedOperationException();
    }
}
