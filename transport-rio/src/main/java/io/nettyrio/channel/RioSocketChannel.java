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
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.buffer.internal.RioSlotByteBuf;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.util.concurrent.TimeUnit;

/**
 * A TCP channel over RIO.
 *
 * <p><b>Writes.</b> {@code write()} only queues into the {@link io.netty.channel.ChannelOutboundBuffer}.
 * {@code flush()} turns the flushed messages into {@code RIOSend}s: a buffer that already lives in one of this
 * event loop's registered slots is sent as it is; everything else (heap, other direct, composite buffers,
 * {@link FileRegion}s) is copied into registered staging slots, small writes coalesced into one slot. Every send of
 * a flush but the last carries {@code RIO_MSG_DEFER}, so the batch is committed by its last call, and never more
 * sends are in flight than {@link RioChannelOption#RIO_OUTSTANDING_SENDS}: the rest waits for completions.
 *
 * <p><b>Reads.</b> Receives are posted into registered slots sized by the {@link RecvByteBufAllocator}; a filled
 * slot goes up the pipeline as a {@link RioSlotByteBuf} without a copy and returns to its pool when released.
 *
 * <p>Failures carry the exception types of Netty's NIO transport ({@link java.net.ConnectException},
 * {@link java.net.BindException}, {@link java.net.SocketException}, ...), with the RIO error as the cause.
 */
public final class RioSocketChannel extends AbstractRioStreamChannel implements SocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioSocketChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    /** The largest staging slot a flush fills before it starts another. */
    static final int MAX_STAGING_SIZE = RioSendGatherer.MAX_STAGING_SIZE;

    private final RioSocketChannelConfig config;

    // Connect, event loop only.
    private ChannelPromise connectPromise;
    private Future<?> connectTimeoutFuture;
    private InetSocketAddress requestedRemote;

    /** Creates an unconnected channel with the provider of this OS ({@link Rio#provider()}). */
    public RioSocketChannel() {
        this(Rio.provider().sockets());
    }

    RioSocketChannel(RioSockets sockets) {
        super(sockets, METADATA);
        config = new RioSocketChannelConfig(this);
    }

    RioSocketChannel(RioServerSocketChannel parent, RioSockets sockets, long socket, boolean ipv6) {
        super(parent, sockets, socket, ipv6, METADATA);
        config = new RioSocketChannelConfig(this);
        try {
            remote = fromNative(sockets.remoteAddress(socket));
            local = fromNative(sockets.localAddress(socket));
        } catch (RioException e) {
            logger.debug("cannot read the addresses of an accepted socket", e);
        }
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    public RioSocketChannelConfig config() {
        return config;
    }

    @Override
    void registered0() throws Exception {
        if (active && rq == 0) {
            createRequestQueue(config.queueOptions());
            // An accepted channel: after channelActive, it reads if asked to, and watches for the peer's close if
            // not (readAgain).
            eventLoop().execute(readAgainTask);
        }
    }

    @Override
    boolean allowHalfClosure() {
        return config.isAllowHalfClosure();
    }

    @Override
    void handleEvent(RioIoEvent event) {
        if (event.kind() == RioIoEvent.PORT) {
            connectComplete(event.status());
        } else {
            super.handleEvent(event);
        }
    }

    // ------------------------------------------------------------------ connect

    private void connectComplete(int status) {
        ChannelPromise promise = connectPromise;
        connectPromise = null;
        if (connectTimeoutFuture != null) {
            connectTimeoutFuture.cancel(false);
            connectTimeoutFuture = null;
        }
        if (promise == null || !isOpen()) {
            return;
        }
        if (status != 0) {
            promise.tryFailure(ioException("ConnectEx", status, requestedRemote, false));
            unsafe().close(unsafe().voidPromise());
            return;
        }
        try {
            InetSocketAddress peer = fromNative(sockets.remoteAddress(socket));
            remote = peer != null ? peer : requestedRemote;
            local = fromNative(sockets.localAddress(socket));
            createRequestQueue(config.queueOptions());
        } catch (Throwable t) {
            promise.tryFailure(t);
            unsafe().close(unsafe().voidPromise());
            return;
        }
        boolean wasActive = isActive();
        active = true;
        // Captured before trySuccess: a listener may close the channel, and channelActive must still come first.
        boolean nowActive = isActive();
        boolean promiseSet = promise.trySuccess();
        if (!wasActive && nowActive) {
            pipeline().fireChannelActive();
        }
        if (!promiseSet) {
            // The user cancelled the connect: close as NIO does.
            unsafe().close(unsafe().voidPromise());
            return;
        }
        readAgain();
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        ChannelPromise promise = connectPromise;
        if (promise != null) {
            promise.tryFailure(new java.nio.channels.ClosedChannelException());
            connectPromise = null;
        }
        if (connectTimeoutFuture != null) {
            connectTimeoutFuture.cancel(false);
            connectTimeoutFuture = null;
        }
        super.doClose();
    }

    /** Connects through ConnectEx; the connect completes through the port. */
    @Override
    void connect(RioUnsafe unsafe, SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        // The promise stays cancellable while the connect is pending, as in Netty's NIO, epoll and io_uring
        // transports: cancelling it closes the channel, and the close aborts the provider's pending connect.
        if (promise.isDone() || !unsafe.openFor(promise)) {
            return;
        }
        try {
            if (connectPromise != null) {
                throw new ConnectionPendingException();
            }
            if (active) {
                throw new AlreadyConnectedException();
            }
            InetSocketAddress remote = checkInet(remoteAddress);
            if (localAddress != null) {
                doBind(localAddress);
            }
            requestedRemote = remote;
            try {
                sockets.connect(socket, toNative(remote), handler.port(), RioIoHandler.KEY_SOCKET,
                        registration.id());
            } catch (RioException e) {
                throw ioException(e, remote, false);
            }
            registration.requestIssued();
            connectPromise = promise;
            int timeoutMillis = config.getConnectTimeoutMillis();
            if (timeoutMillis > 0) {
                connectTimeoutFuture = eventLoop().schedule(() -> {
                    ChannelPromise p = connectPromise;
                    if (p != null && !p.isDone() && p.tryFailure(new ConnectTimeoutException(
                            "connection timed out after " + timeoutMillis + " ms: " + remote))) {
                        unsafe.close(unsafe.voidPromise());
                    }
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            promise.addListener(f -> {
                if (f.isCancelled()) {
                    if (connectTimeoutFuture != null) {
                        connectTimeoutFuture.cancel(false);
                    }
                    connectPromise = null;
                    unsafe.close(unsafe.voidPromise());
                }
            });
        } catch (Throwable t) {
            unsafe.connectFailed(promise, t, remoteAddress);
        }
    }
}
