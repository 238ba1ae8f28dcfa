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

import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

import static io.nettyrio.rio.uring.IoUringAbi.*;

/**
 * One io_uring instance: the SQ and CQ rings and the SQE array mmapped from the ring fd
 * ({@code IORING_FEAT_SINGLE_MMAP}), with the ring heads and tails read with acquire and written with release
 * access, as {@code io_uring.h} and liburing require (the kernel writes the SQ head and the CQ tail, this class
 * the SQ tail and the CQ head).
 *
 * <p>{@link #lock} guards the SQ (preparing and submitting), the CQ (reaping) and all user-space state of the
 * RIO queues whose requests run on this ring; io_uring itself has no lock for the SQ. A thread that only waits
 * for completions ({@link #waitForCompletions}) does so without the lock, so that other threads may submit
 * meanwhile: the kernel serialises concurrent {@code io_uring_enter} calls itself. An owned ring ({@link #own},
 * SINGLE_ISSUER and DEFER_TASKRUN) is entered by its owner only: other threads leave their SQEs in the SQ and wake
 * the owner if it waits (docs/linux-provider.md, "Deferred task work").
 */
final class Ring {
    /**
     * The most io-wq workers of each kind ({@code [bounded, unbounded]}, see IORING_REGISTER_IOWQ_MAX_WORKERS in
     * io_uring_register(2)) per thread that submits to a ring. Socket requests never block in a worker here (the
     * sockets are non-blocking, and a send that finds no room waits in {@link WritableWait}), so the few a
     * worker runs (a request io_uring could not poll for) return at once; the bound keeps a flood of them, or a
     * kernel that punts more than this one, from growing a kernel thread per connection.
     */
    static final int IOWQ_MAX_BOUNDED = 2;
    /** See {@link #IOWQ_MAX_BOUNDED}. */
    static final int IOWQ_MAX_UNBOUNDED = 4;

    /** Entries asked for each ring; the CQ gets twice as many, and IORING_FEAT_NODROP keeps any overflow. */
    static final int DEFAULT_ENTRIES = 256;
    /** CQ entries asked for (IORING_SETUP_CQSIZE): room for the CQEs of many sockets' requests in flight. */
    static final int CQ_ENTRIES = 16384;

    /**
     * Slots asked for in each ring's table of registered files (IORING_REGISTER_FILES2, sparse); fewer where the
     * kernel refuses that many (it allows no more than RLIMIT_NOFILE), none where it refuses any.
     */
    static final int FILE_SLOTS = 16384;
    /** The fewest slots worth a table. */
    private static final int MIN_FILE_SLOTS = 256;
    /** In {@link #filesUpdate}: the fd that IORING_REGISTER_FILES_UPDATE installs, after the struct. */
    private static final long FILES_UPDATE_FD = IO_URING_FILES_UPDATE.byteSize();
    /** In {@link #filesUpdate}: the fd -1, which an IORING_OP_FILES_UPDATE writes into a slot to empty it. */
    private static final long FILES_UPDATE_EMPTY = FILES_UPDATE_FD + 4;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** The largest buffer group id (a {@code __u16}). */
    private static final int MAX_BUFFER_GROUP = 0xffff;

    /** Decodes one CQE. Called with {@link #lock} held. */
    interface CqeHandler {
        void onCqe(long userData, int res, int flags);
    }

    final ReentrantLock lock = new ReentrantLock();
    private final int ringFd;
    private final IoUringStatistics statistics;
    private final Arena arena = Arena.ofAuto(); // freed by the GC once the ring and its waiter are gone
    private final MemorySegment capture;       // errno of calls made with the lock held
    private final MemorySegment waitCapture;   // errno of the waiter's calls (waiter thread only)
    private final MemorySegment waitArg;       // io_uring_getevents_arg + __kernel_timespec (waiter only)
    private final long ringAddress;
    private final long ringSize;
    private final long sqesAddress;
    private final long sqesSize;
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final int sqMask;
    private final int sqEntries;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;
    private final CqeHandler handler;
    private WritableWait writable; // created at the first send that must wait for room; lock held
    // An owned ring (SINGLE_ISSUER | DEFER_TASKRUN): only its owner, once it has one, enters it or registers on it
    // (the kernel refuses any other thread with EEXIST); the others leave their SQEs for the owner and wake it.
    private final boolean owned;
    private volatile Thread owner;
    private Runnable wakeOwner;                   // lock held
    private int[] unregisterLater = new int[0];   // buffer groups another thread released; lock held
    private int unregisterLaterCount;

    // Registered files: a request queue's socket takes a slot of this table when its queue is made (registerFile),
    // and its requests name the slot with IOSQE_FIXED_FILE, which spares the kernel an fget and fput of the socket
    // per request. A closed socket's slot is emptied by an IORING_OP_FILES_UPDATE in SQ order (releaseFile), so
    // that every SQE prepared before it still finds the socket, and serves again only after that SQE's CQE.
    private final int fileSlots;                  // 0: no table
    private final MemorySegment filesUpdate;      // struct io_uring_files_update, then the fd; and the fd -1
    private int nextFileSlot;                     // lock held
    private int[] freeFileSlots = new int[0];     // lock held
    private int freeFileSlotCount;

    private int localSqTail;      // SQEs prepared (published to the kernel at once with a release store)
    private int submittedSqTail;  // SQEs handed to io_uring_enter
    private long inFlight;        // SQEs submitted whose CQE has not been reaped
    private boolean closed;
    private boolean reaping;
    // The thread handling a batch of completions it dequeued from a completion queue of this ring, until it
    // calls RIONotify, RIODequeueCompletion or the port's wait again; its commits meanwhile leave their SQEs for
    // that call (deferSubmission). Lock held.
    private Thread batchThread;
    // Buffer group ids of provided-buffer rings (a __u16 in the SQE); ids given back serve again. Lock held.
    private int nextBufferGroup;
    private int[] freeBufferGroups = new int[0];
    private int freeBufferGroupCount;
    private MemorySegment bufReg; // struct io_uring_buf_reg
    // The thread asleep in a port's wait, or null; set under the lock with the claim of what its enter submits.
    private volatile Thread waiter;

    /** The {@code length} bytes that {@code mmap(2)} mapped at {@code address}. */
    // Restricted FFM call: the module is granted native access by name (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    private static MemorySegment mapping(long address, long length) {
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    private Ring(int ringFd, MemorySegment params, IoUringStatistics statistics, CqeHandler handler,
                 MemorySegment capture, boolean owned, int fileSlots) throws RioException {
        this.ringFd = ringFd;
        this.owned = owned;
        this.fileSlots = fileSlots;
        this.filesUpdate = arena.allocate(IO_URING_FILES_UPDATE.byteSize() + 8, 8);
        filesUpdate.set(ValueLayout.JAVA_INT, FILES_UPDATE_EMPTY, -1);
        this.statistics = statistics;
        this.handler = handler;
        this.capture = LibC.allocateCapture(arena);
        this.waitCapture = LibC.allocateCapture(arena);
        this.waitArg = arena.allocate(IO_URING_GETEVENTS_ARG.byteSize() + KERNEL_TIMESPEC.byteSize(), 8);
        int sqEntriesParam = params.get(ValueLayout.JAVA_INT, PARAMS_sq_entries);
        int cqEntriesParam = params.get(ValueLayout.JAVA_INT, PARAMS_cq_entries);
        long sqOff = PARAMS_sq_off;
        long cqOff = PARAMS_cq_off;
        int sqArrayOff = params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_array);
        int cqesOff = params.get(ValueLayout.JAVA_INT, cqOff + CQOFF_cqes);
        long sqRingSize = sqArrayOff + 4L * sqEntriesParam;
        long cqRingSize = cqesOff + CQE_SIZE * cqEntriesParam;
        // IORING_FEAT_SINGLE_MMAP: one mapping holds both rings.
        ringSize = Math.max(sqRingSize, cqRingSize);
        long address = LibC.mmap(capture, ringSize, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_SHARED | LibC.MAP_POPULATE, ringFd, IORING_OFF_SQ_RING);
        if (address == LibC.MAP_FAILED) {
            throw Errno.exception("mmap(IORING_OFF_SQ_RING)", LibC.errno(capture));
        }
        ringAddress = address;
        sqesSize = SQE_SIZE * sqEntriesParam;
        long sqesAddr = LibC.mmap(capture, sqesSize, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_SHARED | LibC.MAP_POPULATE, ringFd, IORING_OFF_SQES);
        if (sqesAddr == LibC.MAP_FAILED) {
            int errno = LibC.errno(capture);
            LibC.munmap(capture, ringAddress, ringSize);
            throw Errno.exception("mmap(IORING_OFF_SQES)", errno);
        }
        sqesAddress = sqesAddr;
        rings = mapping(ringAddress, ringSize);
        sqes = mapping(sqesAddress, sqesSize);
        sqHead = params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_head);
        sqTail = params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_tail);
        sqFlags = params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_flags);
        sqMask = rings.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_ring_mask));
        sqEntries = rings.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + SQOFF_ring_entries));
        cqHead = params.get(ValueLayout.JAVA_INT, cqOff + CQOFF_head);
        cqTail = params.get(ValueLayout.JAVA_INT, cqOff + CQOFF_tail);
        cqMask = rings.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cqOff + CQOFF_ring_mask));
        cqes = cqesOff;
        // The SQ index array maps ring slot i to SQE i for good: this provider always fills SQE (tail & mask).
        for (int i = 0; i < sqEntries; i++) {
            rings.set(ValueLayout.JAVA_INT, sqArrayOff + 4L * i, i);
        }
        localSqTail = (int) INT.getAcquire(rings, sqTail);
        submittedSqTail = localSqTail;
    }

    /**
     * Creates a ring, checking that the kernel has every feature the provider relies on.
     *
     * @throws UnsupportedOperationException if io_uring cannot be used here, saying why
     * @throws RioException                  if the ring could not be created for another reason
     */
    static Ring open(int entries, IoUringStatistics statistics, CqeHandler handler) throws RioException {
        return open(entries, statistics, handler, false);
    }

    /**
     * Creates a ring; an {@code owned} one is for one thread, the first that waits on it ({@link #own}), and is
     * set up with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has them (Linux 6.1), else as any other.
     */
    static Ring open(int entries, IoUringStatistics statistics, CqeHandler handler, boolean owned)
            throws RioException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment capture = LibC.allocateCapture(temp);
            MemorySegment params = temp.allocate(IO_URING_PARAMS);
            // COOP_TASKRUN: a completion's task work (a receive woken by incoming data) is not forced on the
            // ring's thread by an interrupt at once, but runs when the thread next enters the kernel. Without it
            // the woken thread ran the receive while the sender's softirq still held the socket's lock and spun
            // on it (docs/linux-provider.md, "Task work"). TASKRUN_FLAG tells reap() when such work is pending.
            // An owned ring defers task work further: it runs only in its owner's io_uring_enter with GETEVENTS,
            // in one batch (DEFER_TASKRUN, which needs SINGLE_ISSUER: only the owner may enter the ring, and
            // R_DISABLED lets the owner be a thread other than this one, the one that enables the ring;
            // io_uring_setup(2)).
            int common = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_TASKRUN_FLAG;
            int fd = owned ? setup(capture, entries, params, common | IORING_SETUP_SINGLE_ISSUER
                    | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED) : -1;
            if (fd < 0) {
                // Not owned, or a kernel without those flags (EINVAL): a ring as any other.
                owned = false;
                fd = setup(capture, entries, params, common | IORING_SETUP_COOP_TASKRUN);
            }
            if (fd < 0) {
                throw setupFailure(LibC.errno(capture));
            }
            int features = params.get(ValueLayout.JAVA_INT, PARAMS_features);
            String missing = missingFeatures(features);
            if (missing != null) {
                LibC.close(capture, fd);
                throw new UnsupportedOperationException(missing);
            }
            MemorySegment limits = temp.allocate(ValueLayout.JAVA_INT, 2);
            limits.set(ValueLayout.JAVA_INT, 0, IOWQ_MAX_BOUNDED);
            limits.set(ValueLayout.JAVA_INT, 4, IOWQ_MAX_UNBOUNDED);
            // Applies to every thread that submits to this ring (Linux 5.15). Should a kernel refuse it, the pool
            // is unbounded, but no request of this provider blocks in it anyway.
            LibC.ioUringRegister(capture, fd, IORING_REGISTER_IOWQ_MAX_WORKERS, limits.address(), 2);
            int fileSlots = registerFileTable(capture, temp, fd);
            try {
                return new Ring(fd, params, statistics, handler, capture, owned, fileSlots);
            } catch (RioException | RuntimeException e) {
                LibC.close(capture, fd);
                throw e;
            }
        }
    }

    /**
     * Registers an empty table of {@link #FILE_SLOTS} registered files on the new ring fd (IORING_REGISTER_FILES2
     * with IORING_RSRC_REGISTER_SPARSE, Linux 5.19; io_uring_register_files_sparse(3)), or of fewer where the
     * kernel refuses that many (EMFILE above RLIMIT_NOFILE).
     *
     * @return the table's slots, or 0 if the kernel refused every size: requests then name their sockets' fds
     */
    private static int registerFileTable(MemorySegment capture, Arena temp, int ringFd) {
        MemorySegment register = temp.allocate(IO_URING_RSRC_REGISTER);
        for (int slots = FILE_SLOTS; slots >= MIN_FILE_SLOTS; slots /= 4) {
            register.fill((byte) 0);
            register.set(ValueLayout.JAVA_INT, RSRC_REGISTER_nr, slots);
            register.set(ValueLayout.JAVA_INT, RSRC_REGISTER_flags, IORING_RSRC_REGISTER_SPARSE);
            if (LibC.ioUringRegister(capture, ringFd, IORING_REGISTER_FILES2, register.address(),
                    (int) IO_URING_RSRC_REGISTER.byteSize()) >= 0) {
                return slots;
            }
        }
        return 0;
    }

    /** io_uring_setup(2) with {@code flags} and a {@link #CQ_ENTRIES}-entry CQ, {@code params} cleared first. */
    private static int setup(MemorySegment capture, int entries, MemorySegment params, int flags) {
        params.fill((byte) 0);
        params.set(ValueLayout.JAVA_INT, PARAMS_flags, flags);
        params.set(ValueLayout.JAVA_INT, PARAMS_cq_entries, CQ_ENTRIES);
        return LibC.ioUringSetup(capture, entries, params);
    }

    /**
     * Explains why {@code io_uring_setup} failed with {@code errno}: an UnsupportedOperationException when io_uring
     * cannot be used here, else a RioException.
     */
    static Exception setupFailureCause(int errno) {
        return switch (errno) {
            case Errno.ENOSYS -> new UnsupportedOperationException("io_uring_setup failed with ENOSYS: this kernel "
                    + "has no io_uring (the provider needs Linux 5.19 or later)");
            case Errno.EPERM -> new UnsupportedOperationException("io_uring_setup failed with EPERM: io_uring is "
                    + "disabled for this process (/proc/sys/kernel/io_uring_disabled, kernel.io_uring_group, or a "
                    + "seccomp filter such as a container runtime's default profile)");
            case Errno.EINVAL -> new UnsupportedOperationException("io_uring_setup failed with EINVAL: the kernel "
                    + "does not know IORING_SETUP_SUBMIT_ALL, COOP_TASKRUN, TASKRUN_FLAG or CQSIZE (Linux 5.19 or later "
                    + "needed)");
            default -> Errno.exception("io_uring_setup", errno);
        };
    }

    private static RuntimeException setupFailure(int errno) throws RioException {
        Exception e = setupFailureCause(errno);
        if (e instanceof RioException r) {
            throw r;
        }
        return (RuntimeException) e;
    }

    /** Returns what is missing from the kernel's {@code features} for this provider, or null if nothing. */
    static String missingFeatures(int features) {
        if ((features & REQUIRED_FEATURES) == REQUIRED_FEATURES) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        String[] labels = {"IORING_FEAT_SINGLE_MMAP", "IORING_FEAT_NODROP", "IORING_FEAT_SUBMIT_STABLE",
            "IORING_FEAT_FAST_POLL", "IORING_FEAT_EXT_ARG"};
        int[] bits = {IORING_FEAT_SINGLE_MMAP, IORING_FEAT_NODROP, IORING_FEAT_SUBMIT_STABLE, IORING_FEAT_FAST_POLL,
            IORING_FEAT_EXT_ARG};
        for (int i = 0; i < bits.length; i++) {
            if ((features & bits[i]) == 0) {
                names.append(names.isEmpty() ? "" : ", ").append(labels[i]);
            }
        }
        return String.format("io_uring lacks features the provider needs: %s (features 0x%x; Linux 5.19 or later "
                + "has them all)", names, features);
    }

    /** The epoll set where this ring's TCP sends wait for room when io_uring's poll cannot. Lock held. */
    WritableWait writable(IoUringProvider provider) {
        if (writable == null) {
            writable = new WritableWait(this, provider);
        }
        return writable;
    }

    /**
     * Makes the calling thread the owner of an owned ring that has none yet, enabling the ring
     * (IORING_REGISTER_ENABLE_RINGS: the thread that enables a SINGLE_ISSUER ring is its submitter), and checks
     * that the caller owns it. Does nothing on a ring that is not owned. Lock held.
     *
     * @param wake what wakes the owner when another thread leaves SQEs for it while it waits
     * @throws RioException if another thread owns the ring
     */
    void own(Runnable wake) throws RioException {
        if (!owned) {
            return;
        }
        Thread current = Thread.currentThread();
        if (owner == null) {
            if (LibC.ioUringRegister(capture, ringFd, IORING_REGISTER_ENABLE_RINGS, 0L, 0) < 0) {
                throw Errno.exception("io_uring_register(IORING_REGISTER_ENABLE_RINGS)", LibC.errno(capture));
            }
            wakeOwner = wake;
            owner = current;
        } else if (owner != current) {
            throw new RioException("GetQueuedCompletionStatusEx", WsaError.WSAEINVAL, "the port belongs to thread '"
                    + owner.getName() + "', the first that waited on it (RioProvider.openOwnedPort), not to '"
                    + current.getName() + "'");
        }
    }

    /** Whether this ring was set up for one thread (SINGLE_ISSUER and DEFER_TASKRUN). */
    boolean isOwned() {
        return owned;
    }

    /** Whether the calling thread may enter the kernel on this ring. */
    private boolean mayEnter() {
        return !owned || owner == Thread.currentThread();
    }

    /** The ring fd (for diagnostics). */
    int fd() {
        return ringFd;
    }

    /** SQEs submitted whose CQE has not been reaped. Lock held. */
    long inFlight() {
        return inFlight;
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether the calling thread may call io_uring_register on this ring: an owned ring's owner, or anyone before. */
    private boolean mayRegister() {
        return !owned || owner == null || owner == Thread.currentThread();
    }

    /**
     * Installs {@code fd} in a free slot of this ring's registered files (IORING_REGISTER_FILES_UPDATE,
     * io_uring_register_files_update(3)), so that requests may name it by the slot with IOSQE_FIXED_FILE
     * ({@link #prepare(byte, int, byte, long, int, long, int, long)}). The table holds a reference to the socket
     * until {@link #releaseFile} empties the slot. Lock held.
     *
     * @return the slot, or -1 if requests must name the fd: no table, no free slot, the kernel refused, or an owned
     *         ring whose owner is another thread (only it may register)
     */
    int registerFile(int fd) {
        assert lock.isHeldByCurrentThread();
        if (fileSlots == 0 || closed || !mayRegister()) {
            return -1;
        }
        int slot;
        if (freeFileSlotCount > 0) {
            slot = freeFileSlots[--freeFileSlotCount];
        } else if (nextFileSlot < fileSlots) {
            slot = nextFileSlot++;
        } else {
            return -1;
        }
        filesUpdate.set(ValueLayout.JAVA_INT, FILES_UPDATE_FD, fd);
        if (!updateFileNow(slot, FILES_UPDATE_FD)) {
            freeFileSlot(slot);
            return -1;
        }
        return slot;
    }

    /**
     * Writes the fd at {@code fdOffset} of {@link #filesUpdate} into {@code slot} with one io_uring_register
     * (IORING_REGISTER_FILES_UPDATE). Lock held, {@link #mayRegister}.
     */
    private boolean updateFileNow(int slot, long fdOffset) {
        filesUpdate.set(ValueLayout.JAVA_INT, FILES_UPDATE_offset, slot);
        filesUpdate.set(ValueLayout.JAVA_LONG, FILES_UPDATE_fds, filesUpdate.address() + fdOffset);
        return LibC.ioUringRegister(capture, ringFd, IORING_REGISTER_FILES_UPDATE, filesUpdate.address(), 1) == 1;
    }

    /**
     * Prepares the IORING_OP_FILES_UPDATE (io_uring_prep_files_update(3)) that empties {@code slot} of the
     * registered files; the caller submits it. SQEs that name the slot and were prepared before it reach the kernel
     * first and still find the socket, requests in flight keep their reference, and the slot serves another socket
     * only once this SQE's CQE is reaped ({@link #onFilesUpdateCqe}). Any thread may call it: on an owned ring the
     * owner submits it (woken if it sleeps). The caller prepares no SQE naming the slot after this. Lock held.
     */
    void releaseFile(int slot) throws RioException {
        assert lock.isHeldByCurrentThread();
        prepare(IORING_OP_FILES_UPDATE, -1, filesUpdate.address() + FILES_UPDATE_EMPTY, 1, slot, 0,
                UserData.of(UserData.FILES_UPDATE, 0, slot));
    }

    /** The CQE of {@link #releaseFile}'s update: the slot is empty (res 1) and serves again. Lock held. */
    private void onFilesUpdateCqe(int slot, int res) {
        if (res == 1) {
            freeFileSlot(slot);
        } else if (mayRegister() && updateFileNow(slot, FILES_UPDATE_EMPTY)) {
            // Not expected (the slot and the fd -1 are valid): emptied directly, so that the socket still closes.
            freeFileSlot(slot);
        }
    }

    private void freeFileSlot(int slot) {
        if (freeFileSlotCount == freeFileSlots.length) {
            freeFileSlots = Arrays.copyOf(freeFileSlots, Math.max(16, freeFileSlotCount * 2));
        }
        freeFileSlots[freeFileSlotCount++] = slot;
    }

    /** The slots of the registered files table (0: none), for tests. */
    int fileSlots() {
        return fileSlots;
    }

    /** The slots of the registered files table in use or not yet emptied, for tests. Lock held. */
    int fileSlotsInUse() {
        return nextFileSlot - freeFileSlotCount;
    }

    /**
     * Prepares an SQE and publishes it to the kernel (not yet submitted: see {@link #submit}). If the SQ is
     * full, what it holds is submitted first. Lock held.
     *
     * @return the SQE's offset in the SQE array, for op-specific fields
     */
    long prepare(byte opcode, int fd, long addr, int len, long off, int opFlags, long userData)
            throws RioException {
        return prepare(opcode, fd, (byte) 0, addr, len, off, opFlags, userData);
    }

    /**
     * {@link #prepare(byte, int, long, int, long, int, long)} with the SQE's {@code flags}: IOSQE_FIXED_FILE when
     * {@code fd} is a slot of the registered files ({@link #registerFile}). Lock held.
     */
    long prepare(byte opcode, int fd, byte sqeFlags, long addr, int len, long off, int opFlags, long userData)
            throws RioException {
        assert lock.isHeldByCurrentThread();
        if (closed) {
            throw new RioException("io_uring", WsaError.WSAEINVAL, "the ring is closed");
        }
        int head = (int) INT.getAcquire(rings, sqHead);
        if (localSqTail - head >= sqEntries) {
            submit();
            head = (int) INT.getAcquire(rings, sqHead);
            if (localSqTail - head >= sqEntries) {
                throw new RioException("io_uring", WsaError.WSAENOBUFS, "the submission queue stays full");
            }
        }
        long sqe = SQE_SIZE * (localSqTail & sqMask);
        for (long o = 0; o < SQE_SIZE; o += 8) {
            sqes.set(ValueLayout.JAVA_LONG, sqe + o, 0L); // no slice object on the hot path
        }
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_opcode, opcode);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_flags, sqeFlags);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_fd, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_off, off);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_addr, addr);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_len, len);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_op_flags, opFlags);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_user_data, userData);
        localSqTail++;
        INT.setRelease(rings, sqTail, localSqTail);
        return sqe;
    }

    /**
     * Starts a batch on the calling thread: it dequeued completions and now hands them to their owners, whose
     * commits may wait for the batch's end ({@link #endBatch}). Lock held.
     */
    void beginBatch() {
        batchThread = Thread.currentThread();
    }

    /**
     * Ends the batch: the caller submits what is prepared next (RIONotify, RIODequeueCompletion, the port's
     * wait). Lock held.
     */
    void endBatch() {
        batchThread = null;
    }

    /**
     * Whether a commit on the calling thread may leave its SQEs prepared for the end of the batch instead of
     * entering the kernel now: only on the thread handling a batch of completions of this ring, and only while
     * no other thread sleeps in a wait on it (that thread would not see them until it woke). Lock held.
     */
    boolean deferSubmission() {
        return batchThread == Thread.currentThread() && waiter == null;
    }

    /**
     * Sets {@code addr_len} of the prepared, not yet submitted SQE at {@code sqe}: the length of the destination an
     * IORING_OP_SEND names in {@code addr2} (io_uring_prep_sendto(3)). Lock held.
     */
    void addrLen(long sqe, int length) {
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_addr_len, (short) length);
    }

    /**
     * Makes the prepared IORING_OP_RECV at {@code sqe} a multishot receive into the provided buffers of
     * {@code bufferGroup}: IOSQE_BUFFER_SELECT, IORING_RECV_MULTISHOT in {@code ioprio}, the group in
     * {@code buf_group} (io_uring_prep_recv_multishot(3)). Lock held.
     */
    void multishotReceive(long sqe, int bufferGroup) {
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_flags, (byte) (sqes.get(ValueLayout.JAVA_BYTE, sqe + SQE_flags)
                | IOSQE_BUFFER_SELECT));
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_ioprio, IORING_RECV_MULTISHOT);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_buf_group, (short) bufferGroup);
    }

    /**
     * Registers the provided-buffer ring of {@code entries} entries at {@code ringAddress} (page-aligned) under a
     * buffer group id of this ring (IORING_REGISTER_PBUF_RING, io_uring_register_buf_ring(3)). Lock held.
     *
     * @return the buffer group id, or -1 if the kernel refused (it does not know provided-buffer rings, or has no
     *         group id left)
     */
    int registerBufferRing(long ringAddress, int entries) {
        assert lock.isHeldByCurrentThread();
        if (closed) {
            return -1;
        }
        int bgid;
        if (freeBufferGroupCount > 0) {
            bgid = freeBufferGroups[--freeBufferGroupCount];
        } else if (nextBufferGroup <= MAX_BUFFER_GROUP) {
            bgid = nextBufferGroup++;
        } else {
            return -1;
        }
        if (bufReg == null) {
            bufReg = arena.allocate(IO_URING_BUF_REG);
        }
        bufReg.fill((byte) 0);
        bufReg.set(ValueLayout.JAVA_LONG, BUF_REG_ring_addr, ringAddress);
        bufReg.set(ValueLayout.JAVA_INT, BUF_REG_ring_entries, entries);
        bufReg.set(ValueLayout.JAVA_SHORT, BUF_REG_bgid, (short) bgid);
        if (LibC.ioUringRegister(capture, ringFd, IORING_REGISTER_PBUF_RING, bufReg.address(), 1) < 0) {
            releaseBufferGroup(bgid);
            return -1;
        }
        return bgid;
    }

    /**
     * Unregisters the provided-buffer ring of {@code bgid} (IORING_UNREGISTER_PBUF_RING); its memory may be freed
     * after this, and the id serves again. Only when no request that selects from it is in the kernel. Lock held.
     */
    void unregisterBufferRing(int bgid) {
        assert lock.isHeldByCurrentThread();
        if (!closed) {
            bufReg.fill((byte) 0);
            bufReg.set(ValueLayout.JAVA_SHORT, BUF_REG_bgid, (short) bgid);
            if (LibC.ioUringRegister(capture, ringFd, IORING_UNREGISTER_PBUF_RING, bufReg.address(), 1) < 0
                    && owned && !mayEnter()) {
                // Another thread owns the ring (EEXIST): it unregisters the group at its next submit, and only then
                // does the id serve again. No request selects from the group meanwhile.
                if (unregisterLaterCount == unregisterLater.length) {
                    unregisterLater = Arrays.copyOf(unregisterLater, Math.max(8, unregisterLaterCount * 2));
                }
                unregisterLater[unregisterLaterCount++] = bgid;
                return;
            }
        }
        releaseBufferGroup(bgid);
    }

    /** Unregisters the buffer groups that other threads released (owner, lock held). */
    private void unregisterLater() {
        int n = unregisterLaterCount;
        unregisterLaterCount = 0;
        for (int i = 0; i < n; i++) {
            unregisterBufferRing(unregisterLater[i]);
        }
    }

    private void releaseBufferGroup(int bgid) {
        if (freeBufferGroupCount == freeBufferGroups.length) {
            freeBufferGroups = Arrays.copyOf(freeBufferGroups, Math.max(16, freeBufferGroupCount * 2));
        }
        freeBufferGroups[freeBufferGroupCount++] = bgid;
    }

    /**
     * Prepares an IORING_OP_ASYNC_CANCEL of the one request whose user_data is {@code target}
     * (io_uring_prep_cancel64(3)); its CQE, and the cancelled request's, come as any other. Lock held.
     */
    void prepareCancel(long target) throws RioException {
        prepare(IORING_OP_ASYNC_CANCEL, -1, target, 0, 0L, 0, UserData.of(UserData.CANCEL, 0, 0));
    }

    /**
     * Prepares an IORING_OP_ASYNC_CANCEL of every request on {@code fd} (IORING_ASYNC_CANCEL_FD |
     * IORING_ASYNC_CANCEL_ALL, io_uring_prep_cancel_fd(3)): closing an fd does not cancel io_uring requests. Lock held.
     */
    void prepareCancelAll(int fd) throws RioException {
        prepare(IORING_OP_ASYNC_CANCEL, fd, 0L, 0, 0L, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL,
                UserData.of(UserData.CANCEL, 0, 0));
    }

    /**
     * Prepares an IORING_OP_ASYNC_CANCEL of every request in flight on this ring (IORING_ASYNC_CANCEL_ANY |
     * IORING_ASYNC_CANCEL_ALL), before the ring is closed. Lock held.
     */
    void prepareCancelEverything() throws RioException {
        prepare(IORING_OP_ASYNC_CANCEL, -1, 0L, 0, 0L, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL,
                UserData.of(UserData.CANCEL, 0, 0));
    }

    /**
     * Submits what is prepared, reaps what it completed at once (a cancellation's requests) and submits what that
     * prepared in turn. Lock held.
     */
    void submitAndReap() throws RioException {
        submit();
        reap();
        submit();
    }

    /** Returns how many prepared SQEs wait for {@link #submit}. Lock held. */
    int pending() {
        return localSqTail - submittedSqTail;
    }

    /**
     * Submits every prepared SQE with one {@code io_uring_enter}, or does nothing if none is pending. Lock held.
     */
    void submit() throws RioException {
        assert lock.isHeldByCurrentThread();
        if (closed) {
            if (localSqTail == submittedSqTail) {
                return;
            }
            throw new RioException("io_uring_enter", WsaError.WSAEINVAL, "the ring is closed");
        }
        if (!mayEnter()) {
            // Another thread owns the ring: its next wait submits these; wake it if it sleeps in one.
            if (localSqTail != submittedSqTail && waiter != null && wakeOwner != null) {
                wakeOwner.run();
            }
            return;
        }
        if (unregisterLaterCount > 0) {
            unregisterLater();
        }
        int attempts = 0;
        while (localSqTail != submittedSqTail) {
            int toSubmit = localSqTail - submittedSqTail;
            int n = LibC.ioUringEnterFast(ringFd, toSubmit, 0, 0, 0L, 0L);
            statistics.enterCalls.increment();
            if (n < 0) {
                // Failed, so nothing was submitted: the same call again, with errno captured, tells why (or succeeds).
                n = LibC.ioUringEnter(capture, ringFd, toSubmit, 0, 0, 0L, 0L);
                statistics.enterCalls.increment();
            }
            if (n >= 0) {
                submittedSqTail += n;
                inFlight += n;
                statistics.sqesSubmitted.add(n);
                continue;
            }
            int errno = LibC.errno(capture);
            if ((errno == Errno.EINTR || errno == Errno.EAGAIN || errno == Errno.EBUSY) && ++attempts < 1000) {
                // EBUSY/EAGAIN: the CQ overflowed or the kernel is short of memory; reaping makes room.
                reap();
                Thread.onSpinWait();
                continue;
            }
            throw Errno.exception("io_uring_enter", errno);
        }
    }

    /**
     * Hands every CQE ready to the handler and returns how many there were, entering the kernel first where
     * completions wait for task work ({@code IORING_SQ_TASKRUN}). Lock held.
     */
    int reap() {
        return reap(true);
    }

    /**
     * Hands every CQE ready to the handler and returns how many there were. Lock held.
     *
     * @param runTaskWork whether to enter the kernel only to run pending task work. A caller that already has
     *        completions to return passes false: on an owned ring the owner's next {@code io_uring_enter} with
     *        GETEVENTS (the submission at the end of its batch, or its wait) runs that work anyway, so an enter
     *        of its own would be one system call more per batch. Other rings ignore false (their task work runs
     *        only in the kernel entries of the thread that submitted the request).
     */
    int reap(boolean runTaskWork) {
        assert lock.isHeldByCurrentThread();
        if (reaping || closed) {
            // Nested: a handler's submission reaped again, and the outer loop sees those CQEs. Closed: the
            // rings are unmapped and must not be touched.
            return 0;
        }
        reaping = true;
        try {
            return reapNow(runTaskWork || !owned);
        } finally {
            reaping = false;
        }
    }

    /** Whether completions wait for task work that only an enter with GETEVENTS runs (for tests). */
    boolean taskWorkPending() {
        return (((int) INT.getAcquire(rings, sqFlags)) & IORING_SQ_TASKRUN) != 0;
    }

    private int reapNow(boolean runTaskWork) {
        int count = 0;
        for (int round = 0; round < 2; round++) {
            int head = (int) INT.getOpaque(rings, cqHead);
            int tail = (int) INT.getAcquire(rings, cqTail);
            while (head != tail) {
                long cqe = cqes + CQE_SIZE * (head & cqMask);
                long userData = rings.get(ValueLayout.JAVA_LONG, cqe + CQE_user_data);
                int res = rings.get(ValueLayout.JAVA_INT, cqe + CQE_res);
                int flags = rings.get(ValueLayout.JAVA_INT, cqe + CQE_flags);
                head++;
                // Give the slot back before running the handler, which may submit and so produce more CQEs.
                INT.setRelease(rings, cqHead, head);
                if ((flags & IORING_CQE_F_MORE) == 0) {
                    // A multishot request's CQEs but its last carry IORING_CQE_F_MORE: it is still in the kernel.
                    inFlight--;
                }
                count++;
                int type = UserData.type(userData);
                if (type == UserData.WRITABLE) {
                    writable.onPollCqe();
                } else if (type == UserData.FILES_UPDATE) {
                    onFilesUpdateCqe(UserData.slot(userData), res);
                } else {
                    handler.onCqe(userData, res, flags);
                }
                tail = (int) INT.getAcquire(rings, cqTail);
            }
            // IORING_FEAT_NODROP keeps CQEs that did not fit in an overflow list; an enter with GETEVENTS
            // flushes them into the ring. With COOP_TASKRUN, completions may also wait for task work that only
            // runs when this thread enters the kernel (IORING_SQ_TASKRUN): the same enter runs it, so that a
            // caller that only polls still sees every completion.
            // What is prepared goes with this enter: it is made anyway, so the submission costs no system call.
            int toSubmit = localSqTail - submittedSqTail;
            int sqFlagsNow = (int) INT.getAcquire(rings, sqFlags);
            boolean enter = (sqFlagsNow & IORING_SQ_CQ_OVERFLOW) != 0
                    || ((sqFlagsNow & IORING_SQ_TASKRUN) != 0 && (runTaskWork || toSubmit > 0));
            if (!enter || !mayEnter()) {
                // (Deferred task work runs only in the owner's enter: another thread sees it when the owner has.)
                break;
            }
            // A failure here needs no cause: the next submit or wait enters again and reports it.
            int n = LibC.ioUringEnterFast(ringFd, toSubmit, 0, IORING_ENTER_GETEVENTS, 0L, 0L);
            statistics.enterCalls.increment();
            if (n > 0) {
                submittedSqTail += n;
                inFlight += n;
                statistics.sqesSubmitted.add(n);
            }
        }
        return count;
    }

    /**
     * Claims every prepared SQE for the next {@link #waitForCompletions(long, int)}, which submits them in the
     * same {@code io_uring_enter} as it waits: one system call instead of two. Lock held.
     *
     * @return how many SQEs were claimed
     */
    int claimPending() {
        assert lock.isHeldByCurrentThread();
        waiter = Thread.currentThread();
        int n = closed ? 0 : localSqTail - submittedSqTail;
        submittedSqTail += n;
        inFlight += n;
        statistics.sqesSubmitted.add(n);
        return n;
    }

    /** Gives back claimed SQEs that an enter did not submit; the next {@link #submit} sends them. */
    private void unclaim(int n) {
        lock.lock();
        try {
            submittedSqTail -= n;
            inFlight -= n;
            statistics.sqesSubmitted.add(-n);
        } finally {
            lock.unlock();
        }
    }

    /** {@link #waitForCompletions(long, int)} with nothing to submit. */
    boolean waitForCompletions(long timeoutNanos) throws RioException {
        return waitForCompletions(timeoutNanos, 0);
    }

    /**
     * Submits {@code claimed} SQEs ({@link #claimPending}) and waits until a CQE is ready or {@code timeoutNanos}
     * pass (negative: no limit), in one {@code io_uring_enter}, without the lock. Only one thread may wait on a
     * ring at a time. Other threads may submit meanwhile: the kernel consumes the SQ in order whoever enters, and
     * the counts add up because each caller only ever submits as many as it counted.
     *
     * @return false on timeout
     */
    boolean waitForCompletions(long timeoutNanos, int claimed) throws RioException {
        try {
            return enterAndWait(timeoutNanos, claimed);
        } finally {
            waiter = null;
        }
    }

    private boolean enterAndWait(long timeoutNanos, int claimed) throws RioException {
        if (closed) {
            throw new RioException("io_uring_enter(GETEVENTS)", WsaError.ERROR_ABANDONED_WAIT_0, "the ring is closed");
        }
        if (!mayEnter()) {
            if (claimed > 0) {
                unclaim(claimed);
            }
            throw new RioException("io_uring_enter(GETEVENTS)", WsaError.WSAEINVAL, owner == null
                    ? "the ring has no owner yet: its owner's first wait on the port enables it"
                    : "the ring belongs to thread '" + owner.getName() + "'");
        }
        long arg = waitArg.address();
        long ts = arg + IO_URING_GETEVENTS_ARG.byteSize();
        waitArg.set(ValueLayout.JAVA_LONG, 0, 0L);
        waitArg.set(ValueLayout.JAVA_LONG, 8, 0L);
        if (timeoutNanos >= 0) {
            waitArg.set(ValueLayout.JAVA_LONG, IO_URING_GETEVENTS_ARG.byteSize() + TS_tv_sec,
                    timeoutNanos / 1_000_000_000L);
            waitArg.set(ValueLayout.JAVA_LONG, IO_URING_GETEVENTS_ARG.byteSize() + TS_tv_nsec,
                    timeoutNanos % 1_000_000_000L);
            waitArg.set(ValueLayout.JAVA_LONG, GETEVENTS_ts, ts);
        } else {
            waitArg.set(ValueLayout.JAVA_LONG, GETEVENTS_ts, 0L);
        }
        long start = timeoutNanos > 0 ? System.nanoTime() : 0L;
        int n = LibC.ioUringEnterFast(ringFd, claimed, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, arg,
                IO_URING_GETEVENTS_ARG.byteSize());
        statistics.enterCalls.increment();
        if (n < 0) {
            if (timeoutNanos == 0 || (timeoutNanos > 0 && System.nanoTime() - start >= timeoutNanos)) {
                // The wait lasted its whole timeout: ETIME, the one failure that needs no cause (an EINTR at the
                // deadline means the same). A poll (timeout 0) that failed is taken as empty without asking why,
                // as its usual failure is ETIME: a real failure (EBADF, EFAULT) surfaces at the next submit or
                // blocking wait, which ask.
                if (claimed > 0) {
                    unclaim(claimed);
                }
                return false;
            }
            // Woken early without a CQE: a signal (EINTR), or a real failure. The same call again with errno
            // captured, for the time left, tells which; nothing was submitted by the failed call.
            if (timeoutNanos > 0) {
                long left = Math.max(0L, timeoutNanos - (System.nanoTime() - start));
                waitArg.set(ValueLayout.JAVA_LONG, IO_URING_GETEVENTS_ARG.byteSize() + TS_tv_sec,
                        left / 1_000_000_000L);
                waitArg.set(ValueLayout.JAVA_LONG, IO_URING_GETEVENTS_ARG.byteSize() + TS_tv_nsec,
                        left % 1_000_000_000L);
            }
            n = LibC.ioUringEnter(waitCapture, ringFd, claimed, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
                    arg, IO_URING_GETEVENTS_ARG.byteSize());
            statistics.enterCalls.increment();
        }
        if (n >= 0) {
            if (n < claimed) {
                unclaim(claimed - n);
            }
            // With SQEs submitted, the kernel returns their count even if the wait then timed out: report a
            // wake-up, and the caller looks again.
            return true;
        }
        int errno = LibC.errno(waitCapture);
        if (claimed > 0) {
            unclaim(claimed);
        }
        return switch (errno) {
            case Errno.ETIME -> false;
            case Errno.EINTR, Errno.EAGAIN, Errno.EBUSY -> true;
            default -> throw Errno.exception("io_uring_enter(GETEVENTS)", errno);
        };
    }

    /** Unmaps the rings and closes the ring fd; the kernel cancels whatever is still in flight. Lock held. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writable != null) {
            writable.close();
        }
        LibC.munmap(capture, sqesAddress, sqesSize);
        LibC.munmap(capture, ringAddress, ringSize);
        LibC.close(capture, ringFd);
    }
}
