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

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.fault.FaultConfig;
import io.nettyrio.rio.fault.FaultInjectingProvider;
import io.nettyrio.testing.TransportWatch;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One event loop over the fault decorator, for the channel fault tests: the decorator between RioRules and the OS
 * provider (RioRules checks the transport against what the decorator reports), a private registered allocator on
 * the same {@code RegisteredIo} for the loop's slots and the channels' {@code ALLOCATOR}, counted write promises,
 * and, beyond what {@link TransportWatch} checks in every test (leaks, rule violations, the transport's warnings), a
 * check that Netty's own loggers warned of nothing either (an exception that escaped to the event loop, a promise
 * completed twice). {@link #finish()} ends the loop and checks that nothing is left: no request with the provider,
 * no split copy, no slot out of the pool, no registered byte in use.
 */
final class ChannelFaultWorld implements AutoCloseable {
    final FaultConfig config;
    final FaultInjectingProvider faults;
    final RioProvider provider;
    final RioByteBufAllocator alloc;
    final EventLoopGroup group;
    final AtomicLong promisesIssued = new AtomicLong();
    final AtomicLong promisesSucceeded = new AtomicLong();
    final AtomicLong promisesFailed = new AtomicLong();
    private volatile RioSlotPool pool;
    private boolean finished;

    ChannelFaultWorld(FaultConfig config) {
        this(config, Long.MAX_VALUE);
    }

    /** A world whose allocator registers at most {@code maxRegisteredBytes} ({@code Long.MAX_VALUE}: no ceiling). */
    ChannelFaultWorld(FaultConfig config, long maxRegisteredBytes) {
        this.config = config;
        this.faults = FaultInjectingProvider.wrap(RioRules.unwrap(Rio.provider()), config);
        this.provider = RioRules.wrap(faults);
        RioByteBufAllocator.Builder builder = RioByteBufAllocator.builder(provider.registeredIo());
        if (maxRegisteredBytes != Long.MAX_VALUE) {
            builder.maxRegisteredBytes(maxRegisteredBytes);
        }
        this.alloc = builder.build();
        this.group = new MultiThreadIoEventLoopGroup(1,
                RioIoHandler.newFactory(provider, new RioIoHandlerConfig().setAllocator(alloc)));
    }

    /** Counts a write's promise: issued now, succeeded or failed when it completes. */
    ChannelFuture counted(ChannelFuture future) {
        promisesIssued.incrementAndGet();
        future.addListener(f -> (f.isSuccess() ? promisesSucceeded : promisesFailed).incrementAndGet());
        return future;
    }

    long promisesCompleted() {
        return promisesSucceeded.get() + promisesFailed.get();
    }

    /** Remembers the loop's slot pool (from any of its registered channels) for the final check. */
    void notePool(Channel ch) throws Exception {
        AbstractRioChannel rio = (AbstractRioChannel) ch;
        pool = ch.eventLoop().submit(() -> rio.handler.pool()).get(5, TimeUnit.SECONDS);
    }

    /** The registration id of a channel: the {@code SocketContext} of its request queue. */
    static long registrationId(Channel ch) throws Exception {
        AbstractRioChannel rio = (AbstractRioChannel) ch;
        return ch.eventLoop().submit(() -> rio.registration.id()).get(5, TimeUnit.SECONDS);
    }

    /** Checks that the event loop still runs tasks. */
    void checkLoopRunsTasks() throws Exception {
        assertEquals(42, (int) group.next().submit(() -> 42).get(5, TimeUnit.SECONDS), "the event loop runs tasks");
    }

    /**
     * Ends the loop (every channel must be closed by then) and checks that nothing is left: every write promise
     * completed, no request with the provider, no split receive's copy, no slot out of the pool or the allocator,
     * no warning logged by Netty or the transport.
     */
    void finish() throws Exception {
        finished = true;
        await(() -> promisesCompleted() == promisesIssued.get(), 10_000,
                () -> "every write promise completes: " + promisesCompleted() + " of " + promisesIssued.get());
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        assertEquals(0, faults.requestsInFlight(), "requests still with the provider");
        assertEquals(0, faults.splitBuffersInUse(), "split receives' copies still with the provider");
        if (pool != null) {
            assertEquals(0, pool.slotsInUse(), "slots out of the loop's pool");
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "registered bytes in use");
        long[] inUse = alloc.metric().slotsInUse();
        assertEquals(0, Arrays.stream(inUse).sum(), "slots in use per class: " + Arrays.toString(inUse));
        assertEquals(List.of(), TransportWatch.logged("io.netty"), "warnings logged by Netty or the transport");
    }

    static void await(BooleanSupplier condition, long millis, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out: " + what.get());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        if (!finished) {
            // Netty's awaitUninterruptibly restores the interrupt status, so close() need not throw
            // InterruptedException: an interrupted test still ends its loop and stays interrupted.
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
