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

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link MultiThreadIoEventLoopGroup} whose children are {@link RioEventLoop}s, each with its own
 * {@link RioIoHandler}. Equivalent to {@code new MultiThreadIoEventLoopGroup(RioIoHandler.newFactory())}, for code
 * that wants one class.
 */
public final class RioEventLoopGroup extends MultiThreadIoEventLoopGroup {

    /** Creates a group with the default number of threads and the default {@link RioIoHandlerConfig}. */
    public RioEventLoopGroup() {
        this(0);
    }

    /** Creates a group with {@code nThreads} threads (0 for the default). */
    public RioEventLoopGroup(int nThreads) {
        this(nThreads, (ThreadFactory) null);
    }

    /** Creates a group with {@code nThreads} threads made by {@code threadFactory}. */
    public RioEventLoopGroup(int nThreads, ThreadFactory threadFactory) {
        this(nThreads, threadFactory, new RioIoHandlerConfig());
    }

    /** Creates a group with {@code nThreads} threads made by {@code threadFactory}, configured by {@code config}. */
    public RioEventLoopGroup(int nThreads, ThreadFactory threadFactory, RioIoHandlerConfig config) {
        super(nThreads, threadFactory, RioIoHandler.newFactory(config));
    }

    RioEventLoopGroup(int nThreads, IoHandlerFactory factory) {
        super(nThreads, (ThreadFactory) null, factory);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new RioEventLoop(this, executor, ioHandlerFactory);
    }
}
