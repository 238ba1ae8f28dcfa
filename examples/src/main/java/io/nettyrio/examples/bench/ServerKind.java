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

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

import java.lang.reflect.InvocationTargetException;

/**
 * What a benchmark server runs on top of a transport: an echo server, an HTTP "Hello, World!" server, a UDP echo
 * server, ... The server JVM ({@link BenchServer}) binds one listener per kind on 127.0.0.1 and an ephemeral port,
 * on the transport and the single event loop it is given. New kinds (for example an HTTP framework's server on the
 * same event loop) plug in either in {@link #forName}'s table or by naming a class that implements this interface
 * and has a public no-argument constructor.
 */
public interface ServerKind {

    /**
     * Returns the kind's name, as used in settings and in the control protocol.
     *
     * @return the name
     */
    String name();

    /**
     * Returns whether the kind's listener is a UDP socket (a datagram echo) rather than a TCP server socket.
     *
     * @return {@code true} for UDP
     */
    boolean datagram();

    /**
     * Binds the server on 127.0.0.1 and an ephemeral port.
     *
     * @param transport the transport to use
     * @param group     the server's event-loop group (one event loop), created with the transport's I/O handler
     * @return the bound listener; closing it stops the server
     * @throws InterruptedException if interrupted while binding
     */
    Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException;

    /**
     * Returns what the server found at bind that a reader of the benchmark's report should see (for a framework's
     * server: the channel classes the framework picked), or {@code null} for nothing. The server JVM sends it to
     * the benchmark, which prints it.
     *
     * @return one line, or {@code null}
     */
    default String describe() {
        return null;
    }

    /**
     * Returns the kind of a name: {@code echo}, {@code http}, {@code udp-echo} or {@code reactor-http} (the
     * {@code http} server written with reactor-netty, {@link ReactorHttpHello}), or the binary name of a class
     * implementing this interface.
     *
     * @param name the name
     * @return the kind
     * @throws IllegalArgumentException for an unknown name or a class that cannot be used
     */
    static ServerKind forName(String name) {
        switch (name) {
            case ServerKinds.ECHO:
                return new ServerKinds.TcpEcho();
            case ServerKinds.HTTP:
                return new ServerKinds.HttpHello();
            case ServerKinds.UDP_ECHO:
                return new ServerKinds.UdpEcho();
            case ServerKinds.REACTOR_HTTP:
                return new ReactorHttpHello();
            case ServerKinds.ECHO_FROM_WORKER:
                return new ServerKinds.TcpEchoFromWorker();
            default:
                break;
        }
        if (name.indexOf('.') < 0) {
            throw new IllegalArgumentException("unknown server kind '" + name + "' (echo, http, udp-echo, reactor-http, echo-worker,"
                    + " or a class name)");
        }
        try {
            Class<?> type = Class.forName(name);
            return (ServerKind) type.getConstructor().newInstance();
        } catch (ClassNotFoundException | ClassCastException | NoSuchMethodException | InstantiationException
                 | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException("server kind class " + name + " cannot be used: " + e, e);
        }
    }
}
