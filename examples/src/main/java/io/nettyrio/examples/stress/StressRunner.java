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
package io.nettyrio.examples.stress;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a stress test: a server and {@link StressConfig#connections()} client connections over loopback, at most
 * {@link StressConfig#concurrency()} at once, each carrying its {@link ConnectionPlan} in both directions through a
 * {@link StressPeerHandler} at each end, every byte verified, within {@link StressConfig#timeLimitMillis()}. Then it
 * checks what is left: open channels, RIO requests in flight, registered slots in use, leaks.
 *
 * <p>The caller supplies the bootstraps with their groups and channel classes, so any pair of transports runs (RIO
 * with RIO, RIO with NIO, NIO with RIO). The runner sets {@code ALLOW_HALF_CLOSURE} (each direction ends with a
 * half-close, so the receiver knows the length), the handlers, and binds to 127.0.0.1.
 */
public final class StressRunner {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private StressRunner() {
    }

    /** Runs {@code config} with these bootstraps and returns the report; the bootstraps' groups stay up. */
    public static StressReport run(StressConfig config, ServerBootstrap serverBootstrap, Bootstrap clientBootstrap)
            throws InterruptedException {
        return run(config, serverBootstrap, clientBootstrap, ch -> { });
    }

    /**
     * As {@link #run(StressConfig, ServerBootstrap, Bootstrap)}, calling {@code serverInit} on each accepted channel
     * before the stress handler is added: a test puts a handler there (one that corrupts data, say, to check that
     * the harness notices).
     */
    public static StressReport run(StressConfig config, ServerBootstrap serverBootstrap, Bootstrap clientBootstrap,
                                   Consumer<Channel> serverInit) throws InterruptedException {
        LeakCounter leakCounter = LeakCounter.install();
        StressRun run = new StressRun(config);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(config.timeLimitMillis());

        Channel server = serverBootstrap.clone()
                .option(ChannelOption.SO_BACKLOG, Math.min(4096, Math.max(128, config.concurrency())))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        serverInit.accept(ch);
                        ch.pipeline().addLast(new StressPeerHandler(run, false, null));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        run.track(server);
        Bootstrap client = clientBootstrap.clone()
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .remoteAddress(server.localAddress());

        // Each client channel holds a permit until it closes: at most 'concurrency' connections at once, in waves.
        Semaphore permits = new Semaphore(config.concurrency());
        boolean timedOut = false;
        int launched = 0;
        for (; launched < config.connections(); launched++) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                break;
            }
            int id = launched;
            ChannelFuture connect = client.clone().handler(new StressPeerHandler(run, true, config.plan(id)))
                    .connect();
            connect.channel().closeFuture().addListener(f -> permits.release());
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    run.error(id, "connection " + id + ": connect failed: " + f.cause());
                }
            });
        }
        if (!timedOut) {
            timedOut = !permits.tryAcquire(config.concurrency(), Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
        // The server ends close once they have seen the clients' end of stream.
        if (!timedOut) {
            timedOut = !await(() -> run.open.isEmpty(), deadline);
        }
        long nanos = System.nanoTime() - start;
        if (timedOut) {
            List<String> stuck = new ArrayList<>();
            for (StressPeerHandler h : run.open) {
                if (stuck.size() == 10) {
                    break;
                }
                stuck.add(h.state());
            }
            run.error(-1, "time limit of " + config.timeLimitMillis() + " ms reached with " + launched + " of "
                    + config.connections() + " connections launched and " + run.open.size()
                    + " channel ends open; some: " + stuck);
            for (Channel ch : run.channels) {
                ch.close();
            }
        }
        server.close().sync();
        long settle = System.nanoTime() + SETTLE_NANOS;
        await(() -> run.openChannels() == 0, settle);
        // Closed channels' requests complete with errors and are dequeued after the close; then slots come back.
        await(() -> run.requestsInFlight() == 0, settle);
        await(() -> slotsInUse() == 0, settle);
        int leaks = leakCounter.collect();
        for (String report : leakCounter.reports()) {
            run.error(-1, "leak: " + report);
        }
        return new StressReport(config, launched, run.completedSides.sum(), run.killedSides.sum(),
                run.bytesWritten.sum(), run.bytesVerified.sum(), run.writes.sum(), run.promisedWrites.sum(),
                run.promisesSucceeded.sum(), run.flushes.sum(), run.autoReadToggles.sum(), run.faultsInjected.sum(),
                run.toleratedErrors.sum(), run.openChannels(), run.requestsInFlight(), slotsInUse(), leaks, nanos,
                timedOut, run.errorCount.get(), List.copyOf(run.errors), run.connectionsWithErrors.size());
    }

    /** Returns the registered slots of the default allocator in use, or 0 without RIO. */
    public static long slotsInUse() {
        if (!Rio.isAvailable()) {
            return 0;
        }
        long sum = 0;
        for (long n : RioByteBufAllocator.defaultAllocator().metric().slotsInUse()) {
            sum += n;
        }
        return sum;
    }

    private static boolean await(BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
