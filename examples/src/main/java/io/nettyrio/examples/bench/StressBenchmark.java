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

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.examples.stress.StressConfig;
import io.nettyrio.examples.stress.StressReport;
import io.nettyrio.examples.stress.StressRunner;
import io.nettyrio.rio.Rio;

import java.util.HashMap;
import java.util.Map;

/**
 * Benchmark program (not a test): the stress harness ({@code io.nettyrio.examples.stress}) at scale. N loopback
 * connections (default 10,000), each carrying a log-uniform 1 B to 16 MiB in each direction (several GiB in all),
 * every byte verified, random write sizes, flush patterns and autoRead toggles, at most {@code concurrency}
 * connections at once (two descriptors each: the run stays under the process's descriptor limit and runs in waves).
 * Prints connections, bytes verified, time, throughput, errors, leaks, RIO requests in flight and registered slots in
 * use at the end, and exits with status 1 if the run failed.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... io.nettyrio.examples.bench.StressBenchmark \
 *     [connections=10000] [minBytes=1] [maxBytes=16777216] [maxWrite=1048576] [concurrency=1000] [seed=1]
 *     [seconds=600] [threads=2] [server=rio|nio] [client=rio|nio] [kill=0.0]</pre>
 *
 * Add {@code -Dio.netty.leakDetection.level=paranoid} to track every buffer (much slower), {@code
 * -Dio.nettyrio.rules=true} to run under RioRules.
 */
public final class StressBenchmark {
    private StressBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected name=value, got " + arg);
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        StressConfig config = new StressConfig()
                .connections(Integer.parseInt(opts.getOrDefault("connections", "10000")))
                .bytesPerDirection(Long.parseLong(opts.getOrDefault("minBytes", "1")),
                        Long.parseLong(opts.getOrDefault("maxBytes", String.valueOf(16 << 20))))
                .maxWriteBytes(Integer.parseInt(opts.getOrDefault("maxWrite", String.valueOf(1 << 20))))
                .concurrency(Integer.parseInt(opts.getOrDefault("concurrency", "1000")))
                .seed(Long.parseLong(opts.getOrDefault("seed", "1")))
                .timeLimitMillis(1000L * Long.parseLong(opts.getOrDefault("seconds", "600")))
                .killProbability(Double.parseDouble(opts.getOrDefault("kill", "0")));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        boolean rioServer = !"nio".equals(opts.getOrDefault("server", "rio"));
        boolean rioClient = !"nio".equals(opts.getOrDefault("client", "rio"));
        if ((rioServer || rioClient) && !Rio.isAvailable()) {
            throw new IllegalStateException("RIO is not available", Rio.unavailabilityCause());
        }
        System.out.printf("StressBenchmark: %s server, %s client, %d event loop threads per group, java %s%n",
                rioServer ? "RIO" : "NIO", rioClient ? "RIO" : "NIO", threads, Runtime.version());
        System.out.println("descriptor use: at most " + 2 * config.concurrency() + " sockets at once (ulimit -n "
                + "applies; connections beyond the concurrency run in waves)");
        EventLoopGroup serverGroup = group(rioServer, threads, "stress-server");
        EventLoopGroup clientGroup = group(rioClient, threads, "stress-client");
        try {
            ServerBootstrap sb = new ServerBootstrap().group(serverGroup)
                    .channel(rioServer ? RioServerSocketChannel.class : NioServerSocketChannel.class);
            Bootstrap cb = new Bootstrap().group(clientGroup)
                    .channel(rioClient ? RioSocketChannel.class : NioSocketChannel.class);
            StressReport report = StressRunner.run(config, sb, cb);
            System.out.print(report.describe());
            System.out.println(report.passed() ? "PASSED" : "FAILED");
            if (!report.passed()) {
                System.exit(1);
            }
        } finally {
            serverGroup.shutdownGracefully().syncUninterruptibly();
            clientGroup.shutdownGracefully().syncUninterruptibly();
        }
    }

    private static EventLoopGroup group(boolean rio, int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                rio ? RioIoHandler.newFactory() : NioIoHandler.newFactory());
    }
}
