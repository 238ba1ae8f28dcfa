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
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A UDP {@link DatagramChannel} over RIO: {@code RIOReceiveEx} and {@code RIOSendEx} on a registered-I/O UDP
 * socket.
 *
 * <p><b>Reads.</b> While reading is wanted, {@link RioChannelOption#RIO_OUTSTANDING_RECEIVES} receives are kept
 * posted, each into a registered slot sized by the {@link RecvByteBufAllocator}, with the sender's
 * {@code SOCKADDR_INET} written by RIO into an address slot of its own (one per outstanding receive). A completion
 * goes up the pipeline as a {@link DatagramPacket} whose content is the filled slot, without a copy (under Netty's
 * leak detection, as the TCP channel's receives).
 *
 * <p><b>Writes.</b> {@link DatagramPacket}s and {@link AddressedEnvelope}s go to their recipient with
 * {@code RIOSendEx} (the destination in an address slot of its own, one per outstanding send); a plain
 * {@link ByteBuf} on a connected channel goes with {@code RIOSend}. A content already in one of the loop's
 * registered slots is sent as it is; anything else is copied into a registered slot. An empty datagram is sent with
 * {@code pData} NULL and {@code DataBufferCount} 0, which the RIOSend page allows on a bound UDP socket. Every send
 * of a flush but the last carries {@code RIO_MSG_DEFER}, so one call commits the batch, and never more than
 * {@link RioChannelOption#RIO_OUTSTANDING_SENDS} are in flight. A promise completes when its send's completion is
 * dequeued.
 *
 * <p>A datagram larger than {@value #MAX_DATAGRAM_SIZE} bytes, or a plain {@link ByteBuf} written on an unconnected
 * channel, fails its promise ({@link IllegalArgumentException}, {@link NotYetConnectedException}) and the channel
 * stays open.
 */
public final class RioDatagramChannel extends AbstractRioChannel implements DatagramChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioDatagramChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);

    /** The largest UDP payload over IPv4: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int MAX_DATAGRAM_SIZE = 65507;

    /** Low bit of a {@code RequestContext}: a send; the address slot index is in the bits above. */
    static final long CTX_SEND = 1;
    /** Low bit of a {@code RequestContext}: a receive. */
    static final long CTX_RECEIVE = 0;

    private final RioDatagramChannelConfig config;

    private long rq;
    private int maxSends;
    private int maxReceives;
    private int receiveSlotSize;
    private RioDatagramAddresses sendAddresses;
    private RioDatagramAddresses receiveAddresses;
    private volatile boolean connected;

    // Write path, event loop only.
    /** One record per flushed message taken from the outbound buffer's head, in order. */
    private final ArrayDeque<SendRecord> records = new ArrayDeque<>();
    /** In-flight sends by address slot index. */
    private SendRecord[] inFlightSends;
    private int sendsInFlight;
    private SendRecord[] batch;
    private final Preparer preparer = new Preparer();
    private boolean advancing;

    // Read path, event loop only.
    private Receive[] inFlightReceives;
    private int receivesInFlight;
    /** Completed receives (packets or errors) waiting for delivery. */
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private boolean readPending;
    private boolean batchEndScheduled;
    private boolean inReadCallback;
    private boolean receiveRetryScheduled;
    /** How soon a refused receive or a failed commit is retried. */
    private static final long RETRY_MILLIS = 1;
    private final Runnable batchEndTask = this::batchEnd;
    /** Waiting for registered memory (the ceiling): a flush, or the posting of receives. */
    private boolean flushWaitsForMemory;
    /** Bytes of the slots of the receives in flight. */
    private int postedReceiveBytes;
    private boolean receiveWaitsForMemory;
    private final Runnable flushRetryTask = this::retryFlush;
    private final Runnable receiveRetryTask = this::retryReceives;

    /**
     * Creates a channel over a dual-stack IPv6 socket (IPv4 peers as IPv4-mapped addresses), or an IPv4 socket if
     * the machine has no IPv6, with the provider of this OS ({@link Rio#provider()}).
     */
    public RioDatagramChannel() {
        this(Rio.provider().sockets(), (SocketProtocolFamily) null);
    }

    /**
     * Creates a channel for {@code family}, as {@code NioDatagramChannel(InternetProtocolFamily)} does.
     *
     * @deprecated use {@link #RioDatagramChannel(SocketProtocolFamily)}
     */
    @Deprecated
    public RioDatagramChannel(InternetProtocolFamily family) {
        this(Rio.provider().sockets(), family == null ? null : family.toSocketProtocolFamily());
    }

    /**
     * Creates a channel for {@code family} ({@link SocketProtocolFamily#INET} or {@link SocketProtocolFamily#INET6};
     * an IPv6 socket is dual-stack), as {@code NioDatagramChannel(SocketProtocolFamily)} does; {@code null} means the
     * default of {@link #RioDatagramChannel()}.
     *
     * @throws UnsupportedOperationException for {@link SocketProtocolFamily#UNIX}
     */
    public RioDatagramChannel(SocketProtocolFamily family) {
        this(Rio.provider().sockets(), family);
    }

    RioDatagramChannel(RioSockets sockets, SocketProtocolFamily family) {
        this(sockets, family, new boolean[1]);
    }

    private RioDatagramChannel(RioSockets sockets, SocketProtocolFamily family, boolean[] ipv6) {
        long socket = newDatagramSocket(sockets, family, ipv6);
        super(null, sockets, socket, ipv6[0], false);
        config = new RioDatagramChannelConfig(this);
    }

    private static long newDatagramSocket(RioSockets sockets, SocketProtocolFamily family, boolean[] ipv6Out) {
        if (family == SocketProtocolFamily.UNIX) {
            throw new UnsupportedOperationException("RIO datagram channels are UDP only: " + family);
        }
        try {
            if (family == SocketProtocolFamily.INET) {
                ipv6Out[0] = false;
                return sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_DGRAM);
            }
            try {
                long s = sockets.socket(RioConstants.AF_INET6, RioConstants.SOCK_DGRAM);
                ipv6Out[0] = true;
                return s;
            } catch (RioException e6) {
                if (family == SocketProtocolFamily.INET6) {
                    throw e6;
                }
                ipv6Out[0] = false;
                return sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_DGRAM);
            }
        } catch (RioException e) {
            throw new ChannelException("cannot create a RIO UDP socket", e);
        }
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public RioDatagramChannelConfig config() {
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
    public boolean isConnected() {
        return connected && isActive();
    }

    @Override
    protected AbstractRioUnsafe newUnsafe() {
        return new RioDatagramUnsafe();
    }

    @Override
    boolean hasRequestQueue() {
        return rq != 0;
    }

    @Override
    void registered0() throws Exception {
        if (!active && config.activeOnRegistration()) {
            // RIOSend and RIOSendEx want a bound UDP socket (seed): bind to the wildcard address as sendto would.
            bindWildcard();
            becomeActive();
        } else if (active && rq == 0) {
            createRequestQueue();
        }
    }

    private void bindWildcard() throws RioException {
        if (localAddress0() == null) {
            sockets.bind(socket, new InetSocketAddress(ipv6 ? "::" : "0.0.0.0", 0));
            local = fromNative(sockets.localAddress(socket));
        }
    }

    private void becomeActive() throws RioException {
        active = true;
        if (rq == 0 && registration != null) {
            createRequestQueue();
        }
    }

    private void createRequestQueue() throws RioException {
        maxReceives = config.outstandingReceives();
        maxSends = config.outstandingSends();
        receiveSlotSize = config.receiveSlotSize();
        receiveAddresses = new RioDatagramAddresses(handler.pool(), maxReceives);
        sendAddresses = new RioDatagramAddresses(handler.pool(), maxSends);
        inFlightSends = new SendRecord[maxSends];
        inFlightReceives = new Receive[maxReceives];
        batch = new SendRecord[maxSends];
        try {
            rq = handler.createRequestQueue(socket, maxReceives, maxSends, registration);
        } catch (RioException e) {
            receiveAddresses.close();
            sendAddresses.close();
            receiveAddresses = null;
            sendAddresses = null;
            throw e;
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        super.doBind(localAddress);
        becomeActive();
    }

    @Override
    protected void doDisconnect() throws Exception {
        sockets.connectDatagram(socket, null);
        connected = false;
        remote = null;
    }

    private RegisteredIo rio() {
        return handler.rio();
    }

    @Override
    void handleEvent(RioIoEvent event) {
        if (event.kind() != RioIoEvent.RIO_RESULT) {
            logger.warn("{}: unexpected port completion {}", this, event);
            return;
        }
        long context = event.requestContext();
        int index = (int) (context >>> 1);
        if ((context & 1) == CTX_SEND) {
            sendComplete(index, event.status());
        } else {
            receiveComplete(index, event.status(), (int) event.result());
        }
    }

    // ------------------------------------------------------------------ write path

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof DatagramPacket packet) {
            check(packet.content(), packet.recipient());
            return packet;
        }
        if (msg instanceof ByteBuf buf) {
            check(buf, null);
            return buf;
        }
        if (msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof ByteBuf buf
                && (envelope.recipient() == null || envelope.recipient() instanceof InetSocketAddress)) {
            check(buf, (InetSocketAddress) envelope.recipient());
            return envelope;
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: DatagramPacket, AddressedEnvelope<ByteBuf, InetSocketAddress> or ByteBuf)");
    }

    private static void check(ByteBuf content, InetSocketAddress recipient) {
        int size = content.readableBytes();
        if (size > MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("datagram of " + size + " bytes exceeds the UDP maximum of "
                    + MAX_DATAGRAM_SIZE + " bytes");
        }
        if (recipient != null && recipient.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (advancing) {
            // A listener flushed while completions are applied: advance() flushes again when it is done.
            return;
        }
        advance(in);
        if (rq == 0) {
            return;
        }
        Preparer p = preparer;
        p.skip = records.size();
        p.seen = 0;
        p.count = 0;
        p.starved = false;
        in.forEachFlushedMessage(p);
        issue(batch, p.count);
        advance(in);
        if (p.starved && sendsInFlight == 0 && !flushWaitsForMemory) {
            // The ceiling of registered memory, and no send in flight whose completion would flush again: the
            // datagrams wait (backpressure, never an error) until a slot comes back.
            flushWaitsForMemory = true;
            handler.pool().awaitMemory(flushRetryTask);
        }
    }

    private void retryFlush() {
        flushWaitsForMemory = false;
        if (isOpen()) {
            ((RioDatagramUnsafe) unsafe()).flushMore();
        }
    }

    private void retryReceives() {
        receiveWaitsForMemory = false;
        readIfRequested();
    }

    /**
     * Walks the flushed messages past those already handled and prepares a send for each, within the free send
     * capacity. One per channel, reused by every flush.
     */
    private final class Preparer implements ChannelOutboundBuffer.MessageProcessor {
        int skip;
        int seen;
        int count;
        /** No staging slot was to be had under the ceiling of registered memory. */
        boolean starved;

        @Override
        public boolean processMessage(Object msg) {
            if (seen++ < skip) {
                return true;
            }
            if (sendsInFlight + count >= maxSends) {
                return false;
            }
            SendRecord record = prepare(msg);
            if (record == null) {
                starved = true;
                return false;
            }
            records.add(record);
            if (record.failure == null) {
                batch[count++] = record;
            }
            return true;
        }
    }

    /**
     * Turns one flushed message into a send record: its data staged (or not), its destination in an address slot.
     * Returns null if the datagram needs a staging slot and the ceiling of registered memory allows none now.
     */
    private SendRecord prepare(Object msg) {
        ByteBuf content;
        InetSocketAddress recipient;
        if (msg instanceof AddressedEnvelope<?, ?> envelope) {
            content = (ByteBuf) envelope.content();
            recipient = (InetSocketAddress) envelope.recipient();
        } else {
            content = (ByteBuf) msg;
            recipient = null;
        }
        SendRecord record = new SendRecord();
        InetSocketAddress peer = remote;
        if (recipient != null && connected && recipient.equals(peer)) {
            // The connected peer: RIOSend without an address, as a connected socket's send.
            recipient = null;
        }
        if (recipient == null && !connected) {
            record.failure = new NotYetConnectedException();
            return record;
        }
        int index = sendAddresses.acquire();
        if (index < 0) {
            // Cannot happen: records are only prepared within the free send capacity.
            record.failure = new IllegalStateException("no free address slot");
            return record;
        }
        record.index = index;
        try {
            if (recipient != null) {
                record.address = sendAddresses.write(index, toNative(recipient));
            }
            int length = content.readableBytes();
            record.length = length;
            if (length > 0) {
                RioSlotPool pool = handler.pool();
                RioSlot registered = pool.slotOf(content);
                // Claimed now (atomically), not when issued: the same registered buffer written twice in one flush,
                // or to two channels at once, must not go out in two requests at once (the second is copied).
                if (registered != null && registered.tryRequestStarted()) {
                    // Registered memory of the loop's allocator (a received datagram, or a buffer of the
                    // RioByteBufAllocator): sent as is. The content itself is retained (it may be a leak-detection
                    // wrapper, which must see the last release).
                    record.slot = registered;
                    record.retained = content.retain();
                    record.offset = RioSlotPool.offsetIn(registered, content);
                    handler.metric().sentZeroCopy(length);
                } else if (length > pool.largestTransportSlot()) {
                    // A datagram goes out whole, from one slot; this one is larger than any slot the ceiling of
                    // registered memory allows: it fails rather than wait for ever.
                    record.failure = new IOException("a datagram of " + length + " bytes cannot be staged under "
                            + "a ceiling of " + pool.allocator().maxRegisteredBytes() + " registered bytes");
                    record.releaseResources(this);
                    return record;
                } else {
                    // A datagram goes out whole: its staging slot holds all of it.
                    RioSlot staging = pool.tryAcquireStaging(length, length);
                    if (staging == null) {
                        record.releaseResources(this);
                        return null;
                    }
                    record.slot = staging;
                    content.getBytes(content.readerIndex(), staging.memory().asSlice(0, length).asByteBuffer());
                    handler.metric().copied(length);
                    staging.requestStarted();
                }
            }
        } catch (Throwable t) {
            record.failure = t;
            record.releaseResources(this);
        }
        return record;
    }

    /** Issues the prepared sends: all but the last deferred, so the last call commits the batch (one per flush). */
    private void issue(SendRecord[] batch, int n) {
        RegisteredIo rio = rio();
        boolean uncommitted = false;
        for (int i = 0; i < n; i++) {
            SendRecord record = batch[i];
            batch[i] = null;
            int flags = i < n - 1 ? RioConstants.RIO_MSG_DEFER : 0;
            MemorySegment pData = MemorySegment.NULL;
            int count = 0;
            if (record.slot != null) {
                pData = record.slot.rioBuf(record.offset, record.length);
                count = 1;
            }
            long context = ((long) record.index << 1) | CTX_SEND;
            try {
                if (record.address == null) {
                    rio.send(rq, pData, count, flags, context);
                } else {
                    rio.sendEx(rq, pData, count, null, record.address, null, null, flags, context);
                }
            } catch (RioException e) {
                record.failure = e;
                record.releaseResources(this);
                continue;
            }
            uncommitted = (flags & RioConstants.RIO_MSG_DEFER) != 0;
            registration.requestIssued();
            record.inFlight = true;
            inFlightSends[record.index] = record;
            sendsInFlight++;
        }
        if (uncommitted) {
            // The last send was refused after deferred ones: commit those, they are in flight.
            commitDeferred(false);
        }
    }

    /**
     * Commits the deferred sends (or receives) with {@code RIO_MSG_COMMIT_ONLY}. If that call fails nothing was
     * committed, and the deferred requests would wait for a completion that cannot come: the commit is retried
     * shortly, until it succeeds or the channel closes. Event loop only.
     */
    private void commitDeferred(boolean receive) {
        try {
            if (receive) {
                rio().receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            } else {
                rio().send(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            }
        } catch (RioException e) {
            logger.debug("{}: RIO_MSG_COMMIT_ONLY failed, retrying", this, e);
            eventLoop().schedule(() -> {
                if (isOpen() && rq != 0) {
                    commitDeferred(receive);
                }
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sendComplete(int index, int status) {
        SendRecord record = index < inFlightSends.length ? inFlightSends[index] : null;
        if (record == null) {
            logger.warn("{}: send completion for address slot {} without a send in flight", this, index);
            return;
        }
        inFlightSends[index] = null;
        sendsInFlight--;
        registrationCompleted(record);
        if (status != 0) {
            record.failure = sendException(status);
        }
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (in != null && isOpen()) {
            advance(in);
            in = unsafe().outboundBuffer();
            if (in != null && !in.isEmpty()) {
                ((RioDatagramUnsafe) unsafe()).flushMore();
            }
        }
    }

    private void registrationCompleted(SendRecord record) {
        record.inFlight = false;
        record.done = true;
        if (record.slot != null) {
            record.slot.requestCompleted();
        }
        record.releaseResources(this);
    }

    /** Completes the promises of the records at the head that are done, in order. */
    private void advance(ChannelOutboundBuffer in) {
        advancing = true;
        try {
            for (;;) {
                SendRecord head = records.peek();
                if (head == null || head.inFlight || !(head.done || head.failure != null)) {
                    break;
                }
                records.poll();
                if (head.failure != null) {
                    in.remove(head.failure);
                } else {
                    in.remove();
                }
            }
        } finally {
            advancing = false;
        }
    }

    private static IOException sendException(int status) {
        RioException cause = new RioException("RIOSendEx", status);
        IOException e = status == WsaError.WSAECONNREFUSED || status == WsaError.WSAECONNRESET
                ? new PortUnreachableException(cause.getMessage()) : new IOException(cause.getMessage());
        e.initCause(cause);
        return e;
    }

    // ------------------------------------------------------------------ read path

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!inbound.isEmpty()) {
            if (inReadCallback) {
                eventLoop().execute(this::readIfRequested);
            } else {
                readIfRequested();
            }
            return;
        }
        readIfRequested();
    }

    void autoReadCleared() {
        readPending = false;
    }

    private boolean readingWanted() {
        return config.isAutoRead() || readPending;
    }

    private void readIfRequested() {
        if (!isOpen()) {
            return;
        }
        deliverInbound();
        if (!isActive() || !readingWanted()) {
            return;
        }
        try {
            postReceives();
        } catch (RioException e) {
            // A receive the provider refused for another reason than backpressure (WSAEINVAL, WSAEFAULT): the
            // channel cannot receive any more; it fails as a read error fails NIO's datagram channel, rather than
            // stay open and deaf.
            pipeline().fireExceptionCaught(e);
            unsafe().close(unsafe().voidPromise());
        }
    }

    /** Posts receives up to the request queue's capacity; all but the last deferred. */
    private void postReceives() throws RioException {
        if (rq == 0) {
            return;
        }
        RegisteredIo rio = rio();
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        int toPost = maxReceives - receivesInFlight;
        RioSlotPool pool = handler.pool();
        for (int i = 0; i < toPost; i++) {
            // Under a ceiling, no larger than the largest slot it allows (a larger datagram arrives truncated).
            int length = Math.min(Math.min(Math.max(handle.guess(), 1), receiveSlotSize),
                    pool.largestTransportSlot());
            RioSlot slot = null;
            // Channels that wait for registered memory get the next free slot: one that has a receive posted,
            // whose completion posts again, takes no more meanwhile; and under the ceiling a channel keeps a
            // bounded amount in posted receives, which cannot be taken back (RioSlotPool#receiveBytesPerChannel).
            // A datagram needs the whole slot it asked for.
            boolean first = receivesInFlight == 0;
            if (!first && ((long) postedReceiveBytes + length > pool.receiveBytesPerChannel()
                    || pool.memoryWanted())) {
                if (i > 0) {
                    rio.receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                }
                return;
            }
            slot = pool.tryAcquireReceive(length, length);
            if (slot == null) {
                // The ceiling of registered memory: post the rest later (backpressure, never an error).
                if (i > 0) {
                    // Those already posted were deferred: commit them.
                    rio.receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                }
                if (receivesInFlight == 0 && !receiveWaitsForMemory) {
                    receiveWaitsForMemory = true;
                    pool.awaitMemory(receiveRetryTask);
                }
                return;
            }
            int index = receiveAddresses.acquire();
            int flags = i < toPost - 1 ? RioConstants.RIO_MSG_DEFER : 0;
            slot.requestStarted();
            try {
                rio.receiveEx(rq, slot.rioBuf(0, length), 1, null, receiveAddresses.rioBuf(index), null, null,
                        flags, ((long) index << 1) | CTX_RECEIVE);
            } catch (RioException e) {
                slot.requestCompleted();
                slot.release();
                receiveAddresses.release(index);
                if (e.wsaError() == WsaError.WSAENOBUFS) {
                    // The completion queue is full (rio-reference §2): backpressure, not an error. The datagrams wait
                    // in the socket; the next receive completion posts again, or, with none in flight, a retry.
                    if (i > 0) {
                        commitDeferred(true);
                    }
                    if (receivesInFlight == 0 && !receiveRetryScheduled) {
                        receiveRetryScheduled = true;
                        eventLoop().schedule(() -> {
                            receiveRetryScheduled = false;
                            readIfRequested();
                        }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    return;
                }
                if (i > 0) {
                    try {
                        rio.receive(rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    } catch (RioException e2) {
                        e.addSuppressed(e2);
                    }
                }
                throw e;
            }
            registration.requestIssued();
            inFlightReceives[index] = new Receive(slot, length);
            receivesInFlight++;
            postedReceiveBytes += slot.capacity();
        }
    }

    private void receiveComplete(int index, int status, int bytes) {
        Receive receive = index < inFlightReceives.length ? inFlightReceives[index] : null;
        if (receive == null) {
            logger.warn("{}: receive completion for address slot {} without a receive in flight", this, index);
            return;
        }
        inFlightReceives[index] = null;
        receivesInFlight--;
        RioSlot slot = receive.slot;
        postedReceiveBytes -= slot.capacity();
        slot.requestCompleted();
        if (!isOpen()) {
            slot.release();
            receiveAddresses.release(index);
            return;
        }
        Object item;
        if (status == 0 || status == WsaError.WSAEMSGSIZE) {
            // WSAEMSGSIZE: the datagram was larger than the slice and was truncated to it, which NIO and epoll
            // deliver silently as well.
            InetSocketAddress sender = fromNative(receiveAddresses.read(index));
            item = new Received(new DatagramPacket(RioSlotByteBuf.tracked(config.getAllocator(), slot, bytes),
                    localAddress(), sender), receive.length);
        } else {
            slot.release();
            item = receiveException(status);
        }
        receiveAddresses.release(index);
        inbound.add(item);
        if (!batchEndScheduled) {
            // Deliver the receives of this completion batch as one read loop once the batch is dispatched.
            batchEndScheduled = true;
            handler.afterBatch(batchEndTask);
        }
    }

    private void batchEnd() {
        batchEndScheduled = false;
        readIfRequested();
    }

    private static IOException receiveException(int status) {
        RioException cause = new RioException("RIOReceiveEx", status);
        // An ICMP port unreachable for an earlier datagram of a connected socket: WSAECONNRESET on Windows
        // (SIO_UDP_CONNRESET), ECONNREFUSED (WSAECONNREFUSED) on Linux. NIO reports PortUnreachableException.
        IOException e = status == WsaError.WSAECONNREFUSED || status == WsaError.WSAECONNRESET
                ? new PortUnreachableException(cause.getMessage()) : new SocketException(cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /** Delivers held receives as one read loop, if reading is wanted. */
    private void deliverInbound() {
        if (inbound.isEmpty() || !readingWanted()) {
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        ChannelPipeline pipeline = pipeline();
        handle.reset(config);
        readPending = false;
        boolean close = false;
        inReadCallback = true;
        try {
            do {
                Object item = inbound.poll();
                if (item instanceof Received received) {
                    handle.attemptedBytesRead(received.attempted);
                    handle.lastBytesRead(received.packet.content().readableBytes());
                    handle.incMessagesRead(1);
                    pipeline.fireChannelRead(received.packet);
                } else {
                    IOException cause = (IOException) item;
                    pipeline.fireExceptionCaught(cause);
                    // As NIO: a port unreachable leaves the channel open, other read errors close it.
                    close = !(cause instanceof PortUnreachableException);
                    break;
                }
            } while (!inbound.isEmpty() && isOpen() && (config.isAutoRead() || handle.continueReading()));
            handle.readComplete();
            pipeline.fireChannelReadComplete();
        } finally {
            inReadCallback = false;
        }
        if (close && isOpen()) {
            unsafe().close(unsafe().voidPromise());
        }
    }

    // ------------------------------------------------------------------ multicast

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress) {
        return joinGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return joinGroup(multicastAddress, localInterface(), null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return joinGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                   ChannelPromise promise) {
        return joinGroup(multicastAddress.getAddress(), networkInterface, null, promise);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source) {
        return joinGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source, ChannelPromise promise) {
        return membership(multicastAddress, networkInterface, source, promise, true);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress) {
        return leaveGroup(multicastAddress, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return leaveGroup(multicastAddress, localInterface(), null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return leaveGroup(multicastAddress, networkInterface, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                    ChannelPromise promise) {
        return leaveGroup(multicastAddress.getAddress(), networkInterface, null, promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source) {
        return leaveGroup(multicastAddress, networkInterface, source, newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source, ChannelPromise promise) {
        return membership(multicastAddress, networkInterface, source, promise, false);
    }

    private ChannelFuture membership(InetAddress group, NetworkInterface iface, InetAddress source,
                                     ChannelPromise promise, boolean join) {
        try {
            if (group == null) {
                throw new NullPointerException("multicastAddress");
            }
            if (!group.isMulticastAddress()) {
                throw new IllegalArgumentException("not a multicast address: " + group);
            }
            int index = iface == null ? 0 : iface.getIndex();
            if (join) {
                sockets.joinGroup(socket, group, index, source);
            } else {
                sockets.leaveGroup(socket, group, index, source);
            }
            promise.setSuccess();
        } catch (Throwable t) {
            promise.setFailure(t);
        }
        return promise;
    }

    /** The interface of the local address, as NIO's joinGroup(InetAddress) uses; null (any) for a wildcard. */
    private NetworkInterface localInterface() {
        InetSocketAddress local = localAddress();
        if (local == null || local.getAddress().isAnyLocalAddress()) {
            return null;
        }
        try {
            return NetworkInterface.getByInetAddress(local.getAddress());
        } catch (SocketException e) {
            return null;
        }
    }

    /**
     * Not supported: RioSockets has no source filter ({@code IP_BLOCK_SOURCE}) call.
     *
     * @return a future failed with {@link UnsupportedOperationException}
     */
    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock) {
        return block(multicastAddress, networkInterface, sourceToBlock, newPromise());
    }

    /**
     * Not supported: RioSockets has no source filter ({@code IP_BLOCK_SOURCE}) call.
     *
     * @return {@code promise}, failed with {@link UnsupportedOperationException}
     */
    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock, ChannelPromise promise) {
        promise.setFailure(new UnsupportedOperationException("block is not supported by the RIO transport"));
        return promise;
    }

    /**
     * Not supported: RioSockets has no source filter ({@code IP_BLOCK_SOURCE}) call.
     *
     * @return a future failed with {@link UnsupportedOperationException}
     */
    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock) {
        return block(multicastAddress, sourceToBlock, newPromise());
    }

    /**
     * Not supported: RioSockets has no source filter ({@code IP_BLOCK_SOURCE}) call.
     *
     * @return {@code promise}, failed with {@link UnsupportedOperationException}
     */
    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock, ChannelPromise promise) {
        return block(multicastAddress, null, sourceToBlock, promise);
    }

    // ------------------------------------------------------------------ close

    @Override
    protected void doClose() throws Exception {
        for (Object item : inbound) {
            if (item instanceof Received received) {
                received.packet.release();
            }
        }
        inbound.clear();
        // Records whose sends are not in flight hold nothing the kernel uses: give their memory back now. The
        // outbound buffer fails their promises itself.
        for (SendRecord record : records) {
            if (!record.inFlight) {
                record.releaseResources(this);
            }
        }
        records.clear();
        connected = false;
        super.doClose();
        // Requests still in flight keep their slots (and address slots) until their completions are dequeued;
        // each address block goes back to the pool with the last of them.
        if (receiveAddresses != null) {
            receiveAddresses.close();
        }
        if (sendAddresses != null) {
            sendAddresses.close();
        }
    }

    /** A completed receive waiting to go up the pipeline. */
    private record Received(DatagramPacket packet, int attempted) {
    }

    /** A receive in flight: its slot and how many bytes it asked for. */
    private record Receive(RioSlot slot, int length) {
    }

    /** One flushed message: what its send holds until its completion is dequeued. */
    static final class SendRecord {
        int index = -1;
        RioSlot slot;
        ByteBuf retained;
        int offset;
        int length;
        MemorySegment address;
        boolean inFlight;
        boolean done;
        Throwable failure;

        /**
         * Gives back the staging slot (or the retained buffer) and the address slot. Idempotent. Called only when no
         * request references them: never issued, refused, or completed.
         */
        void releaseResources(RioDatagramChannel channel) {
            if (slot != null && slot.isInRequest()) {
                slot.requestCompleted();
            }
            if (retained != null) {
                ByteBuf buf = retained;
                retained = null;
                slot = null;
                buf.release();
            } else if (slot != null) {
                RioSlot s = slot;
                slot = null;
                s.release();
            }
            if (index >= 0) {
                int i = index;
                index = -1;
                address = null;
                channel.sendAddresses.release(i);
            }
        }
    }

    /** The Unsafe: the synchronous UDP connect. */
    private final class RioDatagramUnsafe extends AbstractRioUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            boolean wasActive = isActive();
            try {
                InetSocketAddress peer = checkInet(remoteAddress);
                if (localAddress != null) {
                    doBind(localAddress);
                } else {
                    // Bound explicitly, so that a later disconnect keeps the local address (an implicit bind by
                    // connect would be undone by it on Linux).
                    bindWildcard();
                }
                sockets.connectDatagram(socket, toNative(peer));
                InetSocketAddress actual = fromNative(sockets.remoteAddress(socket));
                remote = actual != null ? actual : peer;
                local = fromNative(sockets.localAddress(socket));
                connected = true;
                becomeActive();
                promise.trySuccess();
                if (!wasActive && isActive()) {
                    pipeline().fireChannelActive();
                }
            } catch (Throwable t) {
                promise.tryFailure(annotateConnectException(t, remoteAddress));
                closeIfClosed();
            }
        }

        void flushMore() {
            flush0();
        }
    }
}
