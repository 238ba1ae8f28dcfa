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
package io.nettyrio.rio.uring;

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One direction (receives or sends) of a RIO request queue: its outstanding capacity, its preallocated request
 * slots, and the FIFO that keeps RIO's ordering. Its requests run on the ring of the completion queue they
 * complete into, and everything here is guarded by that ring's lock.
 *
 * <p>The FIFO holds slot numbers between four counters, {@code head <= submitted <= committed <= tail}:
 * <ul>
 *   <li>{@code [committed, tail)}: deferred ({@code RIO_MSG_DEFER}), charged but not yet handed to the kernel;</li>
 *   <li>{@code [submitted, committed)}: committed, waiting for their turn (a TCP socket has one send operation in
 *       flight, and its receives are in the kernel through its provided-buffer ring, or one at a time, so that data
 *       keep their order; a UDP socket's receives wait here for a datagram, read by recvmmsg when the socket's poll
 *       fires);</li>
 *   <li>{@code [head, submitted)}: handed to the kernel, or finished without it (a deregistered buffer, an
 *       abort, a UDP receive read); a finished request leaves at {@code head} only, so results reach the
 *       completion queue in request order.</li>
 * </ul>
 * TCP sends are gathered: every committed send (up to {@link #MAX_IOV}) goes into one IORING_OP_SENDMSG with an
 * iovec per request (IORING_OP_SEND for one); a short send is continued from where it stopped, and each RIO send
 * completes when all its bytes are sent, as RIO sends do. The native side of a request lives in {@link MsgHdr}.
 */
final class RequestSide {
    /** The most iovecs of one gathered TCP send ({@code UIO_MAXIOV}). */
    static final int MAX_IOV = 1024;
    private static final int KIND_PLAIN = 0;
    private static final int KIND_EX = 1;
    private static final long SLOT_SIZE = MsgHdr.SLOT.byteSize();
    private static final int SLOTS_PER_CHUNK = 64;
    /** The {@code user_data} slot of a UDP receive side's IORING_OP_POLL_ADD: above every request slot. */
    static final int READABLE_SLOT = 0xffffff;
    /** The {@code user_data} slot of a TCP receive side's multishot IORING_OP_RECV: above every request slot. */
    static final int MULTISHOT_SLOT = 0xfffffe;
    /** The most datagrams one recvmmsg(2) of a UDP receive side takes. */
    static final int MAX_MMSG = 64;

    final UringRequestQueue rq;
    final boolean isSend;
    final UringCompletionQueue cq;
    final Ring ring;
    private final UringSocket socket;
    private final int userDataType;
    /** What this side's SQEs name the socket by: its slot of the ring's registered files, or else its fd. */
    final int file;
    /** IOSQE_FIXED_FILE when {@link #file} is a slot of the registered files, else 0. */
    private final byte fileFlags;

    int maxOutstanding;
    private int charged;
    private boolean closing;
    private int inFlight;

    // request slots
    private int[] kind;
    private long[] address;
    private int[] length;
    private int[] flags;
    private long[] context;
    private Registration[] registration;
    private long[] remoteAddress;
    private Registration[] remoteRegistration;
    private long[] localAddress;
    private Registration[] localRegistration;
    private int[] progress;
    private boolean[] done;
    private int[] doneStatus;
    private int[] doneBytes;
    private int[] freeSlots;
    private int freeCount;
    private MemorySegment[] chunks = new MemorySegment[0];

    // FIFO of slot numbers
    private int[] fifo;
    private long head;
    private long submitted;
    private long committed;
    private long tail;

    // the gathered TCP send
    private boolean awaitingWritable; // in the ring's WritableWait, after an EAGAIN
    private MemorySegment capture;    // errno of a UDP receive side's recvmmsg
    private boolean readableArmed;    // a UDP receive side's multishot POLL_ADD is in the kernel
    private boolean readableUnread;   // it fired and what the socket holds was not all read (no receive waited)
    private boolean readableCancelled; // its IORING_OP_ASYNC_CANCEL is on its way (after shutdown for receive)
    private MemorySegment mmsg;       // a UDP receive side's MAX_MMSG struct mmsghdr
    private boolean batchInFlight;
    private int batchCount;
    private MemorySegment batch;
    private int iovCapacity;

    // a TCP receive side's multishot receive over a provided-buffer ring (pumpStreamReceives)
    // While ringed > 0, the receives of [head, submitted) not done are exactly those in the ring (a receive alone
    // goes to the kernel only when none is).
    private BufferRing bufferRing;      // created at the first receive it serves
    private boolean ringOff;            // refused by the kernel, or retired (end of stream, an error, closing)
    private boolean multishotArmed;     // the multishot IORING_OP_RECV is in the kernel
    private boolean multishotCancelled; // its IORING_OP_ASYNC_CANCEL is on its way
    private boolean singleInFlight;     // a receive outside the ring is in the kernel
    private int ringed;                 // receives in the ring, not filled yet

    /**
     * @param fileSlot the socket's slot of the ring's registered files ({@link Ring#registerFile}), or -1 if its
     *                 SQEs name its fd
     */
    RequestSide(UringRequestQueue rq, boolean isSend, UringCompletionQueue cq, int maxOutstanding, int fileSlot) {
        this.rq = rq;
        this.isSend = isSend;
        this.cq = cq;
        this.ring = cq.ring;
        this.socket = rq.socket;
        this.file = fileSlot >= 0 ? fileSlot : socket.fd;
        this.fileFlags = fileSlot >= 0 ? IoUringAbi.IOSQE_FIXED_FILE : 0;
        this.userDataType = isSend ? UserData.SEND : UserData.RECEIVE;
        this.maxOutstanding = maxOutstanding;
        kind = new int[0];
        address = new long[0];
        length = new int[0];
        flags = new int[0];
        context = new long[0];
        registration = new Registration[0];
        remoteAddress = new long[0];
        remoteRegistration = new Registration[0];
        localAddress = new long[0];
        localRegistration = new Registration[0];
        progress = new int[0];
        done = new boolean[0];
        doneStatus = new int[0];
        doneBytes = new int[0];
        freeSlots = new int[0];
        fifo = new int[0];
        ensureSlots(maxOutstanding);
    }

    /** Grows the slot arrays to {@code slots}; slots in use keep their number and native memory. Lock held. */
    private void ensureSlots(int slots) {
        int old = kind.length;
        if (slots <= old) {
            return;
        }
        kind = Arrays.copyOf(kind, slots);
        address = Arrays.copyOf(address, slots);
        length = Arrays.copyOf(length, slots);
        flags = Arrays.copyOf(flags, slots);
        context = Arrays.copyOf(context, slots);
        registration = Arrays.copyOf(registration, slots);
        remoteAddress = Arrays.copyOf(remoteAddress, slots);
        remoteRegistration = Arrays.copyOf(remoteRegistration, slots);
        localAddress = Arrays.copyOf(localAddress, slots);
        localRegistration = Arrays.copyOf(localRegistration, slots);
        progress = Arrays.copyOf(progress, slots);
        done = Arrays.copyOf(done, slots);
        doneStatus = Arrays.copyOf(doneStatus, slots);
        doneBytes = Arrays.copyOf(doneBytes, slots);
        int[] newFree = new int[slots];
        System.arraycopy(freeSlots, 0, newFree, 0, freeCount);
        // hand out low slot numbers first
        for (int s = slots - 1; s >= old; s--) {
            newFree[freeCount++] = s;
        }
        freeSlots = newFree;
        // A power of two, so that a counter finds its place with a mask: a division (a 64-bit one for these long
        // counters) on every look-up costs more than the rest of the look-up.
        int fifoLength = Integer.highestOneBit(Math.max(1, slots - 1)) << 1;
        if (fifoLength > fifo.length) {
            int[] newFifo = new int[fifoLength];
            for (long c = head; c < tail; c++) {
                newFifo[(int) c & (fifoLength - 1)] = fifoAt(c);
            }
            fifo = newFifo;
        }
        if (isSend && socket.isStream()) {
            int wanted = Math.min(slots, MAX_IOV);
            if (wanted > iovCapacity && !batchInFlight) {
                // The old batch memory stays in the arena (it may be freed only with the queue).
                batch = rq.arena.allocate(MsgHdr.gatherSize(wanted), 8);
                iovCapacity = wanted;
            }
        }
    }

    private MemorySegment chunk(int slot) {
        int c = slot / SLOTS_PER_CHUNK;
        if (c >= chunks.length) {
            chunks = Arrays.copyOf(chunks, c + 1);
        }
        MemorySegment m = chunks[c];
        if (m == null) {
            m = rq.arena.allocate(MsgHdr.SLOT, SLOTS_PER_CHUNK);
            chunks[c] = m;
        }
        return m;
    }

    private static long slotBase(int slot) {
        return (slot % SLOTS_PER_CHUNK) * SLOT_SIZE;
    }

    private int fifoAt(long counter) {
        return fifo[(int) counter & (fifo.length - 1)];
    }

    /** Whether deferred requests wait for a commit. Lock held. */
    boolean hasDeferred() {
        return committed != tail;
    }

    int charged() {
        return charged;
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Queues one request: charged at once against the outstanding capacity, deferred or not. Without
     * {@code RIO_MSG_DEFER} it commits every deferred request of this side too and submits with one
     * {@code io_uring_enter}. Lock held.
     */
    void queue(String call, boolean ex, long addr, int len, Registration reg, int requestFlags, long requestContext,
               long remoteAddr, Registration remoteReg, long localAddr, Registration localReg) throws RioException {
        if (closing || !rq.valid) {
            throw new RioException(call, WsaError.WSAEINVAL, "the request queue's socket is closed");
        }
        if (!cq.valid) {
            throw new RioException(call, WsaError.WSAEINVAL, "the completion queue is closed");
        }
        if (charged >= maxOutstanding) {
            throw new RioException(call, WsaError.WSAENOBUFS,
                    (isSend ? "MaxOutstandingSend " : "MaxOutstandingReceive ") + maxOutstanding
                            + " reached: a request's capacity comes back when its result is dequeued");
        }
        int slot = freeSlots[--freeCount];
        kind[slot] = ex ? KIND_EX : KIND_PLAIN;
        address[slot] = addr;
        length[slot] = len;
        flags[slot] = requestFlags;
        context[slot] = requestContext;
        registration[slot] = reg;
        remoteAddress[slot] = remoteAddr;
        remoteRegistration[slot] = remoteReg;
        localAddress[slot] = localAddr;
        localRegistration[slot] = localReg;
        progress[slot] = 0;
        done[slot] = false;
        fifo[(int) tail & (fifo.length - 1)] = slot;
        tail++;
        charged++;
        if ((requestFlags & RioConstants.RIO_MSG_DEFER) == 0) {
            commit();
        }
    }

    /**
     * Commits every deferred request: RIO_MSG_COMMIT_ONLY, or a call without DEFER. Their SQEs are prepared and
     * published in the SQ at once, and submitted with one {@code io_uring_enter} now, except on a thread that is
     * handing out a batch of completions it dequeued from this ring (the requests a loop posts in reply to
     * completions): those go to the kernel together when that thread calls RIONotify, RIODequeueCompletion or
     * the port's wait next. docs/linux-provider.md ("When requests reach the kernel") says why that keeps RIO's
     * meaning. Lock held.
     */
    void commit() {
        committed = tail;
        pump();
        if (ring.deferSubmission()) {
            return;
        }
        try {
            ring.submit();
        } catch (RioException e) {
            // The SQEs stay published in the SQ and go with the ring's next io_uring_enter; the requests were
            // accepted and will complete, so the caller must not be told they were not started.
        }
    }

    /** The capacity of one dequeued result comes back. Lock held (by the completion queue's dequeue). */
    void releaseCharge() {
        charged--;
    }

    /** Prepares the SQEs that may run now, and moves finished requests to the completion queue. Lock held. */
    private void pump() {
        if (isSend && socket.isStream()) {
            pumpBatch();
        } else if (!isSend && !socket.isStream()) {
            pumpReceiveReads();
        } else if (!isSend) {
            pumpStreamReceives();
        } else {
            pumpEach();
        }
    }

    /**
     * TCP receives. Where the kernel has provided-buffer rings, the committed receives go into the socket's
     * {@link BufferRing} in the order they were posted, and one multishot IORING_OP_RECV (armed while any wait)
     * fills them, one completion per receive, in that order: a receive costs no SQE and no system call of its own,
     * and the socket stays watched, so that a receive posted before its data arrives does not go through io_uring's
     * poll arm and task-work retry each time (docs/linux-provider.md, "Multishot receive"). A receive the ring
     * cannot serve (RIO_MSG_WAITALL, zero length, a slot number above a buffer id, a refused ring, a socket after
     * end of stream) goes to the kernel alone, as one IORING_OP_RECV, once every receive before it has completed,
     * with the multishot receive cancelled first: receives fill in the order they were posted either way.
     */
    private void pumpStreamReceives() {
        for (;;) {
            releaseFinished();
            if (closing || submitted >= committed || singleInFlight) {
                break;
            }
            int slot = fifoAt(submitted);
            if (!usable(slot)) {
                submitted++;
                finish(slot, WsaError.WSAEFAULT, 0);
                continue;
            }
            if (servedByRing(slot)) {
                if (ringed == bufferRing.capacity()) {
                    break;
                }
                bufferRing.add(address[slot], length[slot], slot);
                ringed++;
                submitted++;
                continue;
            }
            if (ringed > 0) {
                break;
            }
            if (multishotArmed) {
                cancelMultishot();
                break;
            }
            submitted++;
            try {
                prepareSingle(slot);
                singleInFlight = true;
            } catch (RioException e) {
                finish(slot, e.wsaError(), 0);
            }
        }
        if (bufferRing != null) {
            bufferRing.publish();
            if (ringed > 0 && !multishotArmed && !closing) {
                armMultishot();
            }
        }
    }

    /** Whether the receive in {@code slot} goes into the buffer ring; creates the ring at the first. Lock held. */
    private boolean servedByRing(int slot) {
        if (ringOff || length[slot] == 0 || slot > BufferRing.MAX_BID
                || (flags[slot] & RioConstants.RIO_MSG_WAITALL) != 0 || !socket.provider.multishotReceive) {
            return false;
        }
        if (bufferRing == null) {
            bufferRing = BufferRing.register(ring, rq.arena, Math.max(maxOutstanding, 2));
            if (bufferRing == null) {
                ringOff = true;
                return false;
            }
        }
        return true;
    }

    private void armMultishot() {
        long userData = UserData.of(userDataType, rq.index, MULTISHOT_SLOT);
        try {
            long sqe = ring.prepare(IoUringAbi.IORING_OP_RECV, file, fileFlags, 0L, 0, 0L, 0, userData);
            ring.multishotReceive(sqe, bufferRing.group());
        } catch (RioException e) {
            // The ring is closed: nothing selects from the buffer ring any more.
            ringOff = true;
            finishRinged(e.wsaError());
            return;
        }
        socket.opStarted();
        inFlight++;
        multishotArmed = true;
        multishotCancelled = false;
    }

    /** Cancels the multishot receive (the ring is empty): a receive the ring cannot serve is next. Lock held. */
    private void cancelMultishot() {
        if (multishotCancelled) {
            return;
        }
        try {
            ring.prepareCancel(UserData.of(userDataType, rq.index, MULTISHOT_SLOT));
            multishotCancelled = true;
        } catch (RioException e) {
            // The ring is closed: its teardown ends the receive.
        }
    }

    /**
     * A CQE of the multishot receive: a filled buffer (IORING_CQE_F_BUFFER, its id the request slot), and, without
     * IORING_CQE_F_MORE, the receive's end. Lock held.
     */
    private void onMultishotCqe(int res, int cqeFlags) {
        boolean filled = (cqeFlags & IoUringAbi.IORING_CQE_F_BUFFER) != 0;
        if (filled) {
            int slot = cqeFlags >>> IoUringAbi.IORING_CQE_BUFFER_SHIFT;
            // The kernel hands each entry back once, and only while the ring is in use: the slot is in the ring.
            ringed--;
            finish(slot, 0, res);
        }
        if ((cqeFlags & IoUringAbi.IORING_CQE_F_MORE) != 0) {
            pump();
            return;
        }
        inFlight--;
        multishotArmed = false;
        multishotCancelled = false;
        if (closing) {
            finishRinged(WsaError.WSA_OPERATION_ABORTED);
            releaseBufferRing();
        } else if (!filled && res == 0) {
            // End of stream: every receive waiting completes with 0 bytes, as every later one will (alone).
            ringOff = true;
            finishRinged(0);
        } else if (res < 0 && res != -Errno.ENOBUFS && res != -Errno.ECANCELED) {
            // A reset or another error: the waiting receives fail with it.
            ringOff = true;
            finishRinged(Errno.toWsa(-res));
        }
        // ENOBUFS: data came while the ring was empty; it waits in the socket, and the receives posted since go
        // with a new multishot receive (pump). ECANCELED (not closing): a receive the ring cannot serve is next.
        pump();
        socket.opDone();
    }

    /**
     * Completes every receive still in the buffer ring with {@code status} and no bytes: the multishot receive is
     * not in the kernel and will not be armed again, so nothing fills them any more. Lock held.
     */
    private void finishRinged(int status) {
        if (ringed == 0) {
            return;
        }
        for (long c = head; c < submitted; c++) {
            int slot = fifoAt(c);
            if (!done[slot]) {
                finish(slot, status, 0);
            }
        }
        ringed = 0;
    }

    /** Unregisters the buffer ring (closing, nothing selects from it any more). Lock held. */
    private void releaseBufferRing() {
        if (bufferRing != null) {
            bufferRing.unregister();
            bufferRing = null;
            ringOff = true;
        }
    }

    /**
     * UDP receives wait in user space, never in the kernel: while committed receives wait, one IORING_OP_POLL_ADD
     * (POLLIN) watches the socket, and when it fires, recvmmsg(2) fills the waiting receives in the order they were
     * posted, as RIO fills them ("RIOReceiveEx function (mswsock.h)"), as many in one system call as datagrams
     * wait ({@link #readDatagrams}). Receives in the kernel would cost a request, and a task-work run, per
     * datagram, and io_uring wakes the receives waiting on one socket in no set order (a chain of linked receives
     * keeps the order, but holds new receives back until its last one has completed). The receive buffers are
     * written only inside recvmmsg, on the thread that reaps the poll, with the ring's lock held; closesocket aborts
     * the waiting receives at once and cancels the poll.
     */
    private void pumpReceiveReads() {
        releaseFinished();
        // [head, submitted): read (finished); [submitted, committed): waiting for a datagram.
        if (!closing && socket.receiveShutdown && submitted < committed) {
            // After shutdown(SD_RECEIVE) nothing is read any more: what waits fails, in order (an armed poll fires
            // at once and is not armed again).
            failWaitingReceives(WsaError.WSAESHUTDOWN);
            return;
        }
        if (closing || submitted >= committed) {
            return;
        }
        if (readableUnread) {
            // The poll fired while no receive waited: what came then is read now, as it would have been then.
            readableUnread = !readDatagrams();
            releaseFinished();
            if (submitted >= committed) {
                return;
            }
        }
        if (readableArmed) {
            return;
        }
        try {
            socket.opStarted();
            // Multishot (IORING_POLL_ADD_MULTI in len, io_uring_prep_poll_multishot(3)): it stays armed and posts a
            // CQE at every wake-up of the socket, so no poll is armed again per datagram.
            ring.prepare(IoUringAbi.IORING_OP_POLL_ADD, file, fileFlags, 0L, IoUringAbi.IORING_POLL_ADD_MULTI, 0L,
                    LibC.POLLIN, UserData.of(userDataType, rq.index, READABLE_SLOT));
        } catch (RioException e) {
            socket.opDone();
            // The ring cannot take the poll: the waiting receives fail, in order, rather than wait for ever.
            failWaitingReceives(e.wsaError());
            return;
        }
        inFlight++;
        readableArmed = true;
        readableCancelled = false;
    }

    /** Fails every UDP receive waiting for a datagram, [submitted, committed), in order. Lock held. */
    private void failWaitingReceives(int wsaError) {
        for (long c = submitted; c < committed; c++) {
            finish(fifoAt(c), wsaError, 0);
        }
        submitted = committed;
        releaseFinished();
    }

    /** The POLL_ADD of a UDP receive side completed: the socket is readable (or the poll failed). Lock held. */
    private void onReadable(int res, boolean more) {
        if (!more) {
            readableArmed = false; // its last CQE: armed again below if receives wait
        }
        if (!closing) {
            if (res < 0 && res != -Errno.ECANCELED) {
                // The poll itself failed: the oldest waiting receive reports it, as its own receive would have.
                if (submitted < committed) {
                    finish(fifoAt(submitted), Errno.toWsa(-res), 0);
                    submitted++;
                }
            } else if (res >= 0 && !socket.receiveShutdown) {
                readableUnread = !readDatagrams();
            }
        }
        if (more && socket.receiveShutdown && !closing) {
            cancelReadable(); // Linux reports the socket readable for ever after SHUT_RD: nothing is read any more
        }
        pump();
        if (!more) {
            socket.opDone();
        }
    }

    /** Cancels the armed multishot poll of a UDP receive side (IORING_OP_ASYNC_CANCEL by user_data). Lock held. */
    private void cancelReadable() {
        if (readableCancelled) {
            return;
        }
        try {
            ring.prepareCancel(UserData.of(userDataType, rq.index, READABLE_SLOT));
            readableCancelled = true;
        } catch (RioException e) {
            // The ring is closed: the poll goes with it.
        }
    }

    /**
     * Reads what the socket holds into the waiting receives, oldest first, with recvmmsg(2) and MSG_DONTWAIT, up to
     * {@link #MAX_MMSG} at a time, until the socket is empty or no receive waits. Each receive's msghdr is written
     * in its slot and copied into the mmsghdr array; what the kernel writes back (msg_namelen, msg_controllen,
     * msg_flags) is copied back, so a completion is read as a RECVMSG's. Lock held.
     */
    private boolean readDatagrams() {
        if (mmsg == null) {
            mmsg = rq.arena.allocate(MsgHdr.MMSGHDR, MAX_MMSG);
        }
        long entry = MsgHdr.MMSGHDR.byteSize();
        long header = MsgHdr.MSGHDR.byteSize();
        for (;;) {
            int n = 0;
            for (long c = submitted; c < committed && n < MAX_MMSG; c++) {
                int slot = fifoAt(c);
                if (!usable(slot)) {
                    if (n > 0) {
                        break; // it fails when it is the oldest
                    }
                    finish(slot, WsaError.WSAEFAULT, 0);
                    submitted++;
                    continue;
                }
                MemorySegment m = chunk(slot);
                long base = slotBase(slot);
                // pRemoteAddress: the sender comes in the slot's sockaddr; pLocalAddress: the datagram's
                // destination comes as IP_PKTINFO / IPV6_PKTINFO control data
                MsgHdr.write(m, base, address[slot], length[slot],
                        remoteRegistration[slot] != null ? LinuxSockaddr.MAX_SIZE : 0,
                        localRegistration[slot] != null);
                MemorySegment.copy(m, base, mmsg, n * entry, header);
                n++;
            }
            if (n == 0) {
                return false; // no receive waits: the socket may hold more
            }
            // MSG_TRUNC: msg_len is the datagram's whole size, so that a truncated one is told (datagramRead).
            // With errno captured, unlike the hot io_uring_enter calls (LibC.ioUringEnterFast): a failed recvmmsg
            // cannot be repeated to learn why, because reporting a socket's pending error (ECONNREFUSED after an
            // ICMP port unreachable) clears it.
            int k = LibC.recvmmsg(capture(), socket.fd, mmsg, n, SocketOptions.MSG_DONTWAIT | SocketOptions.MSG_TRUNC);
            if (k < 0) {
                int errno = LibC.errno(capture());
                if (errno == Errno.EAGAIN) {
                    return true; // nothing more to read: the next datagram wakes the poll
                }
                if (errno == Errno.EINTR) {
                    continue;
                }
                // An error of the socket (ECONNREFUSED after an ICMP port unreachable on a connected socket):
                // the oldest waiting receive reports it, as recvmsg reports it to one call.
                finish(fifoAt(submitted), Errno.toWsa(errno), 0);
                submitted++;
                continue;
            }
            for (int i = 0; i < k; i++) {
                int slot = fifoAt(submitted);
                MemorySegment m = chunk(slot);
                long base = slotBase(slot);
                MemorySegment.copy(mmsg, i * entry, m, base, header);
                datagramRead(slot, m, base, mmsg.get(ValueLayout.JAVA_INT, i * entry + MsgHdr.MMSG_LEN));
                submitted++;
            }
            if (k < n) {
                return true; // the socket is empty
            }
        }
    }

    /** A datagram of {@code size} bytes was read into the receive in {@code slot}. Lock held. */
    private void datagramRead(int slot, MemorySegment m, long base, int size) {
        int status = (MsgHdr.flags(m, base) & SocketOptions.MSG_TRUNC) != 0 ? WsaError.WSAEMSGSIZE : 0;
        int bytes = Math.min(size, length[slot]);
        Registration remote = remoteRegistration[slot];
        if (remote != null) {
            if (remote.usable()) {
                LinuxSockaddr.toSockaddrInet(m, base + MsgHdr.SLOT_NAME, remote.segment,
                        remoteAddress[slot] - remote.address);
            } else {
                status = WsaError.WSAEFAULT;
            }
        }
        Registration local = localRegistration[slot];
        if (local != null) {
            if (local.usable()) {
                writeLocalAddress(m, base, local.segment, localAddress[slot] - local.address);
            } else {
                status = WsaError.WSAEFAULT;
            }
        }
        finish(slot, status, bytes);
    }

    private void pumpEach() {
        for (;;) {
            releaseFinished();
            if (closing || submitted >= committed) {
                return;
            }
            int slot = fifoAt(submitted);
            submitted++;
            if (!usable(slot)) {
                finish(slot, WsaError.WSAEFAULT, 0);
                continue;
            }
            try {
                prepareSingle(slot);
            } catch (RioException e) {
                finish(slot, e.wsaError(), 0);
            }
        }
    }

    private boolean usable(int slot) {
        Registration remote = remoteRegistration[slot];
        Registration local = localRegistration[slot];
        Registration reg = registration[slot];
        return (reg == null || reg.usable()) && (remote == null || remote.usable())
                && (local == null || local.usable());
    }

    /** Prepares the SQE of one request and returns its offset in the SQE array. */
    private long prepareSingle(int slot) throws RioException {
        long userData = UserData.of(userDataType, rq.index, slot);
        long sqe;
        Registration remote = remoteRegistration[slot];
        if (!isSend) {
            // TCP only: UDP receives are read by recvmmsg (pumpReceiveReads).
            int msgFlags = (flags[slot] & RioConstants.RIO_MSG_WAITALL) != 0 ? SocketOptions.MSG_WAITALL : 0;
            socket.opStarted();
            sqe = ring.prepare(IoUringAbi.IORING_OP_RECV, file, fileFlags, address[slot], length[slot], 0, msgFlags,
                    userData);
        } else if (kind[slot] == KIND_EX && remote != null) {
            MemorySegment m = chunk(slot);
            long base = slotBase(slot);
            if (socket.provider.sendTo) {
                // sendto(2) through IORING_OP_SEND: the destination in addr2, no msghdr and iovec for the kernel to
                // copy in (io_uring_prep_sendto(3)). The sockaddr stays in the slot until the CQE.
                int nameLength = writeDestination(m, base, slot);
                socket.opStarted();
                sqe = ring.prepare(IoUringAbi.IORING_OP_SEND, file, fileFlags, address[slot], length[slot],
                        m.address() + base + MsgHdr.SLOT_NAME, SocketOptions.MSG_NOSIGNAL, userData);
                ring.addrLen(sqe, nameLength);
            } else {
                writeSendMsghdr(m, base, slot);
                socket.opStarted();
                sqe = ring.prepare(IoUringAbi.IORING_OP_SENDMSG, file, fileFlags, m.address() + base, 1, 0,
                        SocketOptions.MSG_NOSIGNAL, userData);
            }
        } else {
            socket.opStarted();
            sqe = ring.prepare(IoUringAbi.IORING_OP_SEND, file, fileFlags, address[slot], length[slot], 0,
                    SocketOptions.MSG_NOSIGNAL, userData);
        }
        inFlight++;
        return sqe;
    }

    /**
     * Writes a sendEx's msghdr into its slot (IORING_OP_SENDMSG, kernels without sendto through IORING_OP_SEND).
     * Every field is written (MsgHdr.write), so the slot is not zeroed first.
     */
    private void writeSendMsghdr(MemorySegment m, long base, int slot) throws RioException {
        MsgHdr.write(m, base, address[slot], length[slot], writeDestination(m, base, slot), false);
    }

    /** Converts a sendEx's {@code pRemoteAddress} into the Linux sockaddr of its slot; returns its length. */
    private int writeDestination(MemorySegment m, long base, int slot) throws RioException {
        Registration remote = remoteRegistration[slot];
        int nameLength = LinuxSockaddr.fromSockaddrInet(remote.segment, remoteAddress[slot] - remote.address,
                m, base + MsgHdr.SLOT_NAME, socket.family);
        if (nameLength < 0) {
            throw new RioException("RIOSendEx", WsaError.WSAEAFNOSUPPORT,
                    "pRemoteAddress holds no SOCKADDR_INET this socket can send to");
        }
        return nameLength;
    }

    private void pumpBatch() {
        for (;;) {
            releaseFinished();
            if (batchInFlight || awaitingWritable || closing) {
                return;
            }
            // Nothing in flight: what the last gathered send did not finish is sent again from where it stopped.
            submitted = head;
            if (submitted >= committed) {
                return;
            }
            int first = fifoAt(submitted);
            if (!usable(first)) {
                // Fails alone, at the head, so that the batch below always starts at head.
                finish(first, WsaError.WSAEFAULT, progress[first]);
                submitted++;
                continue;
            }
            int n = 0;
            while (submitted < committed && n < iovCapacity) {
                int slot = fifoAt(submitted);
                if (!usable(slot)) {
                    break; // it fails when it reaches the head
                }
                MsgHdr.iovec(batch, 0, n, address[slot] + progress[slot],
                        Integer.toUnsignedLong(length[slot] - progress[slot]));
                n++;
                submitted++;
            }
            if (n > 1) {
                MsgHdr.writeGather(batch, 0, n);
            }
            // MSG_DONTWAIT: io_uring passes a send to a worker thread when its poll cannot wait (after the peer
            // half-closed, EPOLLRDHUP makes it fire at once), and there a send without MSG_DONTWAIT blocks in
            // the kernel for as long as the peer does not read: tcp_sendmsg(2) heeds the flag, not the socket's
            // O_NONBLOCK, when io_uring calls it. With it, a send that finds no room completes with -EAGAIN at
            // once, and waits for EPOLLOUT in the ring's WritableWait, in no thread (onBatchCqe).
            int sendFlags = SocketOptions.MSG_NOSIGNAL | SocketOptions.MSG_DONTWAIT;
            try {
                socket.opStarted();
                if (n == 1) {
                    // One buffer: IORING_OP_SEND takes it directly, without the kernel copying in a msghdr and
                    // an iovec, as Netty's IoUringSocketChannel sends a single buffer.
                    int slot = fifoAt(head);
                    ring.prepare(IoUringAbi.IORING_OP_SEND, file, fileFlags, address[slot] + progress[slot],
                            length[slot] - progress[slot], 0, sendFlags,
                            UserData.of(UserData.SEND_BATCH, rq.index, 0));
                } else {
                    ring.prepare(IoUringAbi.IORING_OP_SENDMSG, file, fileFlags, batch.address(), 1, 0,
                            sendFlags, UserData.of(UserData.SEND_BATCH, rq.index, 0));
                }
            } catch (RioException e) {
                socket.opDone();
                for (long c = head; c < submitted; c++) {
                    finish(fifoAt(c), e.wsaError(), progress[fifoAt(c)]);
                }
                continue;
            }
            inFlight++;
            batchInFlight = true;
            batchCount = n;
            return;
        }
    }

    /** The CQE of the gathered TCP send. Lock held. */
    void onBatchCqe(int res) {
        inFlight--;
        batchInFlight = false;
        long end = head + batchCount;
        if (res == -Errno.EAGAIN) {
            // Not an error: RIO sends complete whole and never fail for lack of room. The send (MSG_DONTWAIT)
            // found the socket's buffer full: the batch waits for EPOLLOUT in the ring's WritableWait and goes
            // again from where it stopped; should the socket not be registered, it goes again at once.
            if (!closing && ring.writable(rq.provider).await(this)) {
                awaitingWritable = true;
                socket.opStarted(); // the fd stays open while it is registered
                socket.provider.statistics.sendWaits.increment();
            }
        } else if (res < 0) {
            int status = socket.sendStatus(-res);
            for (long c = head; c < end; c++) {
                int slot = fifoAt(c);
                finish(slot, status, progress[slot]);
            }
        } else {
            int remaining = res;
            boolean any = false;
            for (long c = head; c < end; c++) {
                int slot = fifoAt(c);
                int need = length[slot] - progress[slot];
                if (remaining >= need) {
                    remaining -= need;
                    progress[slot] = length[slot];
                    finish(slot, 0, length[slot]);
                    any = true;
                } else {
                    progress[slot] += remaining;
                    any |= remaining > 0;
                    break;
                }
            }
            if (!any) {
                // sendmsg returned 0 for bytes it had to send: the connection can take no more.
                for (long c = head; c < end; c++) {
                    int slot = fifoAt(c);
                    finish(slot, WsaError.WSAECONNRESET, progress[slot]);
                }
            }
        }
        if (closing) {
            abortWaiting();
        }
        pump();
        socket.opDone();
    }

    /** The socket can take bytes again ({@link WritableWait}): the batch goes on from where it stopped. Lock held. */
    void onWritable() {
        if (!awaitingWritable) {
            return;
        }
        awaitingWritable = false;
        ring.writable(rq.provider).forget(this);
        pump();
        socket.opDone();
    }

    private MemorySegment capture() {
        if (capture == null) {
            capture = LibC.allocateCapture(rq.arena);
        }
        return capture;
    }

    int socketFd() {
        return socket.fd;
    }

    /** The CQE of a single request. Lock held. */
    void onSingleCqe(int slot, int res, int cqeFlags) {
        if (slot == MULTISHOT_SLOT) {
            onMultishotCqe(res, cqeFlags);
            return;
        }
        if (slot == READABLE_SLOT) {
            boolean more = (cqeFlags & IoUringAbi.IORING_CQE_F_MORE) != 0;
            if (!more) {
                inFlight--;
            }
            onReadable(res, more);
            return;
        }
        inFlight--;
        if (res == -Errno.EAGAIN && socket.isStream() && !closing && usable(slot)) {
            // As for a gathered send (onBatchCqe): a non-blocking socket's EAGAIN after io_uring's retry means "not
            // yet", not a failure; RIO has no such completion. The request (the head: one TCP receive is in flight
            // at a time) is issued again, so order is kept.
            try {
                prepareSingle(slot);
            } catch (RioException e) {
                singleInFlight = false;
                finish(slot, e.wsaError(), 0);
                pump();
            }
            socket.opDone();
            return;
        }
        // A TCP receive, or a UDP send (UDP receives are read by recvmmsg: readDatagrams).
        if (!isSend) {
            singleInFlight = false;
        }
        int status = 0;
        int bytes = 0;
        if (res < 0) {
            status = isSend ? socket.sendStatus(-res) : Errno.toWsa(-res);
        } else {
            bytes = res;
        }
        finish(slot, status, bytes);
        pump();
        socket.opDone();
    }

    /**
     * Writes the datagram's destination as a Windows {@code SOCKADDR_INET} (what RIOReceiveEx reports in
     * {@code pLocalAddress}): the address of the IP_PKTINFO or IPV6_PKTINFO control message, the socket's
     * port. Without such a message (it cannot be missing once the option is on) the slot is zeroed.
     */
    private void writeLocalAddress(MemorySegment m, long base, MemorySegment out, long outOffset) {
        if (MsgHdr.destination(m, base, socket.localPort)) {
            LinuxSockaddr.toSockaddrInet(m, base + MsgHdr.SLOT_NAME, out, outOffset);
            return;
        }
        for (long o = 0; o < LinuxSockaddr.MAX_SIZE; o += 4) {
            out.set(ValueLayout.JAVA_INT_UNALIGNED, outOffset + o, 0);
        }
    }

    private void finish(int slot, int status, int bytes) {
        done[slot] = true;
        doneStatus[slot] = status;
        doneBytes[slot] = bytes;
    }

    /** Moves finished requests at the head of the FIFO, in order, to the completion queue. */
    private void releaseFinished() {
        while (head < submitted) {
            int slot = fifoAt(head);
            if (!done[slot]) {
                return;
            }
            head++;
            cq.add(doneStatus[slot], doneBytes[slot], rq.socketContext, context[slot], this,
                    (flags[slot] & RioConstants.RIO_MSG_DONT_NOTIFY) != 0);
            registration[slot] = null;
            remoteRegistration[slot] = null;
            localRegistration[slot] = null;
            done[slot] = false;
            freeSlots[freeCount++] = slot;
        }
    }

    /** Aborts every request not in the kernel; they still complete (WSA_OPERATION_ABORTED), in order. */
    private void abortWaiting() {
        // In the kernel: the gathered send of a TCP socket, else every request in [head, submitted).
        long from = isSend && socket.isStream() ? (batchInFlight ? head + batchCount : head) : submitted;
        for (long c = from; c < tail; c++) {
            int slot = fifoAt(c);
            if (!done[slot]) {
                finish(slot, WsaError.WSA_OPERATION_ABORTED, isSend ? progress[slot] : 0);
            }
        }
        submitted = tail;
        committed = tail;
        releaseFinished();
    }

    /**
     * closesocket, for this side: aborts the requests not yet in the kernel; those in it are cancelled by the
     * request queue ({@link UringRequestQueue#close}), one IORING_OP_ASYNC_CANCEL on the fd per ring (closing an fd
     * does not cancel io_uring requests). The cancelled requests complete when the kernel has produced their CQEs,
     * never before, so their memory is never reported free while the kernel may touch it. Lock held.
     *
     * @return whether requests of this side are in the kernel, to be cancelled
     */
    boolean close() {
        if (closing) {
            return false;
        }
        closing = true;
        abortWaiting();
        if (!multishotArmed) {
            // Nothing selects from the buffer ring: its receives end now (else when the cancelled receive ends).
            finishRinged(WsaError.WSA_OPERATION_ABORTED);
            releaseFinished();
            releaseBufferRing();
        }
        if (awaitingWritable) {
            awaitingWritable = false;
            ring.writable(rq.provider).forget(this);
            socket.opDone();
        }
        return inFlight > 0;
    }

    /** The socket's slot of this side's ring's registered files, or -1 if this side's SQEs name its fd. */
    int fileSlot() {
        return fileFlags != 0 ? file : -1;
    }

    /** RIOResizeRequestQueue for this side. Lock held. */
    void resize(int newMax) {
        ensureSlots(newMax);
        maxOutstanding = newMax;
    }
}
