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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Linux provider of the RIO model: RIO's documented semantics over io_uring, through the FFM API only (no
 * JNI, no NIO channels, no helper threads). See {@code docs/linux-provider.md} for the architecture and how each
 * RIO rule maps onto io_uring.
 *
 * <p>It needs Linux 5.19 or later with io_uring enabled: the features IORING_FEAT_SINGLE_MMAP, NODROP,
 * SUBMIT_STABLE, FAST_POLL and EXT_ARG, and the set-up flags IORING_SETUP_SUBMIT_ALL, CLAMP and CQSIZE. The
 * constructor opens a probe ring and throws, saying why, when io_uring cannot be used.
 */
public final class IoUringProvider implements RioProvider {
    final IoUringStatistics statistics = new IoUringStatistics();
    final HandleTable<UringSocket> sockets = new HandleTable<>(1);
    final HandleTable<UringRequestQueue> requestQueues = new HandleTable<>(2);
    final HandleTable<UringCompletionQueue> completionQueues = new HandleTable<>(3);
    final HandleTable<Registration> buffers = new HandleTable<>(4);
    final HandleTable<UringPort> ports = new HandleTable<>(5);
    final Ring.CqeHandler dispatcher = this::dispatch;
    /**
     * Whether IORING_OP_SEND takes a destination address ({@code addr2} and {@code addr_len},
     * io_uring_prep_sendto(3)): Linux 6.1 and later. An RIOSendEx then needs no msghdr for the kernel to copy in;
     * earlier kernels refuse the field with EINVAL, and get IORING_OP_SENDMSG. Not final: the tests turn it off to
     * run the SENDMSG path on a kernel that has both; it is set before the provider's first request.
     */
    boolean sendTo = kernelAtLeast(6, 1);
    /**
     * Whether a TCP socket's receives go to the kernel as one multishot IORING_OP_RECV over a provided-buffer ring
     * of the posted receive buffers (Linux 6.0 and later; {@link BufferRing}), instead of one IORING_OP_RECV at a
     * time. Off with the system property {@code io.nettyrio.uring.multishotReceive=false}. Not final: the tests
     * turn it off to run the single-receive path; it is set before the provider's first request.
     */
    boolean multishotReceive = kernelAtLeast(6, 0)
            && Boolean.parseBoolean(System.getProperty("io.nettyrio.uring.multishotReceive", "true"));
    /**
     * Whether a request queue's socket takes a slot of its ring's registered files and its requests name it by the
     * slot with IOSQE_FIXED_FILE ({@link Ring#registerFile}), sparing the kernel an fget and fput per request. Off
     * with the system property {@code io.nettyrio.uring.registeredFiles=false}. Not final: the tests turn it off to
     * run the path that names fds; it is set before the provider's first request queue.
     */
    boolean registeredFiles = Boolean.parseBoolean(System.getProperty("io.nettyrio.uring.registeredFiles", "true"));
    /**
     * Whether an owned port's ring ({@link #openOwnedPort}) is set up with {@code IORING_SETUP_SINGLE_ISSUER |
     * IORING_SETUP_DEFER_TASKRUN} (Linux 6.1 and later): task work, such as a receive woken by incoming data, then
     * runs in a batch inside the owner's wait instead of at every system call's exit. Off with the system property
     * {@code io.nettyrio.uring.deferTaskrun=false}. Not final: the tests turn it off; it is set before the
     * provider's first port.
     */
    boolean deferTaskrun = kernelAtLeast(6, 1)
            && Boolean.parseBoolean(System.getProperty("io.nettyrio.uring.deferTaskrun", "true"));
    private final UringRegisteredIo registeredIo;
    private final UringSockets socketCalls;

    /**
     * Opens the provider.
     *
     * @throws UnsupportedOperationException if io_uring cannot be used on this machine, with the reason
     * @throws RioException                  if the probe ring could not be created for another reason
     */
    public IoUringProvider() throws RioException {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new UnsupportedOperationException("the io_uring provider needs Linux, not " + os);
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            throw new UnsupportedOperationException("the io_uring provider knows the system call numbers of "
                    + "x86_64 and aarch64 only, not " + arch);
        }
        checkNotDisabled();
        Ring probe = Ring.open(8, statistics, dispatcher);
        probe.lock.lock();
        try {
            probe.close();
        } finally {
            probe.lock.unlock();
        }
        registeredIo = new UringRegisteredIo(this);
        socketCalls = new UringSockets(this);
    }

    private static void checkNotDisabled() {
        Path sysctl = Path.of("/proc/sys/kernel/io_uring_disabled");
        String value;
        try {
            value = Files.readString(sysctl).trim();
        } catch (IOException | SecurityException e) {
            return; // older kernels have no such switch; io_uring_setup will tell
        }
        if (value.equals("2")) {
            throw new UnsupportedOperationException(
                    "io_uring is disabled on this machine: /proc/sys/kernel/io_uring_disabled is 2");
        }
        // 1 allows members of kernel.io_uring_group only; io_uring_setup then fails with EPERM, reported there.
    }

    /** Whether the running kernel's release ({@code /proc/sys/kernel/osrelease}, proc(5)) is at least major.minor. */
    static boolean kernelAtLeast(int major, int minor) {
        String release;
        try {
            release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | SecurityException e) {
            return false;
        }
        return releaseAtLeast(release, major, minor);
    }

    /** Whether a kernel release string such as {@code 6.18.44-fc} is at least major.minor; false if unreadable. */
    static boolean releaseAtLeast(String release, int major, int minor) {
        String[] parts = release.split("[.\\-+_]", 3);
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public RegisteredIo registeredIo() {
        return registeredIo;
    }

    @Override
    public RioSockets sockets() {
        return socketCalls;
    }

    @Override
    public Port openPort() throws RioException {
        UringPort port = new UringPort(this, false);
        port.handle = ports.add(port);
        return port;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here the port's ring is set up with {@code IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN}
     * (Linux 6.1 and later; {@link #deferTaskrun}), disabled until its owner's first wait enables it
     * (docs/linux-provider.md, "Deferred task work").
     */
    @Override
    public Port openOwnedPort() throws RioException {
        UringPort port = new UringPort(this, deferTaskrun);
        port.handle = ports.add(port);
        return port;
    }

    /** Returns this provider's counters of SQEs submitted and io_uring_enter calls. */
    public IoUringStatistics statistics() {
        return statistics;
    }

    /** Routes the CQE of a request-queue request to its side. Called with its ring's lock held. */
    void dispatch(long userData, int res, int flags) {
        int type = UserData.type(userData);
        switch (type) {
            case UserData.RECEIVE, UserData.SEND, UserData.SEND_BATCH -> {
                UringRequestQueue rq = requestQueues.atIndex(UserData.owner(userData));
                if (rq == null) {
                    return; // cannot happen: a queue's slot is freed only after its last CQE
                }
                if (type == UserData.SEND_BATCH) {
                    rq.send.onBatchCqe(res);
                } else {
                    rq.side(type).onSingleCqe(UserData.slot(userData), res, flags);
                }
            }
            default -> {
                // UserData.CANCEL: the cancelled requests report through their own CQEs.
            }
        }
    }

    /** Registers the fd an accept returned as a socket of this provider and returns its handle. */
    long adoptAccepted(int fd, int family) {
        UringSocket socket = new UringSocket(this, fd, family, SocketOptions.SOCK_STREAM);
        socket.handle = sockets.add(socket);
        return socket.handle;
    }

    /**
     * Cancels everything still in flight on {@code ring}, reaps until the kernel has answered for all of it (for
     * at most two seconds), then closes the ring.
     */
    void drainAndClose(Ring ring) {
        ring.lock.lock();
        try {
            if (ring.isClosed()) {
                return;
            }
            ring.reap();
            if (ring.inFlight() > 0) {
                ring.prepareCancelEverything();
            }
            ring.submit();
        } catch (RioException e) {
            // fall through: closing the ring fd cancels whatever is left
        } finally {
            ring.lock.unlock();
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (;;) {
            long inFlight;
            ring.lock.lock();
            try {
                ring.reap();
                inFlight = ring.inFlight();
            } finally {
                ring.lock.unlock();
            }
            long left = deadline - System.nanoTime();
            if (inFlight <= 0 || left <= 0) {
                break;
            }
            try {
                ring.waitForCompletions(Math.min(left, 10_000_000L));
            } catch (RioException e) {
                break;
            }
        }
        ring.lock.lock();
        try {
            ring.close();
        } finally {
            ring.lock.unlock();
        }
    }
}
