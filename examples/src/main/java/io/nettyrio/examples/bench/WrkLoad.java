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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP load from {@code wrk} (one thread), where the machine has it: the load generator TechEmpower's plaintext
 * test uses. A Lua script sends {@code depth} requests at a time per connection (1 = closed loop), as TechEmpower's
 * {@code pipeline.lua} does, and prints the totals and the latency percentiles wrk measured. wrk checks each
 * response's status and framing, not its bytes ({@link LoadGenerator#probeHttp} checks one response first).
 */
final class WrkLoad {
    private static final String SCRIPT = """
            local depth = 1
            local req
            init = function(args)
              depth = tonumber(args[1] or "1")
              local r = {}
              for i = 1, depth do r[i] = wrk.format("GET", "/plaintext") end
              req = table.concat(r)
            end
            request = function() return req end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRKSTATS %d %d %d %d %d %d\\n", summary.requests, summary.duration,
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
                e.connect + e.read + e.write + e.status + e.timeout))
            end
            """;

    /** What one wrk run measured; latencies in microseconds. */
    record Result(long requests, long durationMicros, double p50, double p99, double p999, long errors) {
    }

    private WrkLoad() {
    }

    /** Whether {@code wrk} is on the PATH. */
    static boolean available() {
        return ServerProcess.commandWorks("sh", "-c", "command -v wrk");
    }

    /**
     * Runs wrk against {@code http://127.0.0.1:<port>/plaintext} for {@code seconds}, bounded by a further 60 s.
     *
     * @param cpu the CPU to pin wrk to, or -1 for none
     */
    static Result run(int port, int conns, int depth, int seconds, int cpu) throws IOException, InterruptedException {
        Path script = Files.createTempFile("bench-wrk-", ".lua");
        Path output = Files.createTempFile("bench-wrk-", ".txt");
        try {
            Files.writeString(script, SCRIPT);
            List<String> command = new ArrayList<>();
            if (cpu >= 0) {
                command.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
            }
            command.addAll(List.of("wrk", "-t1", "-c" + conns, "-d" + seconds + "s", "-s", script.toString(),
                    "http://127.0.0.1:" + port + "/plaintext", "--", Integer.toString(depth)));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not finish in " + (seconds + 60) + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("WRKSTATS ")) {
                    String[] f = line.trim().split(" ");
                    return new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]));
                }
            }
            throw new IllegalStateException("wrk printed no totals (exit code " + p.exitValue() + "):\n" + text);
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }
}
