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
package io.nettyrio.integration.vertx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.nettyrio.channel.Rio;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioIoHandlerConfig;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.vertx.core.spi.transport.Transport;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The Vert.x 5 transport of the RIO transport, both the {@code io.vertx.core.transport.Transport} that
 * {@code Vertx.builder().withTransport(...)} takes and the {@link Transport} SPI it is implemented by: Vert.x's
 * event loops become {@link RioEventLoopGroup}s and its TCP, HTTP and UDP servers and clients run on
 * {@link RioServerSocketChannel}, {@link RioSocketChannel} and {@link RioDatagramChannel}.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.builder().withTransport(new RioTransport()).build();
 * if (!(((VertxInternal) vertx).transport() instanceof RioTransport)) {
 *     throw new IllegalStateException("not on RIO", vertx.unavailableNativeTransportCause());
 * }
 * }</pre>
 *
 * <p>Vert.x does not fail when a transport it is given is unavailable: it logs nothing and runs on NIO, keeping
 * the reason in {@code Vertx.unavailableNativeTransportCause()}. {@link #isAvailable()} and
 * {@link #unavailabilityCause()} are those of {@link Rio}; an application that must run on RIO checks the
 * transport in use, as above, or calls {@link Rio#ensureAvailability()} first.
 *
 * <p>Vert.x sets its own allocator on every connection ({@code ChannelOption.ALLOCATOR}) and this transport keeps
 * it: Vert.x copies a received buffer out of its pool only when the buffer's allocator is Netty's pooled or
 * adaptive one ({@code VertxHandler.safeBuffer}), and hands any other buffer to the application, which never
 * releases it. Received data still arrives in registered memory without a copy; what Vert.x writes is copied
 * into registered memory when sent. Unix domain sockets are not supported.
 */
// Vert.x's types are in this class's API, yet the module reads Vert.x with requires static, not transitive: a
// transitive edge would make every module-path user compile against Reactor and Vert.x, used or not; a user of this
// class requires Vert.x anyway (docs/architecture.md, "Java modules").
@SuppressWarnings("exports")
public final class RioTransport implements Transport, io.vertx.core.transport.Transport {
    /** The name Vert.x reports for this transport. */
    public static final String NAME = "rio";

    private final RioIoHandlerConfig config;

    /** Creates the transport with the default {@link RioIoHandlerConfig}. */
    public RioTransport() {
        this(new RioIoHandlerConfig());
    }

    /** Creates the transport whose event loops are configured by {@code config} (queue sizes, allocator). */
    public RioTransport(RioIoHandlerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Returns whether the RIO transport can be used here ({@link Rio#isAvailable()}). */
    @Override
    public boolean isAvailable() {
        return Rio.isAvailable();
    }

    /** Returns whether the RIO transport can be used here ({@link Rio#isAvailable()}). */
    @Override
    public boolean available() {
        return Rio.isAvailable();
    }

    /** Returns {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** Returns this transport: it is its own implementation. */
    @Override
    public Transport implementation() {
        return this;
    }

    /** Returns why the RIO transport cannot be used here, or {@code null} ({@link Rio#unavailabilityCause()}). */
    @Override
    public Throwable unavailabilityCause() {
        return Rio.unavailabilityCause();
    }

    /** RIO has no Unix domain sockets. */
    @Override
    public boolean supportsDomainSockets() {
        return false;
    }

    /**
     * Returns the factory of the RIO event loops' handlers.
     *
     * @throws UnsatisfiedLinkError if the RIO transport is not available
     */
    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return RioIoHandler.newFactory(config);
    }

    /**
     * Returns a {@link RioEventLoopGroup} of {@code nThreads} threads from Vert.x's {@code threadFactory}, for
     * either kind of group (the I/O ratio is the NIO transport's and does not apply).
     */
    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return new RioEventLoopGroup(nThreads, threadFactory, config);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return new RioDatagramChannel();
    }

    @Override
    @SuppressWarnings("deprecation") // Vert.x's SPI still names Netty's deprecated InternetProtocolFamily
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return new RioDatagramChannel(family);
    }

    /**
     * Returns the factory of {@link RioSocketChannel}s.
     *
     * @throws IllegalArgumentException for a Unix domain socket
     */
    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        if (domainSocket) {
            throw new IllegalArgumentException("the RIO transport has no Unix domain sockets");
        }
        return RioSocketChannel::new;
    }

    /**
     * Returns the factory of {@link RioServerSocketChannel}s.
     *
     * @throws IllegalArgumentException for a Unix domain socket
     */
    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        if (domainSocket) {
            throw new IllegalArgumentException("the RIO transport has no Unix domain sockets");
        }
        return RioServerSocketChannel::new;
    }

    @Override
    public String toString() {
        return "RioTransport";
    }
}
