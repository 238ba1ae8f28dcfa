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
package io.nettyrio.buffer.internal;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;

/**
 * Puts buffers over registered slots under Netty's leak detection, exactly as Netty's allocators put theirs
 * ({@code AbstractByteBufAllocator.toLeakAwareBuffer}), so that a received buffer the user never releases (and so a
 * slot that never comes back) is reported like any other leaked buffer. This class only borrows that protected
 * helper; it allocates nothing.
 */
final class RioLeakDetection extends AbstractByteBufAllocator {
    private RioLeakDetection() {
        super(true);
    }

    static ByteBuf track(ByteBuf buf) {
        return toLeakAwareBuffer(buf);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        throw new UnsupportedOperationException();
    }
}
