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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Counts a server JVM's system calls with {@code perf stat} (perf-stat(1)) on three tracepoints, for as long as it
 * runs: {@code raw_syscalls:sys_enter} (every system call), {@code syscalls:sys_enter_io_uring_enter} and
 * {@code io_uring:io_uring_submit_req} (one per SQE the kernel takes from a submission queue). Counting is done in
 * the kernel, per event, without recording samples; it is stopped with SIGINT, on which perf prints its counts.
 */
final class SyscallCounter {
    static final String EVENTS = "raw_syscalls:sys_enter,syscalls:sys_enter_io_uring_enter,"
            + "io_uring:io_uring_submit_req";

    /** The counts of one window: all system calls, {@code io_uring_enter} calls, SQEs; -1 where not counted. */
    record Counts(long syscalls, long enters, long sqes) {
        static final Counts UNKNOWN = new Counts(-1, -1, -1);
    }

    private final Process perf;
    private final Path output;

    private SyscallCounter(Process perf, Path output) {
        this.perf = perf;
        this.output = output;
    }

    /** Whether {@code perf stat} can count these tracepoints here (it needs perf and the right to trace). */
    static boolean available() {
        return ServerProcess.commandWorks("perf", "stat", "-x,", "-e", EVENTS, "--", "true");
    }

    static SyscallCounter start(long pid) throws IOException {
        Path output = Files.createTempFile("bench-perf-", ".csv");
        Process p = new ProcessBuilder("perf", "stat", "-x,", "-o", output.toString(), "-e", EVENTS,
                "-p", Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new SyscallCounter(p, output);
    }

    Counts stop() throws IOException, InterruptedException {
        try {
            if (perf.isAlive()) {
                ServerProcess.commandWorks("kill", "-INT", Long.toString(perf.pid()));
            }
            if (!perf.waitFor(20, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
                return Counts.UNKNOWN;
            }
            long syscalls = -1;
            long enters = -1;
            long sqes = -1;
            // perf stat -x, lines: value,unit,event,... ("<not counted>" as the value when it could not count).
            for (String line : Files.readAllLines(output)) {
                String[] f = line.split(",");
                if (f.length < 3 || !f[0].matches("\\d+")) {
                    continue;
                }
                long value = Long.parseLong(f[0]);
                switch (f[2]) {
                    case "raw_syscalls:sys_enter" -> syscalls = value;
                    case "syscalls:sys_enter_io_uring_enter" -> enters = value;
                    case "io_uring:io_uring_submit_req" -> sqes = value;
                    default -> {
                    }
                }
            }
            return new Counts(syscalls, enters, sqes);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
