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

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code GUID} ({@code guiddef.h}): Data1 u32@0, Data2 u16@4, Data3 u16@6, Data4 u8[8]@8; 16 bytes, align 4. The
 * three first fields are little-endian integers and Data4 is bytes, so the in-memory image of
 * {@code {8509e081-96dd-4005-b165-9e2ee8c79e3f}} starts {@code 81 e0 09 85 dd 96 05 40 b1 65}.
 */
final class Guid {
    /** {@code GUID}. */
    static final StructLayout GUID = MemoryLayout.structLayout(
            JAVA_INT.withName("Data1"),
            JAVA_SHORT.withName("Data2"),
            JAVA_SHORT.withName("Data3"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("Data4")).withName("GUID");

    private static final VarHandle DATA1 = GUID.varHandle(groupElement("Data1"));
    private static final VarHandle DATA2 = GUID.varHandle(groupElement("Data2"));
    private static final VarHandle DATA3 = GUID.varHandle(groupElement("Data3"));
    private static final long DATA4 = GUID.byteOffset(groupElement("Data4"));

    private Guid() {
    }

    /**
     * Allocates the {@code GUID} written {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} (the registry form without
     * braces).
     *
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    static MemorySegment allocate(SegmentAllocator allocator, String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 5 || parts[0].length() != 8 || parts[1].length() != 4 || parts[2].length() != 4
                || parts[3].length() != 4 || parts[4].length() != 12) {
            throw new IllegalArgumentException("not a GUID: " + text);
        }
        MemorySegment guid = allocator.allocate(GUID);
        try {
            DATA1.set(guid, 0L, (int) Long.parseLong(parts[0], 16));
            DATA2.set(guid, 0L, (short) Integer.parseInt(parts[1], 16));
            DATA3.set(guid, 0L, (short) Integer.parseInt(parts[2], 16));
            String data4 = parts[3] + parts[4];
            for (int i = 0; i < 8; i++) {
                guid.set(JAVA_BYTE, DATA4 + i, (byte) Integer.parseInt(data4.substring(2 * i, 2 * i + 2), 16));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a GUID: " + text, e);
        }
        return guid;
    }
}
