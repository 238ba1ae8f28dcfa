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

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotByteBuf;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The stream layer of the TCP channel, as Netty's {@code AbstractIoUringStreamChannel} is for io_uring: the write
 * path over a {@link RioSendGatherer}, the read loop and half-closure.
 *
 * <p><b>Writes.</b> {@code write()} only queues into the {@link ChannelOutboundBuffer}. {@code flush()} turns the
 * flushed messages into {@code RIOSend}s ({@link RioSendGatherer}). Every send of a flush but the last carries
 * {@code RIO_MSG_DEFER}, so the batch is committed by its last call, and never more sends are in flight than the
 * request queue's {@code MaxOutstandingSend}: the rest waits for completions. RIO sends complete whole and in order,
 * so each completion removes its bytes from the buffer, completing promises in order and updating writability.
 *
 * <p><b>Reads.</b> Receives are posted into registered slots sized by the {@link RecvByteBufAllocator}; a filled
 * slot goes up the pipeline as a {@link RioSlotByteBuf} without a copy and returns to its pool when released. The
 * receives a completion batch delivers are one read loop, which stays open while the allocator wants more: RIO
 * cannot tell whether more bytes are waiting, so the loop ends when a receive that was in the kernel during the
 * batch did not complete ({@link #socketFoundEmpty}), or else when the handler's runs bring no more
 * ({@link RioIoHandler#carryReadLoop}), as a read returning nothing ends NIO's.
 */
abstract class AbstractRioStreamChannel extends AbstractRioDataChannel implements DuplexChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractRioStreamChannel.class);
    private static final Object EOF = new Object();
    /**
     * How many handler runs without a completion end a carried read loop (one carried because every posted
     * receive completed). Two, because a receive posted in one run may only be submitted by the next port call and
     * reaped by the one after.
     */
    private static final int CARRY_EMPTY_RUNS = 2;
    /**
     * The most registered memory (the capacity of the slots its messages hold, not their readable bytes: a peer
     * that trickles single bytes must not pin a slot each without bound) a stream holds in what it read ahead while
     * nobody reads (autoRead off and no {@code read()} pending): see {@link #watchForPeerClose()}. Beyond it the
     * peer is held back by TCP's flow control, as it is by the socket's receive buffer on Netty's other transports.
     */
    static final int READ_AHEAD_BYTES = 64 * 1024;

    // Write path, event loop only.
    private final ArrayDeque<RioSend> sends = new ArrayDeque<>();
    private final RioSendGatherer gatherer = new RioSendGatherer(this);
    private boolean outputShutdown;
    private boolean shutdownOutputPending;
    /** Completions are being applied to the outbound buffer (see {@link #advance}). */
    private boolean advancing;

    // Read path, event loop only.
    private boolean readLoopOpen;
    private boolean forceDelivery;
    private final Runnable carryTask = this::carryCheck;
    private boolean carried;
    private boolean deliveredThisRun;
    private int emptyRuns;
    private boolean inputShutdown;
    private boolean inputClosedSeenErrorOnRead;

    /** A stream over a new, unconnected socket. */
    AbstractRioStreamChannel(RioSockets sockets, ChannelMetadata metadata) {
        super(sockets, null, RioConstants.SOCK_STREAM, metadata);
    }

    /** A stream over a socket {@code parent} accepted. */
    AbstractRioStreamChannel(RioServerSocketChannel parent, RioSockets sockets, long socket, boolean ipv6,
                             ChannelMetadata metadata) {
        super(parent, sockets, socket, ipv6, metadata);
    }

    /** Whether end of stream half-closes the channel instead of closing it. */
    abstract boolean allowHalfClosure();

    @Override
    final boolean isStream() {
        return true;
    }

    @Override
    void handleEvent(RioIoEvent event) {
        if ((event.requestContext() & 1) == CTX_SEND) {
            sendComplete(event.status(), event.result());
        } else {
            receiveCompleted(event.requestContext(), event.status(), (int) event.result());
        }
    }

    // ------------------------------------------------------------------ write path

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf || msg instanceof FileRegion) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: ByteBuf or FileRegion)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (advancing) {
            // Called from a listener while completions are being applied: the caller flushes right after.
            return;
        }
        if (rq != 0) {
            // A new batch commits what an earlier failed commit left deferred, too.
            sendSide.commitStillPending();
        }
        // Messages that are done (empty) and at the head complete now, in order.
        advance(in, 0);
        if (rq == 0 || outputShutdown || in.isEmpty() || sends.size() >= maxSends) {
            return;
        }
        RioSendGatherer g = gatherer;
        g.gather(in, maxSends - sends.size());
        boolean starved = g.starved;
        int n = g.count;
        g.count = 0;
        issueSends(g.records, n, false);
        if (starved && sends.isEmpty()) {
            // The ceiling of registered memory and no send in flight whose completion would flush again: the
            // writes wait (backpressure, never an error) and the flush runs again as soon as a slot comes back.
            sendSide.awaitMemory();
        }
    }

    @Override
    final int sendsInFlight() {
        return sends.size();
    }

    @Override
    final void sendIssued(RioSend send) {
        sends.add(send);
        gatherer.issued(send.length);
    }

    private void sendComplete(int status, long bytes) {
        RioSend record = sends.poll();
        if (record == null) {
            logger.warn("{}: send completion without a send in flight", this);
            return;
        }
        record.releaseData();
        int length = record.length;
        recycle(record);
        gatherer.completed(length);
        if (sends.isEmpty() && shutdownOutputPending) {
            shutdownOutputPending = false;
            try {
                sockets.shutdown(socket, RioConstants.SD_SEND);
            } catch (RioException e) {
                logger.debug("{}: deferred shutdown(SD_SEND) failed", this, e);
            }
        }
        if (!isOpen()) {
            closeIfSendsDrained();
            return;
        }
        RioUnsafe unsafe = (RioUnsafe) unsafe();
        if (status != 0) {
            unsafe.writeFailed(ioException("RIOSend", status, null, false));
            return;
        }
        if (bytes != length) {
            // RIO completes a send only once all its bytes are sent; anything else is a provider bug.
            logger.warn("{}: RIOSend of {} bytes completed with {}", this, length, bytes);
        }
        ChannelOutboundBuffer in = unsafe.outboundBuffer();
        if (in != null) {
            advance(in, length);
            // A listener may have closed the channel meanwhile: look the buffer up again.
            in = unsafe.outboundBuffer();
            if (in != null && !in.isEmpty()) {
                unsafe.flushMore();
            }
        }
    }

    /** Removes {@code bytes} completed bytes from the head of the outbound buffer ({@link RioSendGatherer}). */
    private void advance(ChannelOutboundBuffer in, long bytes) {
        // Completing a promise runs listeners, which may write and flush: that nested doWrite must not gather
        // while completed bytes are still at the head (they would be sent twice), so it waits (see doWrite).
        advancing = true;
        try {
            gatherer.advance(in, bytes);
        } finally {
            advancing = false;
        }
    }

    // ------------------------------------------------------------------ read path

    @Override
    protected void doBeginRead() throws Exception {
        readPending = true;
        if (inReadCallback) {
            // The completion being handled re-posts when its callbacks are done.
            return;
        }
        if (!inbound.isEmpty() || inputShutdown) {
            // Deliver from the event loop, never from inside the caller's read().
            eventLoop().execute(readAgainTask);
            return;
        }
        if (rq != 0 && isActive() && !inputShutdown) {
            postReceives();
        }
    }

    @Override
    final int minimumReceiveSlot(int length) {
        return RioByteBufAllocator.SMALLEST_SLOT_SIZE;
    }

    @Override
    final void issueReceive(io.nettyrio.rio.RegisteredIo rio, RioSlot slot, int length, int index, int flags)
            throws RioException {
        rio.receive(rq, slot.rioBuf(0, length), 1, flags, CTX_RECEIVE);
    }

    @Override
    final Object receiveCompleted(RioSlot slot, int length, int index, int status, int bytes) {
        Object item;
        if (status != 0) {
            slot.release();
            boolean afterOwnShutdown = inputShutdown && (status == WsaError.WSA_OPERATION_ABORTED
                    || status == WsaError.WSAESHUTDOWN);
            item = afterOwnShutdown ? EOF : ioException("RIOReceive", status, null, false);
        } else if (bytes == 0 || inputShutdown) {
            // Zero bytes with status 0 is a graceful close by the peer; bytes after our own shutdownInput are
            // dropped, as a read after shutdownInput sees end of stream on Netty's other transports.
            slot.release();
            item = EOF;
        } else {
            item = RioSlotByteBuf.tracked(config().getAllocator(), slot, bytes);
        }
        if (!isMessage(item)) {
            // End of stream or an error is delivered even if nobody asked to read, with the data before it, as
            // epoll does once it sees EPOLLRDHUP: a half-closure or a reset must not wait for a read() that may
            // never come.
            forceDelivery = true;
        }
        return item;
    }

    @Override
    final void batchEnded() {
        deliveredThisRun = true;
    }

    /**
     * Delivers the completed receives someone asked for, decides whether the read loop goes on, and keeps receives
     * posted while reading is wanted.
     */
    @Override
    final void readAgain() {
        deliverInbound();
        if (readLoopOpen) {
            if (isActive() && !inputShutdown && unsafe().recvBufAllocHandle().continueReading()
                    && !socketFoundEmpty()) {
                // The allocator wants more (the last receive filled its buffer): keep the loop open while the
                // next receives complete, as NIO keeps reading until a read returns nothing. The handler polls
                // without blocking meanwhile and ends the loop if nothing more comes (carryCheck).
                if (!carried) {
                    carried = true;
                    emptyRuns = 0;
                    handler.carryReadLoop(carryTask);
                }
            } else {
                endReadLoop();
            }
        }
        if (!isActive()) {
            return;
        }
        if (!(readingWanted() || readLoopOpen)) {
            watchForPeerClose();
            return;
        }
        if (!inbound.isEmpty()) {
            return;
        }
        if (inputShutdown) {
            if (receivesInFlight == 0 && !inputClosedSeenErrorOnRead) {
                // A read after the input was shut down sees end of stream once more (Netty's NIO does the same).
                readPending = false;
                inputClosedSeenErrorOnRead = true;
                ChannelPipeline pipeline = pipeline();
                pipeline.fireChannelReadComplete();
                pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            }
            return;
        }
        postReceivesOrClose();
    }

    /**
     * With nobody reading, keeps one receive posted while the registered memory of what it read and holds stays
     * under {@link #READ_AHEAD_BYTES}. RIO has no readiness event: a peer's close is seen only as a posted receive
     * completing with 0 bytes, and a reset as one failing ("RIOReceive function (mswsock.h)"). Netty's epoll and
     * io_uring transports see both without a {@code read()} ({@code EPOLLRDHUP}, a poll request) and then read what
     * is left; here what the receives read waits in the inbound queue until someone reads, or is delivered with the
     * end of stream or the error ({@code forceDelivery}), as those transports deliver it.
     */
    private void watchForPeerClose() {
        if (inputShutdown || rq == 0 || receivesInFlight > 0 || forceDelivery) {
            return;
        }
        if (heldSlotBytes < READ_AHEAD_BYTES) {
            postReceivesOrClose(1);
        }
    }

    /** Called by the handler after each run while the read loop is carried over. */
    private void carryCheck() {
        carried = false;
        if (!readLoopOpen || !isOpen()) {
            return;
        }
        if (deliveredThisRun) {
            deliveredThisRun = false;
            emptyRuns = 0;
        } else if (++emptyRuns >= CARRY_EMPTY_RUNS || socketFoundEmpty()) {
            // Nothing more arrived: the read loop is over, as a read returning 0 ends NIO's.
            endReadLoop();
            readAgain();
            return;
        }
        carried = true;
        handler.carryReadLoop(carryTask);
    }

    /**
     * Delivers held completions in order, as read loops: a loop starts when reading is wanted (autoRead or a
     * pending read()) and ends when the RecvByteBufAllocator says stop, or at end of stream or an error.
     */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    private void deliverInbound() {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        ChannelPipeline pipeline = pipeline();
        while (!inbound.isEmpty() && isOpen()) {
            if (!readLoopOpen) {
                if (!(readingWanted() || forceDelivery)) {
                    return;
                }
                handle = startReadLoop();
                readLoopOpen = true;
            }
            Object item = pollInbound();
            if (inbound.isEmpty()) {
                forceDelivery = false;
            }
            inReadCallback = true;
            try {
                if (isMessage(item)) {
                    fireReceived(handle, item);
                    if (!handle.continueReading()) {
                        endReadLoop();
                    }
                } else if (item == EOF) {
                    handle.lastBytesRead(-1);
                    readPending = false;
                    endReadLoop();
                    closeOnRead();
                } else {
                    Throwable cause = (Throwable) item;
                    readPending = false;
                    endReadLoop();
                    pipeline.fireExceptionCaught(cause);
                    if (cause instanceof IOException) {
                        closeOnRead();
                    }
                }
            } finally {
                inReadCallback = false;
            }
        }
    }

    private void endReadLoop() {
        readLoopOpen = false;
        unsafe().recvBufAllocHandle().readComplete();
        pipeline().fireChannelReadComplete();
    }

    /** End of stream, by Netty's half-closure rules. */
    private void closeOnRead() {
        if (!inputShutdown) {
            if (allowHalfClosure()) {
                shutdownInputQuietly();
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            } else {
                unsafe().close(unsafe().voidPromise());
            }
        } else if (!inputClosedSeenErrorOnRead) {
            inputClosedSeenErrorOnRead = true;
            pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
    }

    private void shutdownInputQuietly() {
        inputShutdown = true;
        try {
            sockets.shutdown(socket, RioConstants.SD_RECEIVE);
        } catch (RioException e) {
            logger.debug("{}: shutdown(SD_RECEIVE) failed", this, e);
        }
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || !isActive();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || !isActive();
    }

    @Override
    public boolean isShutdown() {
        return (inputShutdown && outputShutdown) || !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            shutdownInput0(promise);
        } else {
            loop.execute(() -> shutdownInput0(promise));
        }
        return promise;
    }

    private void shutdownInput0(ChannelPromise promise) {
        if (!isOpen()) {
            promise.setFailure(new java.nio.channels.ClosedChannelException());
            return;
        }
        if (!isActive()) {
            promise.setFailure(new java.nio.channels.NotYetConnectedException());
            return;
        }
        try {
            sockets.shutdown(socket, RioConstants.SD_RECEIVE);
            inputShutdown = true;
            promise.setSuccess();
        } catch (Throwable t) {
            promise.setFailure(t);
        }
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            ((RioUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            loop.execute(() -> ((RioUnsafe) unsafe()).shutdownOutput(promise));
        }
        return promise;
    }

    @Override
    protected void doShutdownOutput() throws Exception {
        if (!isActive()) {
            throw new java.nio.channels.NotYetConnectedException();
        }
        outputShutdown = true;
        if (sends.isEmpty()) {
            sockets.shutdown(socket, RioConstants.SD_SEND);
        } else {
            // Bytes already handed to RIOSend go out first; the FIN follows the last send's completion.
            shutdownOutputPending = true;
        }
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelFuture output = shutdownOutput();
        output.addListener(f -> {
            Throwable outputCause = f.cause();
            shutdownInput().addListener(f2 -> {
                Throwable cause = outputCause != null ? outputCause : f2.cause();
                if (cause == null) {
                    promise.trySuccess();
                } else {
                    if (outputCause != null && f2.cause() != null) {
                        cause.addSuppressed(f2.cause());
                    }
                    promise.tryFailure(cause);
                }
            });
        });
        return promise;
    }

    @Override
    protected void doClose() throws Exception {
        gatherer.clearRegions();
        super.doClose();
    }
}
