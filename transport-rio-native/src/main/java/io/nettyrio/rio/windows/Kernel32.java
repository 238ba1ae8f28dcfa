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

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The I/O completion port downcalls of {@code kernel32.dll} ("I/O Completion Ports" on Microsoft Learn). {@code HANDLE}
 * and {@code ULONG_PTR} are {@code JAVA_LONG} (8 bytes, passed in an integer register like a pointer); errors
 * are captured as {@code GetLastError}. Only Windows loads {@link Bound}.
 */
final class Kernel32 {
    /** {@code HANDLE CreateIoCompletionPort(HANDLE, HANDLE, ULONG_PTR, DWORD)}. */
    static final FunctionDescriptor CreateIoCompletionPort =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);
    /** {@code BOOL GetQueuedCompletionStatusEx(HANDLE, LPOVERLAPPED_ENTRY, ULONG, PULONG, DWORD, BOOL)}. */
    static final FunctionDescriptor GetQueuedCompletionStatusEx =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** {@code BOOL PostQueuedCompletionStatus(HANDLE, DWORD, ULONG_PTR, LPOVERLAPPED)}. */
    static final FunctionDescriptor PostQueuedCompletionStatus =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    /** {@code BOOL CloseHandle(HANDLE)}. */
    static final FunctionDescriptor CloseHandle = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);

    private Kernel32() {
    }

    /** The bound handles; initializing this class loads kernel32.dll. */
    @SuppressWarnings("restricted") // FFM linking; users grant the module native access (docs/architecture.md)
    static final class Bound {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup KERNEL32 = Linking.target().libraries().apply("kernel32");

        static final MethodHandle CreateIoCompletionPort =
                bind("CreateIoCompletionPort", Kernel32.CreateIoCompletionPort);
        static final MethodHandle GetQueuedCompletionStatusEx =
                bind("GetQueuedCompletionStatusEx", Kernel32.GetQueuedCompletionStatusEx);
        static final MethodHandle PostQueuedCompletionStatus =
                bind("PostQueuedCompletionStatus", Kernel32.PostQueuedCompletionStatus);
        static final MethodHandle CloseHandle = bind("CloseHandle", Kernel32.CloseHandle);

        private Bound() {
        }

        private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(KERNEL32.findOrThrow(name), descriptor, CallState.WIN32);
        }
    }
}
