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
package io.nettyrio.examples.bench;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.nettyrio.integration.reactor.RioLoopResources;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The "Hello, World!" HTTP/1.1 server of {@link ServerKinds.HttpHello} written with reactor-netty's
 * {@link HttpServer} instead of plain Netty handlers: the same response bytes, so that the same workloads drive it.
 * It runs on ONE event loop of the transport, chosen the way a reactor-netty user chooses it:
 * <ul>
 *   <li>RIO: {@link RioLoopResources} with one worker that also accepts;</li>
 *   <li>NIO: reactor-netty's own {@link LoopResources#create(String, int, boolean)} (one worker that also accepts)
 *       with {@code runOn(loops, false)};</li>
 *   <li>io_uring: the same resources with {@code runOn(loops, true)}: reactor-netty 1.3's native loops are Netty's
 *       io_uring ({@code io.netty.channel.uring}) whenever {@code IoUring.isAvailable()}, else epoll;</li>
 *   <li>epoll: as reactor-netty prefers io_uring to epoll and has no switch to turn io_uring off, the harness's
 *       one-thread epoll group is given to {@code runOn(EventLoopGroup)}; reactor-netty picks the channel class for
 *       it with its own detection of the group's transport.</li>
 * </ul>
 * Whatever reactor-netty picks is checked at bind: one probe connection is accepted, and the server channel and
 * the accepted channel must be the row's transport's classes ({@link ServerTransport#serverChannelClass()},
 * {@link ServerTransport#socketChannelClass()}) on the one loop; otherwise the bind fails, and so does the run.
 * {@link #describe()} says what was found, and the benchmark prints it.
 */
final class ReactorHttpHello implements ServerKind {
    private static final long PROBE_SECONDS = 30;
    private static final String CONTENT_LENGTH = Integer.toString(ServerKinds.HELLO.length);

    private final AtomicReference<Channel> accepted = new AtomicReference<>();
    private final CountDownLatch probed = new CountDownLatch(1);
    private volatile EventLoopGroup loop;
    private volatile String description;

    /** Creates the kind; {@link ServerKind#forName} does it by name. */
    ReactorHttpHello() {
    }

    @Override
    public String name() {
        return ServerKinds.REACTOR_HTTP;
    }

    @Override
    public boolean datagram() {
        return false;
    }

    @Override
    public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
        LoopResources loops = switch (transport) {
            case RIO -> RioLoopResources.create("bench-reactor-rio", 1, true);
            case NIO, IO_URING -> LoopResources.create("bench-reactor-" + transport.label(), 1, true);
            case EPOLL -> null;
        };
        boolean preferNative = transport == ServerTransport.IO_URING;
        HttpServer server = HttpServer.create().host("127.0.0.1").port(0);
        server = loops == null ? server.runOn(group) : server.runOn(loops, preferNative);
        DisposableServer bound = server
                // Runs in the accepted channel's initializer, so before any byte of a request.
                .doOnChannelInit((observer, channel, remote) -> {
                    if (accepted.compareAndSet(null, channel)) {
                        probed.countDown();
                    }
                })
                .handle((request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .header(HttpHeaderNames.CONTENT_LENGTH, CONTENT_LENGTH)
                        .sendObject(Unpooled.wrappedBuffer(ServerKinds.HELLO)))
                .bindNow();
        Channel listener = bound.channel();
        if (loops != null) {
            // Closing the listener (the benchmark's way to stop a server) also ends the loop's thread.
            listener.closeFuture().addListener(f -> loops.disposeLater().subscribe());
        }
        loop = loops == null ? group : loops.onServer(preferNative);
        try {
            check(transport, listener, loop);
        } catch (RuntimeException | InterruptedException e) {
            listener.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            throw e;
        }
        return listener;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The channel accepted at bind from the probe connection, or {@code null} before. */
    Channel probeChannel() {
        return accepted.get();
    }

    /** The one-loop group the server runs on, or {@code null} before bind. */
    EventLoopGroup loop() {
        return loop;
    }

    /** Accepts one probe connection and fails unless both channels are the transport's, on the given loop. */
    private void check(ServerTransport transport, Channel listener, EventLoopGroup loop)
            throws InterruptedException {
        try (Socket probe = new Socket()) {
            probe.connect((InetSocketAddress) listener.localAddress(), (int) TimeUnit.SECONDS.toMillis(PROBE_SECONDS));
            if (!probed.await(PROBE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("reactor-netty on " + transport.label() + " accepted no probe"
                        + " connection in " + PROBE_SECONDS + " s");
            }
        } catch (IOException e) {
            throw new IllegalStateException("reactor-netty on " + transport.label() + ": probe connection failed",
                    e);
        }
        Channel child = accepted.get();
        description = String.format("reactor-netty HttpServer on %s: server channel %s, accepted channel %s,"
                        + " event loop %s of %s", transport.label(), listener.getClass().getName(),
                child.getClass().getName(), child.eventLoop().getClass().getSimpleName(), loop);
        String mismatch = mismatch(transport, listener, child, loop);
        if (mismatch != null) {
            throw new IllegalStateException(mismatch + ": " + description);
        }
    }

    /**
     * Returns why a reactor-netty server is not what the row of {@code transport} says, or {@code null} if it is:
     * its listener and an accepted channel must be the transport's classes, both on {@code loop}, a group of one
     * event loop.
     */
    static String mismatch(ServerTransport transport, Channel listener, Channel child, EventLoopGroup loop) {
        if (listener.getClass() != transport.serverChannelClass()) {
            return "server channel " + listener.getClass().getName() + " is not "
                    + transport.serverChannelClass().getName();
        }
        if (child.getClass() != transport.socketChannelClass()) {
            return "accepted channel " + child.getClass().getName() + " is not "
                    + transport.socketChannelClass().getName();
        }
        if (hasSecond(loop)) {
            return "the loop group " + loop + " has more than one event loop";
        }
        if (listener.eventLoop() != loop.next() || child.eventLoop() != loop.next()) {
            return "the channels are not on the one event loop of " + loop;
        }
        return null;
    }

    private static boolean hasSecond(EventLoopGroup group) {
        var it = group.iterator();
        it.next();
        return it.hasNext();
    }
}
