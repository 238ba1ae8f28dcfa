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
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Where the downcalls capture {@code WSAGetLastError} and {@code GetLastError} ("Linker.Option.captureCallState",
 * the JDK's {@code java.lang.foreign} API): a per-thread segment of {@link Linker.Option#captureStateLayout()}, which
 * the JVM fills right after the native call returns, before it can run native code of its own. The names exist on
 * Windows only ({@link Linking}).
 */
final class CallState {
    /** The capture layout of this platform. */
    static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final Linking.Target TARGET = Linking.target();
    /** Captures {@code WSAGetLastError} (ws2_32, mswsock and the RIO functions). */
    static final Linker.Option WSA = Linker.Option.captureCallState(TARGET.wsaErrorName());
    /** Captures {@code GetLastError} (kernel32). */
    static final Linker.Option WIN32 = Linker.Option.captureCallState(TARGET.lastErrorName());

    private static final VarHandle WSA_LAST_ERROR = LAYOUT.varHandle(groupElement(TARGET.wsaErrorName()));
    private static final VarHandle LAST_ERROR = LAYOUT.varHandle(groupElement(TARGET.lastErrorName()));
    // An automatic arena: the segment lives as long as its thread references it.
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LAYOUT));

    private CallState() {
    }

    /** This thread's capture segment, passed as the first argument of every capturing downcall. */
    static MemorySegment current() {
        return STATE.get();
    }

    /** What this thread's last capturing ws2_32 / mswsock / RIO downcall captured. */
    static int wsaLastError() {
        return (int) WSA_LAST_ERROR.get(STATE.get(), 0L);
    }

    /** What this thread's last capturing kernel32 downcall captured. */
    static int lastError() {
        return (int) LAST_ERROR.get(STATE.get(), 0L);
    }
}
