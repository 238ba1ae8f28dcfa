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

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.nettyrio.channel.Rio;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandle;
import io.nettyrio.channel.RioIoHandlerConfig;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The reactor-netty {@link LoopResources} of the RIO transport: servers and clients of reactor-netty (and so of
 * Spring WebFlux) run on {@link RioEventLoopGroup}s with {@link RioSocketChannel}, {@link RioServerSocketChannel}
 * and {@link RioDatagramChannel}.
 *
 * <pre>{@code
 * LoopResources rio = RioLoopResources.create("http");
 * DisposableServer server = HttpServer.create().runOn(rio).handle(...).bindNow();
 * HttpClient client = HttpClient.create().runOn(rio);
 * ...
 * rio.disposeLater().block();
 * }</pre>
 *
 * <p>Passing a RIO event loop group straight to {@code runOn(EventLoopGroup)} does not work: reactor-netty then
 * picks the channel class with its own detector, which knows only NIO, epoll, io_uring and kqueue, and fails with
 * "Unsupported event loop group". These resources answer {@link #onChannel} and {@link #onChannelClass} for their
 * own groups (and any group of RIO event loops) with the RIO channels, and leave any other group to reactor-netty.
 *
 * <p>Like reactor-netty's default resources, the groups are made on first use: a server worker group, a server
 * selector (accept) group that is the worker group unless a selector count is given, and a client group that
 * runs each connection on the caller's event loop when the caller is one ({@link LoopResources#colocate}). The
 * {@code useNative} flags of the {@code on*} methods are not consulted: whoever picked these resources picked RIO.
 * The threads are Reactor's {@link reactor.core.scheduler.NonBlocking} threads, so a blocking call such as
 * {@code Mono.block()} on an event loop fails fast, as on reactor-netty's own loops.
 *
 * <p>Creating the resources fails with {@link UnsatisfiedLinkError} when the RIO transport is unavailable
 * ({@link Rio#unavailabilityCause()}): they never fall back to another transport.
 */
// Reactor's types are in this class's API, yet the module reads Reactor with requires static, not transitive: a
// transitive edge would make every module-path user compile against Reactor and Vert.x, used or not; a user of this
// class requires Reactor anyway (docs/architecture.md, "Java modules").
@SuppressWarnings("exports")
public final class RioLoopResources implements LoopResources {
    private final String prefix;
    private final int selectCount;
    private final int workerCount;
    private final boolean daemon;
    private final RioIoHandlerConfig config;
    private final AtomicReference<EventLoopGroup> serverLoops = new AtomicReference<>();
    private final AtomicReference<EventLoopGroup> selectLoops = new AtomicReference<>();
    private final AtomicReference<EventLoopGroup> clientLoops = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private RioLoopResources(String prefix, int selectCount, int workerCount, boolean daemon,
            RioIoHandlerConfig config) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (workerCount < 1) {
            throw new IllegalArgumentException("workerCount must be at least 1: " + workerCount);
        }
        if (selectCount < -1 || selectCount == 0) {
            throw new IllegalArgumentException("selectCount must be -1 (share the workers) or at least 1: "
                    + selectCount);
        }
        this.selectCount = selectCount;
        this.workerCount = workerCount;
        this.daemon = daemon;
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Returns resources with reactor-netty's default thread counts ({@link LoopResources#DEFAULT_IO_WORKER_COUNT}
     * workers, {@link LoopResources#DEFAULT_IO_SELECT_COUNT} selectors) and daemon threads named after
     * {@code prefix}, as {@link LoopResources#create(String)} does.
     *
     * @throws UnsatisfiedLinkError if the RIO transport is not available
     */
    public static RioLoopResources create(String prefix) {
        return create(prefix, DEFAULT_IO_SELECT_COUNT, DEFAULT_IO_WORKER_COUNT, true);
    }

    /**
     * Returns resources with {@code workerCount} worker threads, the workers also accepting.
     *
     * @throws UnsatisfiedLinkError if the RIO transport is not available
     */
    public static RioLoopResources create(String prefix, int workerCount, boolean daemon) {
        return create(prefix, -1, workerCount, daemon);
    }

    /**
     * Returns resources with {@code selectCount} accepting threads ({@code -1}: the workers accept) and
     * {@code workerCount} worker threads, with the default {@link RioIoHandlerConfig}.
     *
     * @throws UnsatisfiedLinkError if the RIO transport is not available
     */
    public static RioLoopResources create(String prefix, int selectCount, int workerCount, boolean daemon) {
        return create(prefix, selectCount, workerCount, daemon, new RioIoHandlerConfig());
    }

    /**
     * Returns resources whose event loops are configured by {@code config} (queue sizes, allocator).
     *
     * @throws UnsatisfiedLinkError if the RIO transport is not available
     */
    public static RioLoopResources create(String prefix, int selectCount, int workerCount, boolean daemon,
            RioIoHandlerConfig config) {
        // Fail here, where the user chose RIO, rather than at the first bind.
        Rio.ensureAvailability();
        return new RioLoopResources(prefix, selectCount, workerCount, daemon, config);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return cached(serverLoops, () -> newGroup(workerCount, "rio"));
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        if (selectCount == -1) {
            return onServer(useNative);
        }
        return cached(selectLoops, () -> newGroup(selectCount, "rio-select"));
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        // As reactor-netty's defaults: a client started from an event loop stays on it, so a server that calls
        // out needs no thread hop.
        return cached(clientLoops, () -> LoopResources.colocate(onServer(useNative)));
    }

    /**
     * Returns a new RIO channel of the kind reactor-netty asks for ({@link SocketChannel},
     * {@link ServerSocketChannel} or {@link DatagramChannel}) when {@code group} runs RIO event loops; any other
     * group is left to reactor-netty's own choice.
     *
     * @throws IllegalArgumentException if RIO has no channel of that kind (domain sockets)
     */
    @Override
    @SuppressWarnings("unchecked")
    public <CHANNEL extends Channel> CHANNEL onChannel(Class<CHANNEL> channelType, EventLoopGroup group) {
        if (!isRio(group)) {
            return LoopResources.super.onChannel(channelType, group);
        }
        if (channelType.equals(SocketChannel.class)) {
            return (CHANNEL) new RioSocketChannel();
        }
        if (channelType.equals(ServerSocketChannel.class)) {
            return (CHANNEL) new RioServerSocketChannel();
        }
        if (channelType.equals(DatagramChannel.class)) {
            return (CHANNEL) new RioDatagramChannel();
        }
        throw unsupported(channelType);
    }

    /**
     * Returns the RIO channel class of the kind reactor-netty asks for when {@code group} runs RIO event loops; any
     * other group is left to reactor-netty's own choice.
     *
     * @throws IllegalArgumentException if RIO has no channel of that kind (domain sockets)
     */
    @Override
    @SuppressWarnings("unchecked")
    public <CHANNEL extends Channel> Class<? extends CHANNEL> onChannelClass(Class<CHANNEL> channelType,
            EventLoopGroup group) {
        if (!isRio(group)) {
            return LoopResources.super.onChannelClass(channelType, group);
        }
        if (channelType.equals(SocketChannel.class)) {
            return (Class<? extends CHANNEL>) RioSocketChannel.class;
        }
        if (channelType.equals(ServerSocketChannel.class)) {
            return (Class<? extends CHANNEL>) RioServerSocketChannel.class;
        }
        if (channelType.equals(DatagramChannel.class)) {
            return (Class<? extends CHANNEL>) RioDatagramChannel.class;
        }
        throw unsupported(channelType);
    }

    @Override
    public boolean daemon() {
        return daemon;
    }

    @Override
    public boolean isDisposed() {
        return !running.get();
    }

    /**
     * Shuts the event loop groups made so far down gracefully (Netty's {@code shutdownGracefully}, with
     * {@code quietPeriod} and {@code timeout}); the returned {@link Mono} completes when they have terminated, and
     * fails if they have not within {@code timeout}.
     */
    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.defer(() -> {
            List<Mono<Void>> terminations = new ArrayList<>(2);
            if (running.compareAndSet(true, false)) {
                // The client group is the server group seen through colocate(): shutting that down is enough.
                for (EventLoopGroup group : new EventLoopGroup[] {selectLoops.get(), serverLoops.get()}) {
                    if (group != null) {
                        terminations.add(terminated(group.shutdownGracefully(quietPeriod.toMillis(),
                                timeout.toMillis(), TimeUnit.MILLISECONDS)));
                    }
                }
            }
            return Mono.when(terminations).timeout(timeout, Mono.error(new IllegalStateException(
                    "the RIO event loops of " + prefix + " did not terminate within " + timeout.toMillis() + " ms")));
        });
    }

    @Override
    public String toString() {
        return "RioLoopResources(prefix=" + prefix + ", selectCount=" + selectCount + ", workerCount="
                + workerCount + ", daemon=" + daemon + ')';
    }

    private boolean isRio(EventLoopGroup group) {
        if (group == clientLoops.get() && group instanceof Supplier<?> colocated
                && colocated.get() instanceof EventLoopGroup inner) {
            // reactor-netty's colocating wrapper of our server group (LoopResources.colocate).
            group = inner;
        }
        return group instanceof IoEventLoopGroup io && io.isCompatible(RioIoHandle.class);
    }

    private EventLoopGroup newGroup(int threads, String kind) {
        if (!running.get()) {
            throw new IllegalStateException(this + " is disposed");
        }
        return new RioEventLoopGroup(threads, new NonBlockingThreadFactory(prefix + '-' + kind, daemon), config);
    }

    private static EventLoopGroup cached(AtomicReference<EventLoopGroup> ref, Supplier<EventLoopGroup> factory) {
        EventLoopGroup group = ref.get();
        if (group != null) {
            return group;
        }
        EventLoopGroup created = factory.get();
        if (ref.compareAndSet(null, created)) {
            return created;
        }
        // Another thread won the race: drop ours (no thread has started yet, the shutdown is immediate).
        if (!(created instanceof Supplier<?>)) {
            created.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
        return ref.get();
    }

    private static Mono<Void> terminated(Future<?> future) {
        return Mono.create(sink -> future.addListener(f -> {
            if (f.isSuccess()) {
                sink.success();
            } else {
                sink.error(f.cause());
            }
        }));
    }

    private static IllegalArgumentException unsupported(Class<?> channelType) {
        return new IllegalArgumentException("the RIO transport has no channel of type " + channelType.getName());
    }
}
