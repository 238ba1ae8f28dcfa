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
package io.nettyrio.channel;

import io.netty.channel.IoHandle;

/**
 * An {@link IoHandle} that a {@link RioIoHandler} can serve: every RIO channel's Unsafe. The handler delivers each
 * completion (a dequeued {@code RIORESULT}, or a port entry for an accept or a connect) as a {@link RioIoEvent}.
 */
public interface RioIoHandle extends IoHandle {
    /**
     * Closes the channel, as {@code Channel.Unsafe.close} with a void promise. Throws no checked exception: narrower
     * than {@link IoHandle#close()}, which may throw any {@link Exception} (even {@link InterruptedException}).
     */
    @Override
    void close();
}
