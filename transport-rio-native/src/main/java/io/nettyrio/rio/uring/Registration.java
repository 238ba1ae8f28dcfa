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

import java.lang.foreign.MemorySegment;

/**
 * A registered buffer ({@code RIORegisterBuffer}): the caller's native segment and the length registered. The
 * provider keeps a reference to the segment, so memory of an automatic arena stays alive while registered.
 * io_uring needs no registration for plain sends and receives, so registering pins nothing; it is the
 * bookkeeping RIO's rules need (a slice must lie inside one live registration).
 */
final class Registration {
    final MemorySegment segment;
    final long address;
    final int length;
    volatile boolean registered = true;

    Registration(MemorySegment segment, int length) {
        this.segment = segment;
        this.address = segment.address();
        this.length = length;
    }

    /**
     * Returns whether the slice may still be handed to the kernel: still registered, and its memory alive (not
     * freed by closing its arena).
     */
    boolean usable() {
        return registered && segment.scope().isAlive();
    }
}
