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

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.rio.Rio;

import java.util.Locale;

/**
 * A Netty transport a benchmark server can run on: its I/O handler, its server socket channel and its datagram
 * channel. The RIO transport runs over the provider of this operating system (io_uring on Linux).
 */
public enum ServerTransport {
    /** The RIO transport of this project ({@link RioIoHandler}). */
    RIO("rio"),
    /** Netty's NIO transport ({@link NioIoHandler}). */
    NIO("nio"),
    /** Netty's native epoll transport ({@link EpollIoHandler}). */
    EPOLL("epoll"),
    /** Netty's native io_uring transport ({@link IoUringIoHandler}). */
    IO_URING("io_uring");

    private final String label;

    ServerTransport(String label) {
        this.label = label;
    }

    /**
     * Returns the name used in settings and reports ({@code rio}, {@code nio}, {@code epoll}, {@code io_uring}).
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Returns the transport of a label.
     *
     * @param label {@code rio}, {@code nio}, {@code epoll} or {@code io_uring}
     * @return the transport
     * @throws IllegalArgumentException for any other label
     */
    public static ServerTransport forLabel(String label) {
        for (ServerTransport t : values()) {
            if (t.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + label + "' (rio, nio, epoll, io_uring)");
    }

    /**
     * Returns why this transport cannot run in this JVM, or {@code null} if it can.
     *
     * @return the reason, or {@code null}
     */
    public String unavailability() {
        Throwable cause = switch (this) {
            case RIO -> Rio.isAvailable() ? null : Rio.unavailabilityCause();
            case NIO -> null;
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        };
        return cause == null ? null : String.valueOf(cause);
    }

    /**
     * Returns a factory of this transport's I/O handler, for a {@code MultiThreadIoEventLoopGroup}.
     *
     * @return the factory
     */
    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case RIO -> RioIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
        };
    }

    /**
     * Returns this transport's TCP server channel class.
     *
     * @return the class
     */
    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case RIO -> RioServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
        };
    }

    /**
     * Returns this transport's TCP socket channel class: what its server channel accepts.
     *
     * @return the class
     */
    public Class<? extends SocketChannel> socketChannelClass() {
        return switch (this) {
            case RIO -> RioSocketChannel.class;
            case NIO -> NioSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
        };
    }

    /**
     * Creates an IPv4 datagram channel of this transport.
     *
     * @return a new, unregistered channel
     */
    public DatagramChannel newDatagramChannel() {
        return switch (this) {
            case RIO -> new RioDatagramChannel(SocketProtocolFamily.INET);
            case NIO -> new NioDatagramChannel(SocketProtocolFamily.INET);
            case EPOLL -> new EpollDatagramChannel(SocketProtocolFamily.INET);
            case IO_URING -> new IoUringDatagramChannel(SocketProtocolFamily.INET);
        };
    }
}
