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
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayDeque;

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
public final class RioDatagramChannel extends AbstractRioDataChannel implements DatagramChannel {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioDatagramChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);

    /** The largest UDP payload over IPv4: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int MAX_DATAGRAM_SIZE = 65507;

    private final RioDatagramChannelConfig config;

    RioDatagramAddresses sendAddresses;
    private RioDatagramAddresses receiveAddresses;
    volatile boolean connected;

    // Write path, event loop only.
    /** One send per flushed message taken from the outbound buffer's head, in order. */
    private final ArrayDeque<RioSend> records = new ArrayDeque<>();
    /** In-flight sends by address slot index. */
    private RioSend[] inFlightSends;
    private int sendsInFlight;
    private final RioDatagramGatherer gatherer = new RioDatagramGatherer(this);
    private boolean advancing;

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
        super(sockets, family, RioConstants.SOCK_DGRAM, METADATA);
        config = new RioDatagramChannelConfig(this);
    }

    @Override
    public RioDatagramChannelConfig config() {
        return config;
    }

    @Override
    public boolean isConnected() {
        return connected && isActive();
    }

    @Override
    void registered0() throws Exception {
        if (!active && config.activeOnRegistration()) {
            // RIOSend and RIOSendEx want a bound UDP socket ("RIOSendEx function (mswsock.h)"): bind to the wildcard
            // address as sendto would.
            bindWildcard();
            becomeActive();
        } else if (active && rq == 0) {
            createRequestQueue(config.queueOptions());
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
            createRequestQueue(config.queueOptions());
        }
    }

    @Override
    void createRequestQueue(RioRequestQueueOptions options) throws RioException {
        receiveAddresses = new RioDatagramAddresses(handler.pool(), options.outstandingReceives());
        sendAddresses = new RioDatagramAddresses(handler.pool(), options.outstandingSends());
        inFlightSends = new RioSend[options.outstandingSends()];
        try {
            super.createRequestQueue(options);
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

    @Override
    void handleEvent(RioIoEvent event) {
        if (event.kind() != RioIoEvent.RIO_RESULT) {
            logger.warn("{}: unexpected port completion {}", this, event);
            return;
        }
        long context = event.requestContext();
        if ((context & 1) == CTX_SEND) {
            sendComplete(contextIndex(context), event.status());
        } else {
            receiveCompleted(context, event.status(), (int) event.result());
        }
    }

    // ------------------------------------------------------------------ write path

    @Override
    protected Object filterOutboundMessage(Object msg) throws IOException {
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

    private static void check(ByteBuf content, InetSocketAddress recipient) throws IOException {
        int size = content.readableBytes();
        if (size > MAX_DATAGRAM_SIZE) {
            // What NIO's DatagramChannel.send throws for EMSGSIZE: a SocketException, "Message too long".
            throw ioException(new RioException("RIOSendEx", WsaError.WSAEMSGSIZE, "a datagram of " + size
                    + " bytes exceeds the UDP maximum of " + MAX_DATAGRAM_SIZE + " bytes"), recipient, true);
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
        // A new batch commits what an earlier failed commit left deferred, too.
        sendSide.commitStillPending();
        RioDatagramGatherer g = gatherer;
        g.gather(in, records.size(), maxSends);
        int n = g.count;
        g.count = 0;
        issueSends(g.batch, n, true);
        advance(in);
        if (g.starved && sendsInFlight == 0) {
            // The ceiling of registered memory, and no send in flight whose completion would flush again: the
            // datagrams wait (backpressure, never an error) until a slot comes back.
            sendSide.awaitMemory();
        }
    }

    /** The gatherer took {@code record} for the next flushed message. */
    void taken(RioSend record) {
        records.add(record);
    }

    @Override
    int sendsInFlight() {
        return sendsInFlight;
    }

    @Override
    void sendIssued(RioSend send) {
        send.inFlight = true;
        inFlightSends[send.index] = send;
        sendsInFlight++;
    }

    @Override
    void sendRefused(RioSend send, RioException cause) {
        send.failure = cause;
        releaseResources(send);
    }

    /** Gives back a send's data and its address slot: no request references them. Idempotent. */
    void releaseResources(RioSend record) {
        record.releaseData();
        if (record.index >= 0) {
            int i = record.index;
            record.index = -1;
            record.address = null;
            sendAddresses.release(i);
        }
    }

    private void sendComplete(int index, int status) {
        RioSend record = index < inFlightSends.length ? inFlightSends[index] : null;
        if (record == null) {
            logger.warn("{}: send completion for address slot {} without a send in flight", this, index);
            return;
        }
        inFlightSends[index] = null;
        sendsInFlight--;
        record.inFlight = false;
        record.done = true;
        releaseResources(record);
        if (status != 0) {
            record.failure = ioException("RIOSendEx", status, null, true);
        }
        ChannelOutboundBuffer in = unsafe().outboundBuffer();
        if (in != null && isOpen()) {
            advance(in);
            in = unsafe().outboundBuffer();
            if (in != null && !in.isEmpty()) {
                ((RioUnsafe) unsafe()).flushMore();
            }
        }
        closeIfSendsDrained();
    }

    /** Completes the promises of the records at the head that are done, in order. */
    private void advance(ChannelOutboundBuffer in) {
        advancing = true;
        try {
            for (;;) {
                RioSend head = records.peek();
                if (head == null || head.inFlight || !(head.done || head.failure != null)) {
                    break;
                }
                records.poll();
                Throwable failure = head.failure;
                recycle(head);
                if (failure != null) {
                    in.remove(failure);
                } else {
                    in.remove();
                }
            }
        } finally {
            advancing = false;
        }
    }

    // ------------------------------------------------------------------ read path

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!inbound.isEmpty() && inReadCallback) {
            eventLoop().execute(readAgainTask);
            return;
        }
        readAgain();
    }

    @Override
    void readAgain() {
        if (!isOpen()) {
            return;
        }
        deliverInbound();
        if (!isActive() || !readingWanted()) {
            return;
        }
        postReceivesOrClose();
    }

    @Override
    boolean isStream() {
        return false;
    }

    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    @Override
    int receiveLength(RecvByteBufAllocator.Handle handle) {
        // Under a ceiling, no larger than the largest slot it allows (a larger datagram arrives truncated).
        return Math.min(super.receiveLength(handle), handler.pool().largestTransportSlot());
    }

    @Override
    int minimumReceiveSlot(int length) {
        // A datagram needs the whole slot it asked for.
        return length;
    }

    @Override
    int acquireReceiveIndex() {
        return receiveAddresses.acquire();
    }

    @Override
    void releaseReceiveIndex(int index) {
        receiveAddresses.release(index);
    }

    @Override
    void issueReceive(RegisteredIo rio, RioSlot slot, int length, int index, int flags) throws RioException {
        // The sender's SOCKADDR_INET goes into the receive's own address slot ("RIOReceiveEx function (mswsock.h)").
        rio.receiveEx(rq, slot.rioBuf(0, length), 1, null, receiveAddresses.rioBuf(index), null, null, flags,
                requestContext(CTX_RECEIVE, index));
    }

    @Override
    Object receiveCompleted(RioSlot slot, int length, int index, int status, int bytes) {
        if (status == 0 || status == WsaError.WSAEMSGSIZE) {
            // WSAEMSGSIZE: the datagram was larger than the slice and was truncated to it, which NIO and epoll
            // deliver silently as well.
            InetSocketAddress sender = receiveAddresses.sender(index);
            return new DatagramPacket(RioSlotByteBuf.tracked(config.getAllocator(), slot, bytes), localAddress(),
                    sender);
        }
        slot.release();
        return ioException("RIOReceiveEx", status, null, true);
    }

    /** Delivers held receives as one read loop, if reading is wanted. */
    // RecvByteBufAllocator.Handle is what Unsafe.recvBufAllocHandle() returns; Netty's transports use it too.
    @SuppressWarnings("deprecation")
    private void deliverInbound() {
        if (inbound.isEmpty() || !readingWanted()) {
            return;
        }
        RecvByteBufAllocator.Handle handle = startReadLoop();
        ChannelPipeline pipeline = pipeline();
        readPending = false;
        boolean close = false;
        inReadCallback = true;
        try {
            do {
                Object item = pollInbound();
                if (isMessage(item)) {
                    fireReceived(handle, item);
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
        // Records whose sends are not in flight hold nothing the kernel uses: give their memory back now. The
        // outbound buffer fails their promises itself.
        for (RioSend record : records) {
            if (!record.inFlight) {
                releaseResources(record);
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

    /** The synchronous UDP connect. */
    @Override
    void connect(RioUnsafe unsafe, SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (!promise.setUncancellable() || !unsafe.openFor(promise)) {
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
            try {
                sockets.connectDatagram(socket, toNative(peer));
            } catch (RioException e) {
                throw ioException(e, peer, true);
            }
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
            unsafe.connectFailed(promise, t, remoteAddress);
        }
    }
}
