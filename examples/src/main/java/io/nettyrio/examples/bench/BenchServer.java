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
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.uring.IoUringProvider;
import io.nettyrio.rio.uring.IoUringStatistics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The server side of {@link ServerBenchmark}: a JVM of its own that runs one transport with ONE event loop and
 * binds one listener per {@link ServerKind} on 127.0.0.1. {@link ServerBenchmark} starts it, pinned to one CPU.
 *
 * <p>It talks to its parent through a line protocol on stdin and stdout, so that the counters only this JVM can
 * read are read inside it, at the instants the parent chooses:
 * <ul>
 *   <li>at start it prints {@code BOUND <kind> <port>} for every kind (and {@code INFO <kind> <text>} when the
 *       kind has something to say, {@link ServerKind#describe()}), then {@code READY}; or
 *       {@code UNAVAILABLE <reason>} and exits if the transport cannot run here; or {@code ERROR <reason>} and
 *       exits if a kind cannot be bound;</li>
 *   <li>{@code STATS} answers {@code STATS <allocated bytes> <io_uring_enter calls> <SQEs>}: the bytes allocated
 *       by all of this JVM's threads so far ({@code com.sun.management.ThreadMXBean
 *       .getTotalThreadAllocatedBytes}) and, for RIO over the io_uring provider, the provider's
 *       {@link IoUringStatistics} ({@code -1} when not known);</li>
 *   <li>{@code QUIT}, or the end of stdin (the parent is gone), closes the listeners and exits.</li>
 * </ul>
 *
 * <p>Arguments: {@code transport=rio|nio|epoll|io_uring kinds=echo,http,udp-echo}.
 */
public final class BenchServer {
    private BenchServer() {
    }

    /**
     * Runs the server until {@code QUIT} or the end of stdin.
     *
     * @param args {@code transport=... kinds=...}
     * @throws Exception if a listener cannot be bound
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        ServerTransport transport = ServerTransport.forLabel(settings.string("transport", "rio"));
        List<String> kinds = settings.list("kinds", ServerKinds.ECHO);
        String unavailable = transport.unavailability();
        if (unavailable != null) {
            reply("UNAVAILABLE " + unavailable.replace('\n', ' '));
            return;
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        IoUringStatistics uring = transport == ServerTransport.RIO
                && RioRules.unwrap(Rio.provider()) instanceof IoUringProvider p ? p.statistics() : null;

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("bench-server-" + transport.label(), false), transport.ioHandlerFactory());
        List<Channel> listeners = new ArrayList<>();
        try {
            for (String name : kinds) {
                // Reported under the name asked for (a class name for a plugged-in kind), which is what the
                // benchmark's workloads refer to.
                ServerKind kind = ServerKind.forName(name);
                Channel listener;
                try {
                    listener = kind.bind(transport, group);
                } catch (RuntimeException e) {
                    // Said on the control channel too, so that the benchmark fails with the cause at once.
                    reply("ERROR " + name + ": " + String.valueOf(e).replace('\n', ' '));
                    throw e;
                }
                listeners.add(listener);
                reply("BOUND " + name + " " + ((InetSocketAddress) listener.localAddress()).getPort());
                String info = kind.describe();
                if (info != null) {
                    reply("INFO " + name + " " + info.replace('\n', ' '));
                }
            }
            reply("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "STATS" -> reply(String.format(Locale.ROOT, "STATS %d %d %d",
                            threads.getTotalThreadAllocatedBytes(),
                            uring == null ? -1 : uring.enterCalls(), uring == null ? -1 : uring.sqesSubmitted()));
                    case "QUIT" -> {
                        return;
                    }
                    default -> reply("ERROR unknown command: " + line);
                }
            }
        } finally {
            for (Channel c : listeners) {
                c.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
