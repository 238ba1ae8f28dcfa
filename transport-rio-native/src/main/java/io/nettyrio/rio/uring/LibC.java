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

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls into libc, found through {@link Linker#defaultLookup()}: the io_uring system calls (through the
 * variadic {@code syscall}), {@code mmap}/{@code munmap}, the socket calls and {@code eventfd}. Every handle
 * captures {@code errno} with {@link Linker.Option#captureCallState}, never through a second call, because the
 * JVM may run other native code between two downcalls. The capture segment is the first argument of each
 * wrapper; {@link #errno(MemorySegment)} reads it.
 *
 * <p>Wrappers return what libc returns (-1 on failure for the socket calls); they never throw.
 */
final class LibC {
    /** {@code __NR_io_uring_setup} on x86_64 and aarch64 alike. */
    static final long NR_io_uring_setup = 425;
    /** {@code __NR_io_uring_enter}. */
    static final long NR_io_uring_enter = 426;
    /** {@code __NR_io_uring_register}. */
    static final long NR_io_uring_register = 427;

    // <sys/mman.h>
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_POPULATE = 0x8000;
    static final long MAP_FAILED = -1L;

    // <sys/eventfd.h>
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    // <sys/epoll.h>
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLONESHOT = 1 << 30;
    // <poll.h>
    static final int POLLIN = 0x001;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** The layout of the capture segment each wrapper takes first. */
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    // long syscall(long number, ...): every variadic argument is passed as a 64-bit long, as the kernel reads
    // whole registers; pointers are passed as their addresses.
    private static final MethodHandle SYSCALL2 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL4 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL6 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG), Linker.Option.firstVariadicArg(1));
    // io_uring_enter without the errno capture, for the hot path: the JDK's capture costs an object per call where
    // escape analysis does not remove it (40 bytes, measured with -XX:-DoEscapeAnalysis). See ioUringEnterFast.
    private static final MethodHandle SYSCALL6_NO_ERRNO = link("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = downcall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = downcall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = downcall("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle RECVMMSG = downcall("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private LibC() {
    }

    /** Links libc's {@code name} with errno captured (the capture segment becomes the first parameter). */
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return link(name, descriptor, options);
    }

    /** Links libc's {@code name} with exactly the options given. */
    // Restricted FFM call: the module is granted native access by name (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** Allocates a capture segment for the wrappers. */
    static MemorySegment allocateCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** Returns the {@code errno} the last wrapper called with {@code capture} saw. */
    static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** {@code io_uring_setup(entries, params)}: the ring fd, or -1. */
    static int ioUringSetup(MemorySegment capture, int entries, MemorySegment params) {
        try {
            return (int) (long) SYSCALL2.invokeExact(capture, NR_io_uring_setup, (long) entries, params.address());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: the number submitted, or -1. */
    static int ioUringEnter(MemorySegment capture, int fd, int toSubmit, int minComplete, int flags, long arg,
                            long argSize) {
        try {
            return (int) (long) SYSCALL6.invokeExact(capture, NR_io_uring_enter, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter} as {@link #ioUringEnter}, but without capturing {@code errno}: it returns -1 on failure
     * and the cause is not known. A failed {@code io_uring_enter} consumes no SQE and reaps no CQE (io_uring_enter(2):
     * it returns an error only when it submitted nothing), so a caller that gets -1 makes the same call again with
     * {@link #ioUringEnter} to learn why: the rare failure pays for the capture, every successful call is free of it.
     */
    static int ioUringEnterFast(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        try {
            return (int) (long) SYSCALL6_NO_ERRNO.invokeExact(NR_io_uring_enter, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code io_uring_register(fd, opcode, arg, nrArgs)}. */
    static int ioUringRegister(MemorySegment capture, int fd, int opcode, long arg, int nrArgs) {
        try {
            return (int) (long) SYSCALL4.invokeExact(capture, NR_io_uring_register, (long) fd, (long) opcode, arg,
                    (long) nrArgs);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: the address, or {@link #MAP_FAILED}. */
    static long mmap(MemorySegment capture, long length, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(capture, 0L, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap(address, length)}. */
    static int munmap(MemorySegment capture, long address, long length) {
        try {
            return (int) MUNMAP.invokeExact(capture, address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int socket(MemorySegment capture, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(capture, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bind(MemorySegment capture, int fd, MemorySegment addr, int addrLen) {
        try {
            return (int) BIND.invokeExact(capture, fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int listen(MemorySegment capture, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(capture, fd, backlog);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int connect(MemorySegment capture, int fd, MemorySegment addr, int addrLen) {
        try {
            return (int) CONNECT.invokeExact(capture, fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int shutdown(MemorySegment capture, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(capture, fd, how);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(MemorySegment capture, int fd) {
        try {
            return (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockopt(MemorySegment capture, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(capture, fd, level, name, value, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockopt(MemorySegment capture, int fd, int level, int name, MemorySegment value,
                          MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(capture, fd, level, name, value, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code recvmmsg(fd, msgvec, vlen, flags, NULL)} (recvmmsg(2)): how many of the {@code struct mmsghdr}s of
     * {@code msgvec} it filled, in order, or -1.
     */
    static int recvmmsg(MemorySegment capture, int fd, MemorySegment msgvec, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(capture, fd, msgvec, vlen, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockname(MemorySegment capture, int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            return (int) GETSOCKNAME.invokeExact(capture, fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getpeername(MemorySegment capture, int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            return (int) GETPEERNAME.invokeExact(capture, fd, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int eventfd(MemorySegment capture, int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(capture, initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCreate1(MemorySegment capture, int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(capture, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCtl(MemorySegment capture, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollWait(MemorySegment capture, int epfd, MemorySegment events, int maxEvents, int timeout) {
        try {
            return (int) EPOLL_WAIT.invokeExact(capture, epfd, events, maxEvents, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long write(MemorySegment capture, int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(capture, fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
