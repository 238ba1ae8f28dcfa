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

import java.util.ArrayList;
import java.util.List;

/**
 * One workload of {@link ServerBenchmark}: which server kind it drives, what the load generator sends, over how
 * many connections, and how many requests each keeps in flight.
 *
 * @param name     the name in settings and reports
 * @param kind     the {@link ServerKind} name the server binds for it
 * @param protocol what the load generator sends and expects back
 * @param conns    connections (for UDP: client sockets)
 * @param depth    requests each connection keeps in flight (1 = closed loop; UDP: always 1)
 * @param size     the message size of the echo workloads (ignored for HTTP)
 */
public record Workload(String name, String kind, Protocol protocol, int conns, int depth, int size) {

    /** What the load generator speaks. */
    public enum Protocol {
        /** TCP: sends {@code size} bytes, expects the same bytes back. */
        ECHO,
        /** TCP: sends an HTTP/1.1 GET, expects the server's fixed "Hello, World!" response. */
        HTTP,
        /** UDP: sends a {@code size}-byte datagram, expects the same datagram back. */
        UDP_ECHO,
        /** TCP: HTTP/1.1 GETs from {@code wrk} ({@link WrkLoad}) instead of the Netty load generator. */
        WRK_HTTP
    }

    /** Names of the built-in workloads, in their default order. */
    static final String DEFAULT_WORKLOADS = "echo-64,echo-1k,http,http-pipe,pingpong,udp";
    /** The workloads driven by {@code wrk}, added to the defaults where the machine has it. */
    static final String WRK_WORKLOADS = "wrk-http,wrk-http-pipe";
    /** The HTTP workloads on reactor-netty's server ({@link ReactorHttpHello}); not run unless named. */
    static final String REACTOR_WORKLOADS = "reactor-http,reactor-http-pipe";
    /** The reactor-netty workloads driven by {@code wrk}; not run unless named. */
    static final String WRK_REACTOR_WORKLOADS = "wrk-reactor-http,wrk-reactor-http-pipe";
    /** Echo written back from a worker thread ({@code ServerKinds.TcpEchoFromWorker}); not run unless named. */
    static final String WORKER_WORKLOADS = "echo-worker";

    /**
     * Returns the built-in workloads of the given names: {@code echo-64} and {@code echo-1k} (closed loop),
     * {@code http} (closed loop), {@code http-pipe} ({@code pipeline} requests in flight per connection),
     * {@code pingpong} (1 connection, 64 B echo, closed loop: the latency workload) and {@code udp} (64 B datagrams,
     * one in flight per client socket); {@code wrk-http} and {@code wrk-http-pipe}: {@code http} and
     * {@code http-pipe} driven by {@code wrk}; {@code reactor-http}, {@code reactor-http-pipe},
     * {@code wrk-reactor-http} and {@code wrk-reactor-http-pipe}: the same four against reactor-netty's
     * {@code HttpServer} ({@link ReactorHttpHello}) instead of the plain Netty one; {@code echo-worker}: {@code echo-64}
     * against a server that writes each echo back from a worker thread, through a task of the event loop.
     *
     * @param names    workload names
     * @param conns    connections per workload (except {@code pingpong})
     * @param pipeline requests in flight per connection of {@code http-pipe}
     * @return the workloads
     */
    public static List<Workload> named(List<String> names, int conns, int pipeline) {
        List<Workload> list = new ArrayList<>();
        for (String n : names) {
            list.add(switch (n) {
                case "echo-64" -> new Workload(n, ServerKinds.ECHO, Protocol.ECHO, conns, 1, 64);
                case "echo-1k" -> new Workload(n, ServerKinds.ECHO, Protocol.ECHO, conns, 1, 1024);
                case "http" -> new Workload(n, ServerKinds.HTTP, Protocol.HTTP, conns, 1, 0);
                case "http-pipe" -> new Workload(n, ServerKinds.HTTP, Protocol.HTTP, conns, pipeline, 0);
                case "pingpong" -> new Workload(n, ServerKinds.ECHO, Protocol.ECHO, 1, 1, 64);
                case "udp" -> new Workload(n, ServerKinds.UDP_ECHO, Protocol.UDP_ECHO, conns, 1, 64);
                case "wrk-http" -> new Workload(n, ServerKinds.HTTP, Protocol.WRK_HTTP, conns, 1, 0);
                case "wrk-http-pipe" -> new Workload(n, ServerKinds.HTTP, Protocol.WRK_HTTP, conns, pipeline, 0);
                case "reactor-http" -> new Workload(n, ServerKinds.REACTOR_HTTP, Protocol.HTTP, conns, 1, 0);
                case "reactor-http-pipe" ->
                        new Workload(n, ServerKinds.REACTOR_HTTP, Protocol.HTTP, conns, pipeline, 0);
                case "wrk-reactor-http" -> new Workload(n, ServerKinds.REACTOR_HTTP, Protocol.WRK_HTTP, conns, 1, 0);
                case "wrk-reactor-http-pipe" ->
                        new Workload(n, ServerKinds.REACTOR_HTTP, Protocol.WRK_HTTP, conns, pipeline, 0);
                case "echo-worker" -> new Workload(n, ServerKinds.ECHO_FROM_WORKER, Protocol.ECHO, conns, 1, 64);
                default -> throw new IllegalArgumentException("unknown workload '" + n + "' ("
                        + DEFAULT_WORKLOADS + "," + WRK_WORKLOADS + "," + REACTOR_WORKLOADS + ","
                        + WRK_REACTOR_WORKLOADS + "," + WORKER_WORKLOADS + ")");
            });
        }
        return list;
    }

    /** The request bytes of connection {@code index}: echo payloads differ per connection, so that bytes of one
     * connection arriving on another are caught. */
    byte[] request(int index) {
        if (protocol == Protocol.HTTP || protocol == Protocol.WRK_HTTP) {
            return LoadGenerator.HTTP_REQUEST.clone();
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (index * 31 + i * 7 + 1);
        }
        return b;
    }
}
