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

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SingleThreadIoEventLoop;

import java.util.concurrent.Executor;

/**
 * The loop that dequeues RIO completions: a {@link SingleThreadIoEventLoop} whose {@link io.netty.channel.IoHandler}
 * is a {@link RioIoHandler} (one completion queue and its port, dequeued in batches, see {@code docs/transport.md}).
 * It is the child a {@link RioEventLoopGroup} makes; a {@code MultiThreadIoEventLoopGroup} over
 * {@link RioIoHandler#newFactory()} runs the same handler in Netty's own loop class. What this class adds is the
 * way to the handler's counters from the loop itself, before or without any channel ({@link #metric()}).
 */
public final class RioEventLoop extends SingleThreadIoEventLoop {

    /**
     * Creates an event loop running on {@code executor} with a handler from {@code factory}, which must make
     * {@link RioIoHandler}s ({@link RioIoHandler#newFactory()}).
     */
    public RioEventLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory) {
        super(parent, executor, factory);
    }

    /**
     * Returns the counters of this loop's {@link RioIoHandler} (requests in flight, completions per dequeue, bytes
     * sent without a copy and bytes copied), shared by every channel of the loop. Any thread.
     *
     * @throws IllegalStateException if the loop was made with a factory of another handler
     */
    public RioIoHandlerMetric metric() {
        if (!(ioHandler() instanceof RioIoHandler handler)) {
            throw new IllegalStateException("not a RIO handler: " + ioHandler());
        }
        return handler.metric();
    }
}
