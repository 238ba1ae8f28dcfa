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

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The downcall descriptors against the C signatures of their Microsoft Learn pages, for x64 Windows
 * (LLP64): BOOL / int / DWORD / ULONG are 4 bytes; SOCKET, HANDLE, ULONG_PTR, the RIO handles and PVOID contexts
 * are 8-byte integers (JAVA_LONG, passed like pointers); pointers to structs are ADDRESS. Each descriptor is also
 * linked on this machine, which checks that its layouts are ones the linker accepts and that the Java type the
 * provider invokes with ({@code invokeExact}) is the one expected.
 */
class WindowsDescriptorsTest {
    private static final MemoryLayout S = JAVA_LONG; // SOCKET, HANDLE, RIO_RQ, RIO_CQ, RIO_BUFFERID, PVOID
    private static final MemoryLayout I = JAVA_INT;  // int, BOOL, DWORD, ULONG
    private static final MemoryLayout P = ADDRESS;   // a pointer to memory

    @SuppressWarnings("restricted") // links without calling
    private static void assertDescriptor(FunctionDescriptor d, MemoryLayout result, MemoryLayout... args) {
        assertEquals(Optional.ofNullable(result), d.returnLayout(), "return of " + d);
        assertEquals(List.of(args), d.argumentLayouts(), "arguments of " + d);
        MethodType type = Linker.nativeLinker().downcallHandle(d).type();
        assertEquals(MemorySegment.class, type.parameterType(0), "the function address comes first");
        assertEquals(args.length + 1, type.parameterCount());
    }

    @Test
    void ws2_32() {
        assertDescriptor(Ws2_32.WSAStartup, I, JAVA_SHORT, P);
        assertDescriptor(Ws2_32.WSACleanup, I);
        assertDescriptor(Ws2_32.WSASocketW, S, I, I, I, P, I, I);
        assertDescriptor(Ws2_32.closesocket, I, S);
        assertDescriptor(Ws2_32.bind, I, S, P, I);
        assertDescriptor(Ws2_32.listen, I, S, I);
        assertDescriptor(Ws2_32.setsockopt, I, S, I, I, P, I);
        assertDescriptor(Ws2_32.getsockopt, I, S, I, I, P, P);
        assertDescriptor(Ws2_32.getsockname, I, S, P, P);
        assertDescriptor(Ws2_32.WSAIoctl, I, S, I, P, I, P, I, P, P, P);
        assertDescriptor(Ws2_32.WSAGetOverlappedResult, I, S, P, P, I, P);
    }

    @Test
    void kernel32() {
        assertDescriptor(Kernel32.CreateIoCompletionPort, S, S, S, S, I);
        assertDescriptor(Kernel32.GetQueuedCompletionStatusEx, I, S, P, I, P, I, I);
        assertDescriptor(Kernel32.PostQueuedCompletionStatus, I, S, I, S, P);
        assertDescriptor(Kernel32.CloseHandle, I, S);
    }

    @Test
    void rioFunctions() {
        assertDescriptor(MsWsock.RIOReceive, I, S, P, I, I, S);
        assertDescriptor(MsWsock.RIOReceiveEx, I, S, P, I, P, P, P, P, I, S);
        assertDescriptor(MsWsock.RIOCloseCompletionQueue, null, S);
        assertDescriptor(MsWsock.RIOCreateCompletionQueue, S, I, P);
        assertDescriptor(MsWsock.RIOCreateRequestQueue, S, S, I, I, I, I, S, S, S);
        assertDescriptor(MsWsock.RIODequeueCompletion, I, S, P, I);
        assertDescriptor(MsWsock.RIONotify, I, S);
        assertDescriptor(MsWsock.RIORegisterBuffer, S, P, I);
        assertDescriptor(MsWsock.RIOResizeCompletionQueue, I, S, I);
        assertDescriptor(MsWsock.RIOResizeRequestQueue, I, S, I, I);
    }

    @Test
    void winsockExtensions() {
        assertDescriptor(MsWsock.AcceptEx, I, S, S, P, I, I, I, P, P);
        assertDescriptor(MsWsock.GetAcceptExSockaddrs, null, P, I, I, I, P, P, P, P);
        assertDescriptor(MsWsock.ConnectEx, I, S, P, I, P, I, P, P);
    }
}
