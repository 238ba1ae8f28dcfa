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
package io.nettyrio.rio.fault;

import java.lang.foreign.MemorySegment;

/**
 * One request the decorator passed to the provider (or completed itself, on a broken socket): what it needs to
 * give the caller its own context back, to rewrite the status, to count capacity and to free a split receive's
 * {@code RIO_BUF} copy.
 */
final class FaultRequest {
    final FaultRequestQueue queue;
    final FaultCompletionQueue completionQueue;
    final boolean send;
    final boolean notifies;
    final long userContext;
    /** The decorator's {@code RIO_BUF} copy with the smaller length, or null: kept until the completion. */
    MemorySegment splitBuf;

    FaultRequest(FaultRequestQueue queue, FaultCompletionQueue completionQueue, boolean send, boolean notifies,
                 long userContext) {
        this.queue = queue;
        this.completionQueue = completionQueue;
        this.send = send;
        this.notifies = notifies;
        this.userContext = userContext;
    }
}
