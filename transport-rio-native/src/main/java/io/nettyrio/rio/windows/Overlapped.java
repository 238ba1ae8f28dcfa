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

import io.nettyrio.rio.RioLayouts;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code OVERLAPPED} (= {@code WSAOVERLAPPED}) and {@code OVERLAPPED_ENTRY} of {@code minwinbase.h}, x64
 * ("OVERLAPPED structure (minwinbase.h)", "OVERLAPPED_ENTRY structure (minwinbase.h)"). VarHandles take {@code
 * (MemorySegment, long baseOffset)}.
 */
final class Overlapped {
    /**
     * {@code OVERLAPPED}: Internal u64@0, InternalHigh u64@8, union { Offset u32@16, OffsetHigh u32@20 | Pointer
     * ptr@16 }, hEvent ptr@24; 32 bytes, align 8.
     */
    static final StructLayout OVERLAPPED = RioLayouts.OVERLAPPED;

    /**
     * {@code OVERLAPPED_ENTRY}: lpCompletionKey u64@0, lpOverlapped ptr@8, Internal u64@16,
     * dwNumberOfBytesTransferred u32@24, 4 bytes padding; 32 bytes, align 8.
     */
    static final StructLayout OVERLAPPED_ENTRY = MemoryLayout.structLayout(
            JAVA_LONG.withName("lpCompletionKey"),
            JAVA_LONG.withName("lpOverlapped"),
            JAVA_LONG.withName("Internal"),
            JAVA_INT.withName("dwNumberOfBytesTransferred"),
            MemoryLayout.paddingLayout(4)).withName("OVERLAPPED_ENTRY");

    /** {@code OVERLAPPED.Internal}: the NTSTATUS of the operation, for the system's use. */
    static final VarHandle OVERLAPPED_Internal = OVERLAPPED.varHandle(groupElement("Internal"));
    /** {@code OVERLAPPED.hEvent}. */
    static final VarHandle OVERLAPPED_hEvent = OVERLAPPED.varHandle(groupElement("hEvent"));

    /** {@code OVERLAPPED_ENTRY.lpCompletionKey}. */
    static final VarHandle OVERLAPPED_ENTRY_lpCompletionKey =
            OVERLAPPED_ENTRY.varHandle(groupElement("lpCompletionKey"));
    /** {@code OVERLAPPED_ENTRY.lpOverlapped}, as an address. */
    static final VarHandle OVERLAPPED_ENTRY_lpOverlapped = OVERLAPPED_ENTRY.varHandle(groupElement("lpOverlapped"));
    /** {@code OVERLAPPED_ENTRY.dwNumberOfBytesTransferred}. */
    static final VarHandle OVERLAPPED_ENTRY_dwNumberOfBytesTransferred =
            OVERLAPPED_ENTRY.varHandle(groupElement("dwNumberOfBytesTransferred"));

    private Overlapped() {
    }
}
