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
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelPromise;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.buffer.internal.RioSlot;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * The request-queue engine of the channels that send and receive (stream and datagram), as Netty's
 * {@code AbstractIoUringChannel} is for its io_uring channels: the request queue's life, the {@code RequestContext}
 * encoding, the issue of send batches, the posting and completion of receives, the inbound queue that a read loop
 * drains, and one {@link RioRequestSide} per direction for commits, retries and the wait for registered memory.
 * The leaves keep what differs: how a message becomes sends, how a completed receive goes up the pipeline, and the
 * read loop's rules.
 */
abstract class AbstractRioDataChannel extends AbstractRioChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(AbstractRioDataChannel.class);

    /**
     * {@code RequestContext} of a receive: the low bit of a request's context says send (1) or receive (0), the bits
     * above an index that the channel chooses (the datagram channel's address slot; 0 for a stream, whose
     * completions come back in order).
     */
    static final long CTX_RECEIVE = 0;
    /** {@code RequestContext} of a send, see {@link #CTX_RECEIVE}. */
    static final long CTX_SEND = 1;

    // The request queue, event loop only: none before the channel is active (RIOCreateRequestQueue wants a socket
    // that is connected, or a bound UDP socket).
    long rq;
    int maxSends;
    int maxReceives;
    int receiveSlotSize;
    final RioRequestSide sendSide = new RioRequestSide(this, true);
    final RioRequestSide receiveSide = new RioRequestSide(this, false);
    private final ArrayDeque<RioSend> freeSends = new ArrayDeque<>();
    /** Netty's close, held back while sends are in flight ({@link #deferClose}); event loop only. */
    private ChannelPromise closePromise;
    private Throwable closeCause;
    private ClosedChannelException closeException;
    private boolean closeWasActive;

    // Receives in flight, by index: their slots and the lengths they asked for.
    private RioSlot[] receiveSlots;
    private int[] receiveLengths;
    /** The handler's run ({@link RioIoHandler#runs()}) in which each receive in flight was issued. */
    private long[] receiveRuns;
    /** The oldest receive of a stream, whose completions come back in order. */
    private int receiveHead;
    int receivesInFlight;
    /** Bytes of the slots of the receives in flight: bounded under the ceiling (RioSlotPool#receiveBytesPerChannel). */
    private int postedReceiveBytes;
    /** The slots {@link #postReceives} took, before it posts them. */
    private RioSlot[] pendingSlots = new RioSlot[0];
    private int[] pendingLengths = new int[0];

    // The read loop, event loop only.
    /**
     * Completed receives (messages, errors, end of stream) waiting until someone reads, and beside them, in rings
     * of the same order, how many bytes each receive asked for and the registered bytes its message holds (its
     * slot's capacity): no object per receive but the message itself.
     */
    final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private int[] attempted = new int[16];
    private int[] heldSlotCapacity = new int[16];
    private int attemptedHead;
    /** The registered bytes (slot capacities) the messages in {@link #inbound} hold. */
    long heldSlotBytes;
    /** What the item {@link #pollInbound()} returned last asked for. */
    private int lastAttempted;
    boolean readPending;
    boolean inReadCallback;
    private boolean batchEndScheduled;
    private final Runnable batchEndTask = this::batchEnd;
    /** {@link #readAgain()} as a task, made once: a {@code read()} per message must not create one per call. */
    final Runnable readAgainTask = this::readAgain;

    AbstractRioDataChannel(RioSockets sockets, SocketProtocolFamily family, int type, ChannelMetadata metadata) {
        super(sockets, family, type, metadata);
    }

    AbstractRioDataChannel(Channel parent, RioSockets sockets, long socket, boolean ipv6, ChannelMetadata metadata) {
        super(parent, sockets, socket, ipv6, true, metadata);
    }

    @Override
    final boolean hasRequestQueue() {
        return rq != 0;
    }

    /** Returns the model's registered I/O of the channel's handler. */
    final RegisteredIo rio() {
        return handler.rio();
    }

    /** Encodes a {@code RequestContext}: see {@link #CTX_RECEIVE}. */
    static long requestContext(long kind, int index) {
        return ((long) index << 1) | kind;
    }

    /** Decodes the index of a {@code RequestContext}. */
    static int contextIndex(long context) {
        return (int) (context >>> 1);
    }

    /**
     * Creates the request queue, sized by the channel's options, on the handler's completion queue. Event loop only.
     */
    void createRequestQueue(RioRequestQueueOptions options) throws RioException {
        maxReceives = options.outstandingReceives();
        maxSends = options.outstandingSends();
        receiveSlotSize = options.receiveSlotSize();
        receiveSlots = new RioSlot[maxReceives];
        receiveLengths = new int[maxReceives];
        receiveRuns = new long[maxReceives];
        rq = handler.createRequestQueue(socket, maxReceives, maxSends, registration);
    }

    /** Flushes again, if open: a retry of a refused send, or registered memory came back. */
    final void flushAgain() {
        if (isOpen()) {
            ((RioUnsafe) unsafe()).flushMore();
        }
    }

    /** Delivers what was received and posts receives again, if open and reading is wanted. */
    abstract void readAgain();

    // ------------------------------------------------------------------ sends

    /**
     * Issues {@code batch[0..n)}: all but the last deferred, so the last call commits the batch, and whatever was
     * deferred before a refused send is committed ({@link RioRequestSide#refused}).
     *
     * @param failAlone the UDP policy: a send the provider refuses (WSAENOBUFS included) fails its own datagram
     *                  and the batch goes on, as a failed {@code sendto} fails one datagram on NIO and epoll; else
     *                  the batch stops there, its unsent bytes stay in the outbound buffer, WSAENOBUFS is
     *                  backpressure (retried) and any other refusal is thrown
     */
    final void issueSends(RioSend[] batch, int n, boolean failAlone) throws RioException {
        RegisteredIo rio = rio();
        boolean deferred = false;
        for (int i = 0; i < n; i++) {
            RioSend send = batch[i];
            batch[i] = null;
            int flags = RioRequestSide.batchFlags(i, n);
            try {
                send.issue(rio, rq, flags);
            } catch (RioException e) {
                if (failAlone) {
                    sendRefused(send, e);
                    continue;
                }
                send.releaseData();
                for (int j = i + 1; j < n; j++) {
                    batch[j].releaseData();
                    batch[j] = null;
                }
                if (sendSide.refused(e, deferred ? 1 : 0, sendsInFlight() == 0)) {
                    return;
                }
                throw e;
            }
            deferred = flags != 0;
            registration.requestIssued();
            sendIssued(send);
        }
        if (deferred) {
            // The last sends were refused after deferred ones: commit those, they are in flight.
            sendSide.commit();
        }
    }

    /** A send to fill in, reused from one whose completion came back: no object per send. */
    final RioSend newSend(RioSlot slot, int offset, int length, ByteBuf retained) {
        RioSend send = freeSends.poll();
        if (send == null) {
            send = new RioSend();
        }
        return send.set(slot, offset, length, retained);
    }

    /** {@code send} is done with (completed and accounted): it may be reused. */
    final void recycle(RioSend send) {
        if (freeSends.size() < maxSends) {
            send.set(null, 0, 0, null);
            freeSends.add(send);
        }
    }

    /** How many sends are in flight. */
    abstract int sendsInFlight();

    /** {@code send} was issued: it is in flight until its completion. */
    abstract void sendIssued(RioSend send);

    /**
     * Holds Netty's close back while sends are in flight. A send without a copy holds its own reference to the
     * written buffer until its completion is dequeued, because RIO may read the memory until then ("RIOSend
     * function (mswsock.h)", Remarks). Netty's close fails the flushed messages (releasing them) right after
     * {@code doClose()}: with the send still in flight, the promise would fail while the buffer still carries the
     * transport's reference, one more than Netty's other transports leave. So the socket is closed now, which
     * completes the pending requests with {@code WSA_OPERATION_ABORTED} ("closesocket function (winsock.h)"), and
     * the close runs once the last send is back ({@link #closeIfSendsDrained}): every message is released
     * before its promise fails, and no memory is given back while the kernel may use it. As Netty's
     * {@code AbstractIoUringChannel} delays its close until its writes are cancelled.
     */
    @Override
    final boolean deferClose(ChannelPromise promise, Throwable cause, ClosedChannelException closeException) {
        if (closePromise != null) {
            // A close is already waiting: this one completes with it, as Netty completes a second close.
            if (promise.setUncancellable() && !promise.isVoid()) {
                closeFuture().addListener(f -> promise.trySuccess());
            }
            if (handler.shuttingDown()) {
                // The loop is shutting down and may stop before the sends are back (then no task it is given runs,
                // and the close could never deregister): close now. Memory stays safe, the sends keep their data.
                runDeferredClose();
            }
            return true;
        }
        if (sendsInFlight() == 0 || !isOpen() || handler.shuttingDown()) {
            return false;
        }
        if (!promise.setUncancellable()) {
            // Cancelled: Netty's close does nothing either.
            return true;
        }
        closePromise = promise;
        closeCause = cause;
        this.closeException = closeException;
        closeWasActive = isActive();
        try {
            closeSocketFirst();
        } catch (IOException e) {
            // The requests may not be aborted: close at once, the sends keep their data until they complete.
            logger.debug("{}: closesocket failed", this, e);
            closePromise = null;
            closeCause = null;
            this.closeException = null;
            return false;
        }
        closeIfSendsDrained();
        return true;
    }

    @Override
    final boolean closeDeferred() {
        return closePromise != null;
    }

    /** A send completed after the socket was closed: a close that waits for the sends runs after the last. */
    final void closeIfSendsDrained() {
        if (closePromise != null && sendsInFlight() == 0) {
            runDeferredClose();
        }
    }

    private void runDeferredClose() {
        ChannelPromise promise = closePromise;
        if (promise != null) {
            Throwable cause = closeCause;
            ClosedChannelException exception = closeException;
            closePromise = null;
            closeCause = null;
            closeException = null;
            ((RioUnsafe) unsafe()).closeNow(promise, cause, exception, closeWasActive);
        }
    }

    /** With {@code failAlone}: the provider refused {@code send}, whose message fails. */
    void sendRefused(RioSend send, RioException cause) {
        throw new IllegalStateException("a stream does not fail sends alone", cause);
    }

    // ------------------------------------------------------------------ receives

    /** How long a receive may be: what the allocator guesses, within the receive slot size. */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    int receiveLength(RecvByteBufAllocator.Handle handle) {
        return Math.min(Math.max(handle.guess(), 1), receiveSlotSize);
    }

    /**
     * Returns the smallest slot a receive of {@code length} bytes may take: a stream takes one down to the smallest
     * size class near the ceiling, a datagram needs the whole length.
     */
    abstract int minimumReceiveSlot(int length);

    /** Chooses the index of the next receive. */
    int acquireReceiveIndex() {
        return (receiveHead + receivesInFlight) % maxReceives;
    }

    /** Gives back the index of a receive that completed or was never issued. */
    void releaseReceiveIndex(int index) {
    }

    /** Posts one receive of a batch. */
    abstract void issueReceive(RegisteredIo rio, RioSlot slot, int length, int index, int flags) throws RioException;

    /**
     * Posts receives up to the request queue's capacity, sized by the RecvByteBufAllocator; under the ceiling of
     * registered memory, within the channel's share ({@link RioSlotPool#receiveBytesPerChannel()}), and only one
     * while other channels wait for memory. All but the last of a batch are deferred.
     */
    final void postReceives() throws RioException {
        postReceives(maxReceives);
    }

    /** {@link #postReceives()}, with at most {@code most} receives in flight. */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    final void postReceives(int most) throws RioException {
        if (rq == 0 || receiveSide.commitStillPending()) {
            return;
        }
        int toPost = Math.min(most, maxReceives) - receivesInFlight;
        if (toPost <= 0) {
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        RioSlotPool pool = handler.pool();
        if (pendingSlots.length < toPost) {
            pendingSlots = new RioSlot[toPost];
            pendingLengths = new int[toPost];
        }
        // First take the slots, then post them in one batch.
        int cap = pool.receiveBytesPerChannel();
        long budget = (long) cap - postedReceiveBytes;
        int n = 0;
        boolean refused = false;
        while (n < toPost) {
            int length = receiveLength(handle);
            int minimum = minimumReceiveSlot(length);
            if (receivesInFlight == 0 && n == 0) {
                // A channel may always post one receive (a datagram's whole, a stream's within the share).
                length = Math.min(length, Math.max(cap, minimum));
            } else if (budget < minimum || pool.memoryWanted()) {
                // Its share is posted, or channels wait for memory: this one's completions post again meanwhile.
                break;
            } else {
                length = (int) Math.min(length, budget);
            }
            // Near the ceiling a stream's slot may be smaller than asked for, down to the smallest class.
            RioSlot slot = pool.tryAcquireReceive(length, minimum);
            if (slot == null) {
                refused = true;
                break;
            }
            pendingSlots[n] = slot;
            pendingLengths[n] = Math.min(length, slot.capacity());
            budget -= slot.capacity();
            n++;
        }
        if (n == 0 && refused && receivesInFlight == 0) {
            // The ceiling of registered memory and no receive whose completion would post again.
            receiveSide.awaitMemory();
        }
        RegisteredIo rio = rio();
        for (int i = 0; i < n; i++) {
            RioSlot slot = pendingSlots[i];
            int length = pendingLengths[i];
            pendingSlots[i] = null;
            int index = acquireReceiveIndex();
            slot.requestStarted();
            try {
                issueReceive(rio, slot, length, index, RioRequestSide.batchFlags(i, n));
            } catch (RioException e) {
                slot.requestCompleted();
                slot.release();
                releaseReceiveIndex(index);
                for (int j = i + 1; j < n; j++) {
                    pendingSlots[j].release();
                    pendingSlots[j] = null;
                }
                // WSAENOBUFS: the data waits in the socket; the next receive completion posts again.
                if (receiveSide.refused(e, i, receivesInFlight == 0)) {
                    return;
                }
                throw e;
            }
            registration.requestIssued();
            receiveSlots[index] = slot;
            receiveLengths[index] = length;
            receiveRuns[index] = handler.runs();
            receivesInFlight++;
            postedReceiveBytes += slot.capacity();
        }
    }

    /**
     * RIO's "a read returned nothing", which ends a stream's read loop the allocator wants to go on: the oldest
     * receive in flight was issued in an earlier run of the handler than this one, so it was in the kernel while this
     * run's completions were dequeued, and it is not among them; the socket had no more bytes. RIO fills posted
     * receives in order as bytes arrive ("RIOReceive function (mswsock.h)"), and the Linux provider's multishot
     * receive fills the next posted receive in the same pass as the one before it; so a receive that filled its
     * buffer with more bytes waiting would have been followed by the next one's completion. False without such a
     * receive (every posted one completed, or the next ones were issued in this run).
     */
    final boolean socketFoundEmpty() {
        return receivesInFlight > 0 && receiveRuns[receiveHead] < handler.runs();
    }

    /**
     * A receive completed: takes its slot back from the table and hands it to {@link #receiveCompleted(RioSlot, int,
     * int, int, int)}, whose inbound item (if any) waits for the end of the completion batch.
     */
    final void receiveCompleted(long context, int status, int bytes) {
        int index = isStream() ? receiveHead : contextIndex(context);
        RioSlot slot = receiveSlots == null || index >= receiveSlots.length ? null : receiveSlots[index];
        if (slot == null) {
            logger.warn("{}: receive completion {} without a receive in flight", this, context);
            return;
        }
        receiveSlots[index] = null;
        receivesInFlight--;
        if (isStream()) {
            receiveHead = (receiveHead + 1) % maxReceives;
        }
        int capacity = slot.capacity();
        postedReceiveBytes -= capacity;
        slot.requestCompleted();
        Object item = null;
        int length = receiveLengths[index];
        if (isOpen()) {
            item = receiveCompleted(slot, length, index, status, bytes);
        } else {
            slot.release();
        }
        releaseReceiveIndex(index);
        if (item != null) {
            received(item, length, isMessage(item) ? capacity : 0);
        }
    }

    /** Whether completions of this channel's receives come back in the order they were posted (a stream). */
    abstract boolean isStream();

    /**
     * Turns a completed receive into what goes up the pipeline: a message (a {@code ByteBuf} or a
     * {@code ByteBufHolder}), an exception or a leaf's marker; the slot is the leaf's (to wrap, or release).
     */
    abstract Object receiveCompleted(RioSlot slot, int length, int index, int status, int bytes);

    /**
     * Queues a completed receive; the rest of this batch of completions may hold more of this channel's: they are
     * delivered as one read loop once the batch is dispatched (RIO cannot tell whether more bytes are waiting).
     */
    private void received(Object item, int attemptedBytes, int slotCapacity) {
        int size = inbound.size();
        if (size == attempted.length) {
            attempted = grown(attempted, attemptedHead);
            heldSlotCapacity = grown(heldSlotCapacity, attemptedHead);
            attemptedHead = 0;
        }
        int at = (attemptedHead + size) & (attempted.length - 1);
        attempted[at] = attemptedBytes;
        heldSlotCapacity[at] = slotCapacity;
        heldSlotBytes += slotCapacity;
        inbound.add(item);
        if (!batchEndScheduled) {
            batchEndScheduled = true;
            handler.afterBatch(batchEndTask);
        }
    }

    /** A ring of the inbound queue's order, twice as long, its oldest entry first. */
    private static int[] grown(int[] ring, int head) {
        int[] grown = new int[ring.length * 2];
        for (int i = 0; i < ring.length; i++) {
            grown[i] = ring[(head + i) & (ring.length - 1)];
        }
        return grown;
    }

    private void batchEnd() {
        batchEndScheduled = false;
        batchEnded();
        readAgain();
    }

    /** Called at the end of a completion batch that delivered receives, before {@link #readAgain()}. */
    void batchEnded() {
    }

    /** Whether someone asked to read: autoRead, or a pending {@code read()}. */
    final boolean readingWanted() {
        return config().isAutoRead() || readPending;
    }

    /** autoRead was cleared: a read requested before no longer stands. */
    final void autoReadCleared() {
        readPending = false;
    }

    /** Takes the oldest completed receive, or null. */
    final Object pollInbound() {
        Object item = inbound.poll();
        if (item != null) {
            lastAttempted = attempted[attemptedHead];
            heldSlotBytes -= heldSlotCapacity[attemptedHead];
            attemptedHead = (attemptedHead + 1) & (attempted.length - 1);
        }
        return item;
    }

    /** Whether an inbound item is a message (not an error or a leaf's marker). */
    static boolean isMessage(Object item) {
        return item instanceof ByteBuf || item instanceof ByteBufHolder;
    }

    /** Fires the message {@link #pollInbound()} just returned, accounted to the read loop's {@code handle}. */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    final void fireReceived(RecvByteBufAllocator.Handle handle, Object msg) {
        ByteBuf content = msg instanceof ByteBufHolder holder ? holder.content() : (ByteBuf) msg;
        handle.attemptedBytesRead(lastAttempted);
        handle.lastBytesRead(content.readableBytes());
        handle.incMessagesRead(1);
        readPending = false;
        pipeline().fireChannelRead(msg);
    }

    /** Starts a read loop: resets the allocator's handle. */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    final RecvByteBufAllocator.Handle startReadLoop() {
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        handle.reset(config());
        return handle;
    }

    /** Posts receives; a receive the provider refuses for good (not WSAENOBUFS) fails and closes the channel. */
    final void postReceivesOrClose() {
        postReceivesOrClose(maxReceives);
    }

    /** {@link #postReceivesOrClose()}, with at most {@code most} receives in flight. */
    final void postReceivesOrClose(int most) {
        try {
            postReceives(most);
        } catch (RioException e) {
            // The channel cannot receive any more: it fails as a read error fails NIO's channels, rather than stay
            // open and deaf.
            pipeline().fireExceptionCaught(e);
            unsafe().close(unsafe().voidPromise());
        }
    }

    @Override
    protected void doClose() throws Exception {
        for (Object item : inbound) {
            ReferenceCountUtil.release(item);
        }
        inbound.clear();
        attemptedHead = 0;
        heldSlotBytes = 0;
        super.doClose();
        // Requests still in flight keep their slots (and retained buffers) until their completions are dequeued.
    }
}
