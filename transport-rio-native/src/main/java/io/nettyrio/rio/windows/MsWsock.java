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
package io.nettyrio.rio.windows;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The extension functions of mswsock, reached through the pointers {@code WSAIoctl} returns: the 13 RIO functions
 * of {@code RIO_EXTENSION_FUNCTION_TABLE} and AcceptEx, GetAcceptExSockaddrs, ConnectEx ("RIO_EXTENSION_FUNCTION_TABLE
 * structure (mswsock.h)", "AcceptEx function (mswsock.h)" and "LPFN_CONNECTEX callback function (mswsock.h)" on
 * Microsoft Learn). The opaque handles {@code RIO_RQ}, {@code RIO_CQ}, {@code RIO_BUFFERID}, {@code SOCKET}
 * and the {@code PVOID} contexts are {@code JAVA_LONG}: 8-byte integers passed in the same registers as pointers
 * on x64, and the model's own type for them, so that nothing is boxed into a segment on the hot path.
 *
 * <p>{@link Bound}'s handles are {@code static final} so that the JIT can inline the downcalls; they are bound
 * from the pointers given to {@link #install}, which must run before {@link Bound} is first used.
 */
final class MsWsock {
    /** {@code BOOL RIOReceive(RIO_RQ, PRIO_BUF, ULONG, DWORD, PVOID)}; also RIOSend. */
    static final FunctionDescriptor RIOReceive =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG);
    /** {@code int RIOReceiveEx(RIO_RQ, PRIO_BUF, ULONG, PRIO_BUF x4, DWORD, PVOID)}; also RIOSendEx. */
    static final FunctionDescriptor RIOReceiveEx = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG);
    /** {@code VOID RIOCloseCompletionQueue(RIO_CQ)}; also RIODeregisterBuffer. */
    static final FunctionDescriptor RIOCloseCompletionQueue = FunctionDescriptor.ofVoid(JAVA_LONG);
    /** {@code RIO_CQ RIOCreateCompletionQueue(DWORD, PRIO_NOTIFICATION_COMPLETION)}. */
    static final FunctionDescriptor RIOCreateCompletionQueue = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS);
    /** {@code RIO_RQ RIOCreateRequestQueue(SOCKET, ULONG, ULONG, ULONG, ULONG, RIO_CQ, RIO_CQ, PVOID)}. */
    static final FunctionDescriptor RIOCreateRequestQueue = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** {@code ULONG RIODequeueCompletion(RIO_CQ, PRIORESULT, ULONG)}. */
    static final FunctionDescriptor RIODequeueCompletion =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT);
    /** {@code INT RIONotify(RIO_CQ)}. */
    static final FunctionDescriptor RIONotify = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);
    /** {@code RIO_BUFFERID RIORegisterBuffer(PCHAR, DWORD)}. */
    static final FunctionDescriptor RIORegisterBuffer = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT);
    /** {@code BOOL RIOResizeCompletionQueue(RIO_CQ, DWORD)}. */
    static final FunctionDescriptor RIOResizeCompletionQueue = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT);
    /** {@code BOOL RIOResizeRequestQueue(RIO_RQ, DWORD, DWORD)}. */
    static final FunctionDescriptor RIOResizeRequestQueue =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    /** {@code BOOL AcceptEx(SOCKET, SOCKET, PVOID, DWORD, DWORD, DWORD, LPDWORD, LPOVERLAPPED)}. */
    static final FunctionDescriptor AcceptEx = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    /** {@code VOID GetAcceptExSockaddrs(PVOID, DWORD, DWORD, DWORD, sockaddr**, LPINT, sockaddr**, LPINT)}. */
    static final FunctionDescriptor GetAcceptExSockaddrs = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    /** {@code BOOL ConnectEx(SOCKET, const sockaddr*, int, PVOID, DWORD, LPDWORD, LPOVERLAPPED)}. */
    static final FunctionDescriptor ConnectEx = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, ADDRESS);

    private static volatile Pointers installed;

    private MsWsock() {
    }

    private record Pointers(MemorySegment table, MemorySegment acceptEx, MemorySegment getAcceptExSockaddrs,
                            MemorySegment connectEx) {
    }

    /**
     * Records the function pointers {@link Bound} binds. The pointers are the same for the whole process (they
     * point into mswsock.dll), so a second call changes nothing.
     */
    static synchronized void install(MemorySegment table, MemorySegment acceptEx, MemorySegment getAcceptExSockaddrs,
                                     MemorySegment connectEx) {
        if (installed == null) {
            // Copy the pointers out: the caller's table segment is freed when it returns.
            MemorySegment copy = Arena.global().allocate(RioFunctionTable.RIO_EXTENSION_FUNCTION_TABLE);
            copy.copyFrom(table.asSlice(0, copy.byteSize()));
            installed = new Pointers(copy, acceptEx, getAcceptExSockaddrs, connectEx);
        }
    }

    /** The bound handles; its initialization needs {@link #install} first. */
    @SuppressWarnings("restricted") // FFM linking; users grant the module native access (docs/architecture.md)
    static final class Bound {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Pointers P = requireInstalled();

        static final MethodHandle RIOReceive = rio("RIOReceive", MsWsock.RIOReceive, true);
        static final MethodHandle RIOReceiveEx = rio("RIOReceiveEx", MsWsock.RIOReceiveEx, true);
        static final MethodHandle RIOSend = rio("RIOSend", MsWsock.RIOReceive, true);
        static final MethodHandle RIOSendEx = rio("RIOSendEx", MsWsock.RIOReceiveEx, true);
        static final MethodHandle RIOCloseCompletionQueue =
                rio("RIOCloseCompletionQueue", MsWsock.RIOCloseCompletionQueue, false);
        static final MethodHandle RIOCreateCompletionQueue =
                rio("RIOCreateCompletionQueue", MsWsock.RIOCreateCompletionQueue, true);
        static final MethodHandle RIOCreateRequestQueue =
                rio("RIOCreateRequestQueue", MsWsock.RIOCreateRequestQueue, true);
        // RIODequeueCompletion reports errors as RIO_CORRUPT_CQ and RIONotify returns its code: no capture.
        static final MethodHandle RIODequeueCompletion =
                rio("RIODequeueCompletion", MsWsock.RIODequeueCompletion, false);
        static final MethodHandle RIODeregisterBuffer =
                rio("RIODeregisterBuffer", MsWsock.RIOCloseCompletionQueue, false);
        static final MethodHandle RIONotify = rio("RIONotify", MsWsock.RIONotify, false);
        static final MethodHandle RIORegisterBuffer = rio("RIORegisterBuffer", MsWsock.RIORegisterBuffer, true);
        static final MethodHandle RIOResizeCompletionQueue =
                rio("RIOResizeCompletionQueue", MsWsock.RIOResizeCompletionQueue, true);
        static final MethodHandle RIOResizeRequestQueue =
                rio("RIOResizeRequestQueue", MsWsock.RIOResizeRequestQueue, true);
        static final MethodHandle AcceptEx = LINKER.downcallHandle(P.acceptEx(), MsWsock.AcceptEx, CallState.WSA);
        static final MethodHandle GetAcceptExSockaddrs =
                LINKER.downcallHandle(P.getAcceptExSockaddrs(), MsWsock.GetAcceptExSockaddrs);
        static final MethodHandle ConnectEx =
                LINKER.downcallHandle(P.connectEx(), MsWsock.ConnectEx, CallState.WSA);

        private Bound() {
        }

        private static Pointers requireInstalled() {
            Pointers p = installed;
            if (p == null) {
                throw new IllegalStateException("the RIO function table has not been fetched");
            }
            return p;
        }

        private static MethodHandle rio(String name, FunctionDescriptor descriptor, boolean capture) {
            MemorySegment function = P.table().get(ADDRESS, RioFunctionTable.offsetOf(name));
            return capture ? LINKER.downcallHandle(function, descriptor, CallState.WSA)
                    : LINKER.downcallHandle(function, descriptor);
        }
    }
}
