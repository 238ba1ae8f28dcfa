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

import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.RioConstants;

import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * Settings of a {@link RioIoHandler}: the completion queue's initial size (it grows as request queues join it)
 * and how many results one {@code RIODequeueCompletion} call takes.
 */
public final class RioIoHandlerConfig {
    /** The most results or port entries one dequeue or wait may take. */
    private static final int MAX_BATCH_SIZE = 65536;

    private int completionQueueSize = 1024;
    private int completionBatchSize = 128;
    private int portBatchSize = 64;
    private RioByteBufAllocator allocator;
    private boolean singleIssuer = true;

    /** Creates a configuration with the defaults. */
    public RioIoHandlerConfig() {
    }

    /** Returns the completion queue's initial size. */
    public int getCompletionQueueSize() {
        return completionQueueSize;
    }

    /**
     * Sets the completion queue's initial size (1 to {@code RIO_MAX_CQ_SIZE}); it grows with
     * {@code RIOResizeCompletionQueue} when request queues need more.
     */
    public RioIoHandlerConfig setCompletionQueueSize(int completionQueueSize) {
        this.completionQueueSize = checkInRange(completionQueueSize, 1, RioConstants.RIO_MAX_CQ_SIZE,
                "completionQueueSize");
        return this;
    }

    /** Returns how many {@code RIORESULT}s one dequeue takes. */
    public int getCompletionBatchSize() {
        return completionBatchSize;
    }

    /** Sets how many {@code RIORESULT}s one dequeue takes (1 to 65536). */
    public RioIoHandlerConfig setCompletionBatchSize(int completionBatchSize) {
        this.completionBatchSize = checkInRange(completionBatchSize, 1, MAX_BATCH_SIZE, "completionBatchSize");
        return this;
    }

    /** Returns the allocator receives and staging draw from, or null for {@link RioByteBufAllocator#defaultAllocator()}. */
    public RioByteBufAllocator getAllocator() {
        return allocator;
    }

    /**
     * Sets the allocator whose registered memory the handler's channels receive into and stage sends in (default
     * null: {@link RioByteBufAllocator#defaultAllocator()}). Its ceiling ({@link
     * RioByteBufAllocator.Builder#maxRegisteredBytes}) applies to them: at the ceiling receives are posted later
     * and sends wait for slots. It must register through the handler's provider.
     */
    public RioIoHandlerConfig setAllocator(RioByteBufAllocator allocator) {
        this.allocator = allocator;
        return this;
    }

    /** Returns how many port entries one wait takes. */
    public int getPortBatchSize() {
        return portBatchSize;
    }

    /** Sets how many port entries one wait takes (1 to 65536). */
    public RioIoHandlerConfig setPortBatchSize(int portBatchSize) {
        this.portBatchSize = checkInRange(portBatchSize, 1, MAX_BATCH_SIZE, "portBatchSize");
        return this;
    }

    /** Returns whether the handler's port belongs to its event loop's thread for good (default true). */
    public boolean isSingleIssuer() {
        return singleIssuer;
    }

    /**
     * Sets whether the handler's port belongs to its event loop's thread for good ({@code
     * RioProvider.openOwnedPort}; default true). On Linux that lets the provider's io_uring run its task work in
     * batches inside the loop's wait ({@code IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN}), which
     * costs less CPU per message; the price is that the event loop cannot move to another thread, so an
     * auto-scaling {@link io.netty.channel.MultiThreadIoEventLoopGroup} cannot suspend it. Set false where
     * suspension matters more, as with Netty's {@code IoUringIoHandlerConfig.setSingleIssuer}.
     */
    public RioIoHandlerConfig setSingleIssuer(boolean singleIssuer) {
        this.singleIssuer = singleIssuer;
        return this;
    }
}
