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
package io.nettyrio.rio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native layouts of the RIO structs that cross the model's API, as the Microsoft Learn pages "RIO_BUF
 * structure (mswsock.h)", "RIORESULT structure (mswsock.h)" and "RIO_NOTIFICATION_COMPLETION structure
 * (mswsock.h)" give them for x64 Windows (checked against the headers, {@code docs/windows.md}). Both providers read
 * and write these same layouts, so code above the model sees one memory image. The VarHandles take a segment and a base
 * offset ({@code (MemorySegment, long)}), so one handle serves a whole array of structs without slicing.
 */
public final class RioLayouts {
    /** {@code RIO_BUF}: BufferId ptr@0, Offset u32@8, Length u32@12; 16 bytes, align 8. */
    public static final StructLayout RIO_BUF = MemoryLayout.structLayout(
            JAVA_LONG.withName("BufferId"),
            JAVA_INT.withName("Offset"),
            JAVA_INT.withName("Length")).withName("RIO_BUF");

    /** {@code RIORESULT}: Status i32@0, BytesTransferred u32@4, SocketContext u64@8, RequestContext u64@16. */
    public static final StructLayout RIORESULT = MemoryLayout.structLayout(
            JAVA_INT.withName("Status"),
            JAVA_INT.withName("BytesTransferred"),
            JAVA_LONG.withName("SocketContext"),
            JAVA_LONG.withName("RequestContext")).withName("RIORESULT");

    /**
     * {@code RIO_NOTIFICATION_COMPLETION} with its IOCP arm: Type i32@0, padding, IocpHandle ptr@8,
     * CompletionKey ptr@16, Overlapped ptr@24; 32 bytes. The Event arm (EventHandle@8, NotifyReset@16) shares
     * the same bytes; the model only uses {@link RioConstants#RIO_IOCP_COMPLETION}.
     */
    public static final StructLayout RIO_NOTIFICATION_COMPLETION = MemoryLayout.structLayout(
            JAVA_INT.withName("Type"),
            MemoryLayout.paddingLayout(4),
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(
                            ADDRESS.withName("EventHandle"),
                            JAVA_INT.withName("NotifyReset"),
                            MemoryLayout.paddingLayout(4)).withName("Event"),
                    MemoryLayout.structLayout(
                            ADDRESS.withName("IocpHandle"),
                            ADDRESS.withName("CompletionKey"),
                            ADDRESS.withName("Overlapped")).withName("Iocp")).withName("u"))
            .withName("RIO_NOTIFICATION_COMPLETION");

    /**
     * {@code OVERLAPPED} (= {@code WSAOVERLAPPED}) of {@code minwinbase.h}, x64: Internal u64@0, InternalHigh u64@8,
     * union { Offset u32@16, OffsetHigh u32@20 | Pointer ptr@16 }, hEvent ptr@24; 32 bytes, align 8
     * ("OVERLAPPED structure (minwinbase.h)"). A {@link #RIO_NOTIFICATION_COMPLETION} names one, which must live as
     * long as its completion queue; the model's users only allocate it, the Windows provider reads it.
     */
    public static final StructLayout OVERLAPPED = MemoryLayout.structLayout(
            JAVA_LONG.withName("Internal"),
            JAVA_LONG.withName("InternalHigh"),
            MemoryLayout.unionLayout(
                    MemoryLayout.structLayout(
                            JAVA_INT.withName("Offset"),
                            JAVA_INT.withName("OffsetHigh")).withName("s"),
                    ADDRESS.withName("Pointer")).withName("u"),
            ADDRESS.withName("hEvent")).withName("OVERLAPPED");

    /** {@code RIO_BUF.BufferId}. */
    public static final VarHandle RIO_BUF_BufferId = RIO_BUF.varHandle(groupElement("BufferId"));
    /** {@code RIO_BUF.Offset}. */
    public static final VarHandle RIO_BUF_Offset = RIO_BUF.varHandle(groupElement("Offset"));
    /** {@code RIO_BUF.Length}. */
    public static final VarHandle RIO_BUF_Length = RIO_BUF.varHandle(groupElement("Length"));

    /** {@code RIORESULT.Status}. */
    public static final VarHandle RIORESULT_Status = RIORESULT.varHandle(groupElement("Status"));
    /** {@code RIORESULT.BytesTransferred}. */
    public static final VarHandle RIORESULT_BytesTransferred =
            RIORESULT.varHandle(groupElement("BytesTransferred"));
    /** {@code RIORESULT.SocketContext}. */
    public static final VarHandle RIORESULT_SocketContext = RIORESULT.varHandle(groupElement("SocketContext"));
    /** {@code RIORESULT.RequestContext}. */
    public static final VarHandle RIORESULT_RequestContext = RIORESULT.varHandle(groupElement("RequestContext"));

    /** {@code RIO_NOTIFICATION_COMPLETION.Type}. */
    public static final VarHandle RIO_NOTIFICATION_COMPLETION_Type =
            RIO_NOTIFICATION_COMPLETION.varHandle(groupElement("Type"));
    /** {@code RIO_NOTIFICATION_COMPLETION.Iocp.IocpHandle}. */
    public static final VarHandle RIO_NOTIFICATION_COMPLETION_IocpHandle = RIO_NOTIFICATION_COMPLETION.varHandle(
            groupElement("u"), groupElement("Iocp"), groupElement("IocpHandle"));
    /** {@code RIO_NOTIFICATION_COMPLETION.Iocp.CompletionKey}. */
    public static final VarHandle RIO_NOTIFICATION_COMPLETION_CompletionKey = RIO_NOTIFICATION_COMPLETION
            .varHandle(groupElement("u"), groupElement("Iocp"), groupElement("CompletionKey"));
    /** {@code RIO_NOTIFICATION_COMPLETION.Iocp.Overlapped}. */
    public static final VarHandle RIO_NOTIFICATION_COMPLETION_Overlapped = RIO_NOTIFICATION_COMPLETION
            .varHandle(groupElement("u"), groupElement("Iocp"), groupElement("Overlapped"));

    private RioLayouts() {
    }
}
