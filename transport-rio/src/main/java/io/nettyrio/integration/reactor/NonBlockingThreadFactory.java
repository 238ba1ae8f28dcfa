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
package io.nettyrio.integration.reactor;

import io.netty.util.concurrent.FastThreadLocalThread;
import reactor.core.scheduler.NonBlocking;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the event loop threads of {@link RioLoopResources}: Netty {@link FastThreadLocalThread}s that Reactor
 * knows as {@link NonBlocking}, so that {@code Mono.block()} on an event loop throws instead of stalling it, as on
 * reactor-netty's own event loops.
 */
final class NonBlockingThreadFactory implements ThreadFactory {
    private final String prefix;
    private final boolean daemon;
    private final AtomicInteger counter = new AtomicInteger();

    NonBlockingThreadFactory(String prefix, boolean daemon) {
        this.prefix = prefix;
        this.daemon = daemon;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new EventLoopThread(task);
        thread.setName(prefix + '-' + counter.incrementAndGet());
        thread.setDaemon(daemon);
        return thread;
    }

    /** A Netty event loop thread that Reactor treats as non-blocking. */
    static final class EventLoopThread extends FastThreadLocalThread implements NonBlocking {
        EventLoopThread(Runnable task) {
            super(task);
        }
    }
}
