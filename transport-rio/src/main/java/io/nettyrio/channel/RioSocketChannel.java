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
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotByteBuf;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A TCP channel over RIO.
 *
 * <p><b>Writes.</b> {@code write()} only queues into the {@link ChannelOutboundBuffer}. {@code flush()} turns the
 * flushed messages into {@code RIOSend}s: a buffer that already lives in one of this event loop's registered slots
 * is sent as it is; everything else (heap, other direct, composite buffers, {@link FileRegion}s) is copied into
 * registered staging slots, small writes coalesced into one slot. Every send of a flush but the last carries
 * {@code RIO_MSG_DEFER}, so the batch is committed by its last call, and never more sends are in flight than the
 * request queue's {@code MaxOutstandingSend}: the rest waits for completions. RIO sends complete whole and in order,
 * so each completion removes its bytes from the buffer, completing promises in order and updating writability.
 *
 * <p><b>Reads.</b> Receives are posted into registered slots sized by the {@link RecvByteBufAllocator}; a filled
 * slot goes up the pipeline as a {@link RioSlotByteBuf} without a copy and returns to its pool when released. Each
 * completed receive is one {@code channelRead} followed by {@code channelReadComplete}: RIO cannot tell whether more
 * bytes are waiting, and delaying {@code channelReadComplete} until the next receive could stall a protocol.
 */
public final class RioSocketChannel extends AbstractRioChannel implements SocketChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioSocketChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    /** {@code RequestContext} of a receive. */
    static final long CTX_RECEIVE = 1;
    /** {@code RequestContext} of a send. */
    static final long CTX_SEND = 2;
    /** The largest staging slot a flush fills before it starts another. */
    static final int MAX_STAGING_SIZE = 65536;
    /**
     * How soon a flush is retried after a send refused with WSAENOBUFS (a full completion queue), when no
     * completion of the channel is coming to retry it.
     */
    private static final long NOBUFS_RETRY_MILLIS = 1;
    private static final Object EOF = new Object();
    /**
     * How many handler runs without a completion end a carried read loop. Two, because a receive posted in one
     * run may only be submitted by the next port call and reaped by the one after.
     */
    private static final int CARRY_EMPTY_RUNS = 2;

    private final RioSocketChannelConfig config;

    private long rq;
    private int maxSends;
    private int maxReceives;
    private int receiveSlotSize;

    // Write path, event loop only.
    private final ArrayDeque<SendRecord> sends = new ArrayDeque<>();
    private final Gatherer gatherer = new Gatherer();
    /** Bytes handed to RIOSend whose completions have not come back: where the next send starts. */
    private long inFlightBytes;
    /** Bytes of the FileRegion at the head of the outbound buffer whose sends have completed. */
    private long headRegionDone;
    private boolean outputShutdown;
    private boolean shutdownOutputPending;
    private boolean advancing;
    /** How much of each FileRegion in the outbound buffer has been staged, and whether all of it has. */
    private final java.util.IdentityHashMap<FileRegion, RegionState> regionStates = new java.util.IdentityHashMap<>();

    // Read path, event loop only.
    private final ArrayDeque<Receive> receives = new ArrayDeque<>();
    /** Bytes of the slots of {@link #receives}: bounded under the ceiling (RioSlotPool#receiveBytesPerChannel). */
    private int postedReceiveBytes;
    /** The slots postReceives took, before it posts them. */
    private RioSlot[] pendingSlots = new RioSlot[0];
    private int[] pendingLengths = new int[0];
    /** Completed receives (buffers, EOF, errors) held back because nobody asked to read. */
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private boolean readPending;
    private boolean inReadCallback;
    private boolean readLoopOpen;
    private boolean forceDelivery;
    private boolean batchEndScheduled;
    private boolean flushRetryScheduled;
    private boolean receiveRetryScheduled;
    /** Deferred sends (receives) whose RIO_MSG_COMMIT_ONLY failed: they wait for the next commit. */
    private boolean sendCommitPending;
    private boolean receiveCommitPending;
    private final Runnable batchEndTask = this::batchEnd;
    private final Runnable flushRetryTask = this::retryFlush;
    private boolean nobufsRetryScheduled;
    private final Runnable nobufsRetryTask = () -> {
        nobufsRetryScheduled = false;
        flushIfOpen();
    };
    private final Runnable receiveRetryTask = this::retryReceives;
    private boolean receiveNobufsRetryScheduled;
    private final Runnable receiveNobufsRetryTask = () -> {
        receiveNobufsRetryScheduled = false;
        readIfOpen();
    };
    private final Runnable carryTask = this::carryCheck;
    private boolean carried;
    private boolean deliveredThisRun;
    private int emptyRuns;
    private boolean inputShutdown;
    private boolean inputClosedSeenErrorOnRead;

    // Connect, event loop only.
    private ChannelPromise connectPromise;
    private Future<?> connectTimeoutFuture;
    private InetSocketAddress requestedRemote;

    /** Creates an unconnected channel with the provider of this OS ({@link Rio#provider()}). */
    public RioSocketChannel() {
        this(Rio.provider().sockets());
    }

    RioSocketChannel(RioSockets sockets) {
        this(sockets, new boolean[1]);
    }

    private RioSocketChannel(RioSockets sockets, boolean[] ipv6) {
        long socket = newStreamSocket(sockets, ipv6);
        super(null, sockets, socket, ipv6[0], false);
        config = new RioSocketChannelConfig(this);
    }

    RioSocketChannel(RioServerSocketChannel parent, RioSockets sockets, long socket, boolean ipv6) {
        super(parent, sockets, socket, ipv6, true);
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
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public RioSocketChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected AbstractRioUnsafe newUnsafe() {
        return new RioSocketUnsafe();
    }

    @Override
    void registered0() throws Exception {
        if (active && rq == 0) {
            createRequestQueue();
        }
    }

    @Override
    boolean hasRequestQueue() {
        return rq != 0;
    }

    private void createRequestQueue() throws RioException {
        maxReceives = config.outstandingReceives();
        maxSends = config.outstandingSends();
        receiveSlotSize = config.receiveSlotSize();
        rq = handler.createRequestQueue(socket, maxReceives, maxSends, registration);
    }

    private RegisteredIo rio() {
        return handler.rio();
    }

    @Override
    void handleEvent(RioIoEvent event) {
        if (event.kind() == RioIoEvent.PORT) {
            connectComplete(event.status());
        } else if (event.requestContext() == CTX_SEND) {
            sendComplete(event.status(), event.result());
        } else if (event.requestContext() == CTX_RECEIVE) {
            receiveComplete(event.status(), (int) event.result());
        } else {
            logger.warn("{}: completion with an unknown RequestContext: {}", this, event);
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
            promise.tryFailure(connectException(status, requestedRemote));
            unsafe().close(unsafe().voidPromise());
            return;
        }
        try {
            InetSocketAddress peer = fromNative(sockets.remoteAddress(socket));
            remote = peer != null ? peer : requestedRemote;
            local = fromNative(sockets.localAddress(socket));
            createRequestQueue();
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
        readIfRequested();
    }

    private static IOException connectException(int status, InetSocketAddress remote) {
        RioException cause = new RioException("ConnectEx", status);
        String message = switch (status) {
            case WsaError.WSAECONNREFUSED -> "Connection refused: " + remote;
            case WsaError.WSAETIMEDOUT -> "Connection timed out: " + remote;
            case WsaError.WSAENETUNREACH -> "Network is unreachable: " + remote;
            case WsaError.WSAEHOSTUNREACH -> "No route to host: " + remote;
            default -> WsaError.name(status) + ": " + remote;
        };
        ConnectException e = new ConnectException(message);
        e.initCause(cause);
        return e;
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
        if (sendCommitPending && rq != 0) {
            commitDeferred(false);
        }
        // Messages that are done (empty) and at the head complete now, in order.
        advance(in, 0);
        if (rq == 0 || outputShutdown || in.isEmpty() || sends.size() >= maxSends) {
            return;
        }
        Gatherer g = gatherer;
        g.start(in, maxSends - sends.size());
        try {
            in.forEachFlushedMessage(g);
            g.closeStaging();
        } catch (Throwable t) {
            g.discardAll();
            throw t;
        }
        boolean starved = g.starved;
        issue(g);
        if (starved && sends.isEmpty()) {
            // The ceiling of registered memory and no send in flight whose completion would flush again: the
            // writes wait (backpressure, never an error) and the flush runs again as soon as a slot comes back.
            awaitMemory(true);
        }
    }

    /**
     * Waits for registered memory (the ceiling was reached): the flush, or the posting of receives, runs again as
     * soon as any thread gives a slot back. Event loop only.
     */
    private void awaitMemory(boolean flush) {
        if (flush ? flushRetryScheduled : receiveRetryScheduled) {
            return;
        }
        if (flush) {
            flushRetryScheduled = true;
        } else {
            receiveRetryScheduled = true;
        }
        handler.pool().awaitMemory(flush ? flushRetryTask : receiveRetryTask);
    }

    private void retryFlush() {
        flushRetryScheduled = false;
        flushIfOpen();
    }

    private void flushIfOpen() {
        if (isOpen()) {
            ((RioSocketUnsafe) unsafe()).flushMore();
        }
    }

    private void readIfOpen() {
        if (isOpen()) {
            readIfRequested();
        }
    }

    private void retryReceives() {
        receiveRetryScheduled = false;
        readIfOpen();
    }

    /** Issues the gathered sends: all but the last deferred, so the last call commits the batch. */
    private void issue(Gatherer g) throws RioException {
        int n = g.count;
        RegisteredIo rio = rio();
        for (int i = 0; i < n; i++) {
            SendRecord record = g.records[i];
            int flags = i < n - 1 ? RioConstants.RIO_MSG_DEFER : 0;
            try {
                rio.send(rq, record.slot.rioBuf(record.offset, record.length), 1, flags, CTX_SEND);
            } catch (RioException e) {
                for (int j = i; j < n; j++) {
                    g.records[j].discard();
                }
                g.clear();
                if (e.wsaError() == WsaError.WSAENOBUFS) {
                    // RIOSend refuses a request with WSAENOBUFS while the completion queue is full (rio-reference
                    // §2): backpressure, not a failure. The unsent bytes stay in the outbound buffer and go out
                    // once completions have made room. Those already queued were deferred: commit them.
                    if (i > 0) {
                        commitDeferred(false);
                    }
                    sendsRefused();
                    return;
                }
                if (i > 0) {
                    // Those already queued were deferred: commit them, they are in flight now.
                    try {
                        rio.send(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    } catch (RioException e2) {
                        e.addSuppressed(e2);
                    }
                }
                throw e;
            }
            registration.requestIssued();
            sends.add(record);
            inFlightBytes += record.length;
        }
        g.clear();
    }

    private void sendComplete(int status, long bytes) {
        SendRecord record = sends.poll();
        if (record == null) {
            logger.warn("{}: send completion without a send in flight", this);
            return;
        }
        record.complete();
        inFlightBytes -= record.length;
        if (sends.isEmpty() && shutdownOutputPending) {
            shutdownOutputPending = false;
            try {
                sockets.shutdown(socket, RioConstants.SD_SEND);
            } catch (RioException e) {
                logger.debug("{}: deferred shutdown(SD_SEND) failed", this, e);
            }
        }
        if (!isOpen()) {
            return;
        }
        RioSocketUnsafe unsafe = (RioSocketUnsafe) unsafe();
        if (status != 0) {
            unsafe.writeFailed(ioException("RIOSend", status));
            return;
        }
        if (bytes != record.length) {
            // RIO completes a send only once all its bytes are sent; anything else is a provider bug.
            logger.warn("{}: RIOSend of {} bytes completed with {}", this, record.length, bytes);
        }
        ChannelOutboundBuffer in = unsafe.outboundBuffer();
        if (in != null) {
            advance(in, record.length);
            // A listener may have closed the channel meanwhile: look the buffer up again.
            in = unsafe.outboundBuffer();
            if (in != null && !in.isEmpty()) {
                unsafe.flushMore();
            }
        }
    }

    /**
     * Commits the deferred sends (or receives) with {@code RIO_MSG_COMMIT_ONLY}. If that call fails, nothing was
     * committed: the deferred requests would wait for a completion that cannot come, so the commit is retried
     * shortly (any later call without {@code RIO_MSG_DEFER} commits them too, rio-reference §2). Event loop only.
     */
    private void commitDeferred(boolean receive) {
        try {
            if (receive) {
                rio().receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                receiveCommitPending = false;
            } else {
                rio().send(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                sendCommitPending = false;
            }
        } catch (RioException e) {
            logger.debug("{}: RIO_MSG_COMMIT_ONLY failed, retrying", this, e);
            if (receive) {
                receiveCommitPending = true;
            } else {
                sendCommitPending = true;
            }
            retryLater(!receive);
        }
    }

    /**
     * A send was refused with WSAENOBUFS. A send completion flushes again by itself; with none in flight, nothing
     * would, so the flush is retried shortly: the completion queue drains as the event loop dequeues it.
     */
    private void sendsRefused() {
        if (sends.isEmpty()) {
            retryLater(true);
        }
    }

    /**
     * Runs the flush (or the posting of receives) again shortly, after a call the provider refused: WSAENOBUFS
     * while the completion queue is full, or a failed commit. Unlike the ceiling ({@link #awaitMemory}), no release
     * of memory signals the end of this condition; the queue drains as the event loop dequeues it. Event loop only.
     */
    private void retryLater(boolean flush) {
        if (flush) {
            if (!nobufsRetryScheduled) {
                nobufsRetryScheduled = true;
                eventLoop().schedule(nobufsRetryTask, NOBUFS_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } else if (!receiveNobufsRetryScheduled) {
            receiveNobufsRetryScheduled = true;
            eventLoop().schedule(receiveNobufsRetryTask, NOBUFS_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Removes {@code bytes} completed bytes from the head of the outbound buffer, completing the promises of the
     * messages that are done, and removes empty messages that reach the head.
     */
    private void advance(ChannelOutboundBuffer in, long bytes) {
        // Completing a promise runs listeners, which may write and flush: that nested doWrite must not gather
        // while completed bytes are still at the head (they would be sent twice), so it waits (see doWrite).
        advancing = true;
        try {
            advance0(in, bytes);
        } finally {
            advancing = false;
        }
    }

    private void advance0(ChannelOutboundBuffer in, long bytes) {
        long n = bytes;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            if (msg instanceof ByteBuf buf) {
                int readable = buf.readableBytes();
                if (readable == 0) {
                    in.remove();
                    continue;
                }
                if (n == 0) {
                    break;
                }
                if (readable <= n) {
                    in.progress(readable);
                    n -= readable;
                    in.remove();
                } else {
                    buf.skipBytes((int) n);
                    in.progress(n);
                    break;
                }
            } else if (msg instanceof FileRegion region) {
                RegionState state = regionStates.get(region);
                long length = state != null && state.complete ? state.staged : region.count();
                long remaining = length - headRegionDone;
                if (remaining <= 0) {
                    headRegionDone = 0;
                    regionStates.remove(region);
                    in.remove();
                    continue;
                }
                if (n == 0) {
                    break;
                }
                if (remaining <= n) {
                    in.progress(remaining);
                    n -= remaining;
                    headRegionDone = 0;
                    regionStates.remove(region);
                    in.remove();
                } else {
                    headRegionDone += n;
                    in.progress(n);
                    break;
                }
            } else {
                in.remove(new UnsupportedOperationException("unsupported message type: "
                        + StringUtil.simpleClassName(msg)));
            }
        }
    }

    /** What has been staged of one FileRegion. */
    private static final class RegionState {
        long staged;
        boolean complete;
    }

    /** One RIOSend in flight: a registered slot, a slice of it, and what to give back when it completes. */
    private static final class SendRecord {
        final RioSlot slot;
        final int offset;
        final int length;
        /** The user's buffer when sent without a copy (retained until completion), else null: a staging slot. */
        final ByteBuf zeroCopy;

        SendRecord(RioSlot slot, int offset, int length, ByteBuf zeroCopy) {
            this.slot = slot;
            this.offset = offset;
            this.length = length;
            this.zeroCopy = zeroCopy;
        }

        /** The completion was dequeued: RIO no longer references the slot. */
        void complete() {
            slot.requestCompleted();
            if (zeroCopy != null) {
                zeroCopy.release();
            } else {
                slot.release();
            }
        }

        /** The send was never issued. */
        void discard() {
            complete();
        }
    }

    /**
     * Walks the flushed messages once per flush, skipping the bytes already in flight, and turns what follows
     * into send records, within the free send capacity.
     */
    private final class Gatherer implements ChannelOutboundBuffer.MessageProcessor {
        SendRecord[] records = new SendRecord[16];
        int count;
        private int capacity;
        private long skip;
        private boolean first;
        /** No slot was to be had under the ceiling of registered memory. */
        boolean starved;
        private long estimate;
        private RioSlot staging;
        private int stagingUsed;

        void start(ChannelOutboundBuffer in, int capacity) {
            starved = false;
            this.capacity = capacity;
            if (records.length < capacity) {
                records = new SendRecord[capacity];
            }
            count = 0;
            skip = inFlightBytes;
            first = true;
            estimate = Math.max(0, in.totalPendingWriteBytes() - inFlightBytes);
            staging = null;
            stagingUsed = 0;
        }

        @Override
        public boolean processMessage(Object msg) throws Exception {
            boolean head = first;
            first = false;
            if (count >= capacity) {
                return false;
            }
            if (msg instanceof ByteBuf buf) {
                return gatherBuffer(buf);
            }
            if (msg instanceof FileRegion region) {
                return gatherRegion(region, head ? headRegionDone : 0);
            }
            // filterOutboundMessage lets nothing else in.
            throw new IllegalStateException("unexpected message " + StringUtil.simpleClassName(msg));
        }

        private boolean gatherBuffer(ByteBuf buf) throws RioException {
            long remaining = buf.readableBytes();
            if (skip >= remaining) {
                skip -= remaining;
                return true;
            }
            int offset = (int) skip;
            skip = 0;
            remaining -= offset;
            // Any buffer whose readable bytes lie in one registered slot (received, or from RioByteBufAllocator)
            // is sent as it is: the slot is its own registration, so the send holds it whole.
            RioSlot registered = offset == 0 ? handler.pool().slotOf(buf) : null;
            if (registered != null) {
                closeStaging();
                if (count >= capacity) {
                    return false;
                }
                // Atomic: a buffer written to two channels at once is sent from by one and copied by the other.
                if (registered.tryRequestStarted()) {
                    add(new SendRecord(registered, RioSlotPool.offsetIn(registered, buf), (int) remaining,
                            buf.retain()));
                    estimate -= remaining;
                    handler.metric().sentZeroCopy(remaining);
                    return true;
                }
            }
            int index = buf.readerIndex() + offset;
            while (remaining > 0) {
                if (!openStaging(remaining)) {
                    return false;
                }
                int n = (int) Math.min(remaining, staging.capacity() - stagingUsed);
                buf.getBytes(index, staging.memory().asSlice(stagingUsed, n).asByteBuffer());
                handler.metric().copied(n);
                index += n;
                remaining -= n;
                stagingUsed += n;
                estimate -= n;
                if (stagingUsed == staging.capacity()) {
                    closeStaging();
                }
            }
            return true;
        }

        private boolean gatherRegion(FileRegion region, long done) throws IOException {
            RegionState state = regionStates.get(region);
            if (state == null) {
                state = new RegionState();
                regionStates.put(region, state);
            }
            if (region.transferred() >= region.count()) {
                state.complete = true;
            }
            // Bytes staged from this region and not yet completed are exactly what is left to skip here:
            // everything after the region's staged part is unstaged.
            long inFlight = state.staged - done;
            if (skip >= inFlight && state.complete) {
                skip -= inFlight;
                return true;
            }
            skip = 0;
            while (!state.complete) {
                if (!openStaging(region.count() - region.transferred())) {
                    return false;
                }
                int room = staging.capacity() - stagingUsed;
                SlotWriter writer = new SlotWriter(staging.memory().asSlice(stagingUsed, room).asByteBuffer());
                // Netty's convention: transfer from transferred(); a region is done when transferred() reaches
                // count(), and what it wrote into the slot is what goes out (as NIO counts it).
                long written = region.transferTo(writer, region.transferred());
                if (written < 0 || written > room) {
                    throw new IOException("FileRegion " + region + " reported " + written + " bytes for " + room
                            + " of room");
                }
                state.staged += written;
                handler.metric().copied(written);
                stagingUsed += (int) written;
                estimate -= written;
                if (region.transferred() >= region.count()) {
                    state.complete = true;
                } else if (written == 0 && stagingUsed < staging.capacity()) {
                    throw new IOException("FileRegion " + region + " gave no bytes at " + region.transferred()
                            + " of " + region.count());
                }
                if (stagingUsed == staging.capacity()) {
                    closeStaging();
                }
            }
            return true;
        }

        private boolean openStaging(long remaining) throws RioException {
            if (staging != null) {
                return true;
            }
            if (count >= capacity) {
                return false;
            }
            RioSlotPool pool = handler.pool();
            if ((count > 0 || !sends.isEmpty()) && pool.memoryWanted()) {
                // Channels wait for registered memory: this one has sends going, whose completions flush again,
                // so it leaves the next free slot to them.
                starved = true;
                return false;
            }
            long want = Math.min(MAX_STAGING_SIZE, Math.max(remaining, estimate));
            // Near the ceiling the slot may be smaller than asked for, down to the smallest class.
            staging = pool.tryAcquireStaging((int) want, RioByteBufAllocator.SMALLEST_SLOT_SIZE);
            if (staging == null) {
                // The ceiling of registered memory: what is gathered goes out, the rest waits for slots.
                starved = true;
                return false;
            }
            stagingUsed = 0;
            return true;
        }

        void closeStaging() {
            RioSlot slot = staging;
            if (slot == null) {
                return;
            }
            staging = null;
            if (stagingUsed == 0) {
                slot.release();
                return;
            }
            slot.requestStarted();
            add(new SendRecord(slot, 0, stagingUsed, null));
            stagingUsed = 0;
        }

        private void add(SendRecord record) {
            records[count++] = record;
        }

        void discardAll() {
            if (staging != null) {
                staging.release();
                staging = null;
            }
            for (int i = 0; i < count; i++) {
                records[i].discard();
            }
            clear();
        }

        void clear() {
            for (int i = 0; i < count; i++) {
                records[i] = null;
            }
            count = 0;
        }
    }

    /** The target a FileRegion transfers into: a window of a staging slot. */
    private static final class SlotWriter implements java.nio.channels.WritableByteChannel {
        private final java.nio.ByteBuffer target;

        SlotWriter(java.nio.ByteBuffer target) {
            this.target = target;
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            int n = Math.min(src.remaining(), target.remaining());
            if (n == src.remaining()) {
                target.put(src);
            } else {
                java.nio.ByteBuffer part = src.duplicate();
                part.limit(part.position() + n);
                target.put(part);
                src.position(src.position() + n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
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
            eventLoop().execute(this::readIfRequested);
            return;
        }
        if (rq != 0) {
            postReceives();
        }
    }

    void autoReadCleared() {
        readPending = false;
    }

    /**
     * Posts receives up to the request queue's capacity, sized by the RecvByteBufAllocator; under the ceiling of
     * registered memory, within the channel's share ({@link RioSlotPool#receiveBytesPerChannel()}), and only one
     * while other channels wait for memory.
     */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    private void postReceives() throws RioException {
        if (rq == 0 || !isActive() || inputShutdown) {
            return;
        }
        if (receiveCommitPending) {
            commitDeferred(true);
            if (receiveCommitPending) {
                return;
            }
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        RioSlotPool pool = handler.pool();
        int toPost = maxReceives - receives.size();
        if (toPost <= 0) {
            return;
        }
        if (pendingSlots.length < toPost) {
            pendingSlots = new RioSlot[toPost];
            pendingLengths = new int[toPost];
        }
        // First take the slots, then post them in one batch: all but the last deferred, so the last commits.
        int cap = pool.receiveBytesPerChannel();
        long budget = (long) cap - postedReceiveBytes;
        int n = 0;
        boolean refused = false;
        while (n < toPost) {
            // The allocator decides how much one receive asks for (a slot holds at least that much).
            int length = Math.min(Math.max(handle.guess(), 1), receiveSlotSize);
            if (receives.isEmpty() && n == 0) {
                // A channel may always post one receive.
                length = Math.min(length, cap);
            } else if (budget < RioByteBufAllocator.SMALLEST_SLOT_SIZE || pool.memoryWanted()) {
                // Its share is posted, or channels wait for memory: this one's completions post again meanwhile.
                break;
            } else {
                length = (int) Math.min(length, budget);
            }
            // Near the ceiling the slot may be smaller than asked for, down to the smallest class.
            RioSlot slot = pool.tryAcquireReceive(length, RioByteBufAllocator.SMALLEST_SLOT_SIZE);
            if (slot == null) {
                refused = true;
                break;
            }
            pendingSlots[n] = slot;
            pendingLengths[n] = Math.min(length, slot.capacity());
            budget -= slot.capacity();
            n++;
        }
        if (n == 0 && refused && receives.isEmpty()) {
            // The ceiling of registered memory and no receive whose completion would post again: wait until a
            // slot comes back (backpressure, never an error).
            awaitMemory(false);
        }
        RegisteredIo rio = rio();
        for (int i = 0; i < n; i++) {
            RioSlot slot = pendingSlots[i];
            int length = pendingLengths[i];
            pendingSlots[i] = null;
            int flags = i < n - 1 ? RioConstants.RIO_MSG_DEFER : 0;
            slot.requestStarted();
            try {
                rio.receive(rq, slot.rioBuf(0, length), 1, flags, CTX_RECEIVE);
            } catch (RioException e) {
                slot.requestCompleted();
                slot.release();
                for (int j = i + 1; j < n; j++) {
                    pendingSlots[j].release();
                    pendingSlots[j] = null;
                }
                if (e.wsaError() == WsaError.WSAENOBUFS) {
                    // RIOReceive refuses a request with WSAENOBUFS while the completion queue is full
                    // (rio-reference §2), as RIOSend does: backpressure, not a failure of the channel. The next
                    // receive completion posts again; with none in flight, retry shortly.
                    if (i > 0) {
                        commitDeferred(true);
                    }
                    if (receives.isEmpty()) {
                        retryLater(false);
                    }
                    return;
                }
                if (i > 0) {
                    // Those already posted were deferred: commit them.
                    try {
                        rio.receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    } catch (RioException e2) {
                        e.addSuppressed(e2);
                    }
                }
                throw e;
            }
            registration.requestIssued();
            receives.add(new Receive(slot, length));
            postedReceiveBytes += slot.capacity();
        }
    }

    private void receiveComplete(int status, int bytes) {
        Receive receive = receives.poll();
        if (receive == null) {
            logger.warn("{}: receive completion without a receive in flight", this);
            return;
        }
        RioSlot slot = receive.slot;
        postedReceiveBytes -= slot.capacity();
        slot.requestCompleted();
        if (!isOpen()) {
            slot.release();
            return;
        }
        Object item;
        if (status != 0) {
            slot.release();
            boolean afterOwnShutdown = inputShutdown && (status == WsaError.WSA_OPERATION_ABORTED
                    || status == WsaError.WSAESHUTDOWN);
            item = afterOwnShutdown ? EOF : ioException("RIOReceive", status);
        } else if (bytes == 0 || inputShutdown) {
            // Zero bytes with status 0 is a graceful close by the peer; bytes after our own shutdownInput are
            // dropped, as a read after shutdownInput sees end of stream on Netty's other transports.
            slot.release();
            item = EOF;
        } else {
            item = new Received(RioSlotByteBuf.tracked(config.getAllocator(), slot, bytes), receive.length);
        }
        inbound.add(item);
        if (!(item instanceof Received)) {
            // End of stream or an error is delivered even if nobody asked to read, with the data before it, as
            // epoll does once it sees EPOLLRDHUP: a half-closure or a reset must not wait for a read() that may
            // never come.
            forceDelivery = true;
        }
        if (!batchEndScheduled) {
            // The rest of this batch of completions may hold more receives of this channel: deliver them as one
            // read loop, and end it when the batch is done (RIO cannot tell whether more bytes are waiting).
            batchEndScheduled = true;
            handler.afterBatch(batchEndTask);
        }
    }

    private void batchEnd() {
        batchEndScheduled = false;
        deliveredThisRun = true;
        readIfRequested();
    }

    /**
     * Delivers the completed receives someone asked for, decides whether the read loop goes on, and keeps receives
     * posted while reading is wanted.
     */
    private void readIfRequested() {
        deliverInbound();
        if (readLoopOpen) {
            if (isActive() && !inputShutdown && unsafe().recvBufAllocHandle().continueReading()) {
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
        if (!isActive() || !(config.isAutoRead() || readPending || readLoopOpen) || !inbound.isEmpty()) {
            return;
        }
        if (inputShutdown) {
            if (receives.isEmpty() && !inputClosedSeenErrorOnRead) {
                // A read after the input was shut down sees end of stream once more (Netty's NIO does the same).
                readPending = false;
                inputClosedSeenErrorOnRead = true;
                ChannelPipeline pipeline = pipeline();
                pipeline.fireChannelReadComplete();
                pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            }
            return;
        }
        try {
            postReceives();
        } catch (RioException e) {
            pipeline().fireExceptionCaught(e);
            unsafe().close(unsafe().voidPromise());
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
        } else if (++emptyRuns >= CARRY_EMPTY_RUNS) {
            // Nothing more arrived: the read loop is over, as a read returning 0 ends NIO's.
            endReadLoop();
            readIfRequested();
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
                if (!(config.isAutoRead() || readPending || forceDelivery)) {
                    return;
                }
                handle.reset(config);
                readLoopOpen = true;
            }
            Object item = inbound.poll();
            if (inbound.isEmpty()) {
                forceDelivery = false;
            }
            inReadCallback = true;
            try {
                if (item instanceof Received received) {
                    ByteBuf buf = received.buf;
                    handle.attemptedBytesRead(received.attempted);
                    handle.lastBytesRead(buf.readableBytes());
                    handle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(buf);
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

    /** A receive in flight: its slot and how many bytes it asked for. */
    private record Receive(RioSlot slot, int length) {
    }

    /** A completed receive waiting to go up the pipeline. */
    private record Received(ByteBuf buf, int attempted) {
    }

    /** End of stream, by Netty's half-closure rules. */
    private void closeOnRead() {
        if (!inputShutdown) {
            if (config.isAllowHalfClosure()) {
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

    private static IOException ioException(String call, int status) {
        RioException cause = new RioException(call, status);
        IOException e = switch (status) {
            case WsaError.WSAECONNRESET, WsaError.ERROR_NETNAME_DELETED, WsaError.WSAECONNABORTED,
                 WsaError.WSAENETRESET -> new SocketException("Connection reset by peer (" + WsaError.name(status)
                    + ')');
            default -> new IOException(cause.getMessage());
        };
        e.initCause(cause);
        return e;
    }

    // ------------------------------------------------------------------ shutdown and close

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
            ((RioSocketUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            loop.execute(() -> ((RioSocketUnsafe) unsafe()).shutdownOutput(promise));
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
        for (Object item : inbound) {
            if (item instanceof Received received) {
                received.buf.release();
            }
        }
        inbound.clear();
        regionStates.clear();
        super.doClose();
        // Sends and receives still in flight keep their slots (and retained buffers) until their completions are
        // dequeued: see sendComplete and receiveComplete.
    }

    /** The Unsafe: connect, and the hooks the completion handlers need. */
    private final class RioSocketUnsafe extends AbstractRioUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            // The promise stays cancellable while the connect is pending, as in Netty's NIO, epoll and io_uring
            // transports: cancelling it closes the channel, and the close aborts the provider's pending connect.
            if (promise.isDone() || !ensureOpen(promise)) {
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
                sockets.connect(socket, toNative(remote), handler.port(), RioIoHandler.KEY_SOCKET,
                        registration.id());
                registration.requestIssued();
                connectPromise = promise;
                int timeoutMillis = config.getConnectTimeoutMillis();
                if (timeoutMillis > 0) {
                    connectTimeoutFuture = eventLoop().schedule(() -> {
                        ChannelPromise p = connectPromise;
                        if (p != null && !p.isDone() && p.tryFailure(new ConnectTimeoutException(
                                "connection timed out after " + timeoutMillis + " ms: " + remote))) {
                            close(voidPromise());
                        }
                    }, timeoutMillis, TimeUnit.MILLISECONDS);
                }
                promise.addListener(f -> {
                    if (f.isCancelled()) {
                        if (connectTimeoutFuture != null) {
                            connectTimeoutFuture.cancel(false);
                        }
                        connectPromise = null;
                        close(voidPromise());
                    }
                });
            } catch (Throwable t) {
                promise.tryFailure(annotateConnectException(t, remoteAddress));
                closeIfClosed();
            }
        }

        void writeFailed(IOException cause) {
            handleWriteError(cause);
        }

        void flushMore() {
            flush0();
        }
    }
}
