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
import java.lang.foreign.SymbolLookup;
import java.util.function.Function;

/**
 * Where the FFM bindings ({@code Ws2_32.Bound}, {@code Kernel32.Bound}, {@code MsWsock.Bound}, {@link CallState})
 * find their libraries and which call state they capture: on Windows, the DLLs by name and
 * {@code WSAGetLastError} / {@code GetLastError}. A test on another OS may retarget them, before anything is bound,
 * to Java upcalls and {@code errno}, so that the binding layer itself (symbol names, table slots, the
 * {@code invokeExact} types, argument order, error capture) runs everywhere.
 */
final class Linking {
    /**
     * What the bindings link against.
     *
     * @param libraries     the symbol lookup of a library, by its name ("ws2_32", "kernel32")
     * @param wsaErrorName  the capture name for ws2_32 / mswsock / RIO calls
     * @param lastErrorName the capture name for kernel32 calls
     */
    record Target(Function<String, SymbolLookup> libraries, String wsaErrorName, String lastErrorName) {
    }

    /** The real thing. */
    // Restricted FFM call: the module is granted native access by name (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    static final Target WINDOWS = new Target(name -> SymbolLookup.libraryLookup(name, Arena.global()),
            "WSAGetLastError", "GetLastError");

    private static Target target = WINDOWS;
    private static boolean used;

    private Linking() {
    }

    /** The target; from now on it cannot change. */
    static synchronized Target target() {
        used = true;
        return target;
    }

    /** Whether a test retargeted the bindings (does not fix the target). */
    static synchronized boolean retargeted() {
        return target != WINDOWS;
    }

    /**
     * Links the bindings against {@code other} instead of Windows. For tests on other OSes only.
     *
     * @throws IllegalStateException if a binding already used the current target
     */
    static synchronized void retarget(Target other) {
        if (used) {
            throw new IllegalStateException("the Windows bindings are already linked");
        }
        target = other;
    }
}
