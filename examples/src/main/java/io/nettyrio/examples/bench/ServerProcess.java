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

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on one {@link BenchServer} JVM: starts it (same classpath, pinned to a CPU with
 * {@code taskset} when asked), reads its control lines with a time bound, and reads its CPU time from
 * {@code /proc/<pid>/stat} (proc(5): {@code utime} and {@code stime}, fields 14 and 15, in clock ticks).
 */
final class ServerProcess implements AutoCloseable {
    private static final long REPLY_TIMEOUT_SECONDS = 60;

    final String transport;
    final Map<String, Integer> ports = new HashMap<>();
    /** What the server's kinds said at bind ({@link ServerKind#describe()}), one line each. */
    final List<String> info = new ArrayList<>();
    final String unavailable;
    final Path log;
    private final Process process;
    private final OutputStream control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** The server's counters at one instant. */
    record Counters(long cpuNanos, long jitCpuNanos, long allocatedBytes, long enters, long sqes) {
    }

    private ServerProcess(String transport, Process process, Path log) throws IOException {
        this.transport = transport;
        this.process = process;
        this.log = log;
        this.control = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("ERROR " + e);
            }
        }, "bench-control-" + transport);
        reader.setDaemon(true);
        reader.start();
        String first;
        String unavailableReason = null;
        while (!"READY".equals(first = next())) {
            String[] w = first.split(" ", 3);
            if ("BOUND".equals(w[0]) && w.length == 3) {
                ports.put(w[1], Integer.parseInt(w[2]));
            } else if ("INFO".equals(w[0]) && w.length == 3) {
                info.add(w[1] + ": " + w[2]);
            } else if ("UNAVAILABLE".equals(w[0])) {
                unavailableReason = first.substring("UNAVAILABLE".length()).trim();
                break;
            } else {
                throw new IllegalStateException(transport + " server: unexpected line '" + first + "', log " + log);
            }
        }
        this.unavailable = unavailableReason;
    }

    /**
     * Starts a server JVM.
     *
     * @param cpu      the CPU to pin it to, or -1 for none
     * @param checks   RioRules on and Netty's leak detection at PARANOID in the server (for the CI-sized run);
     *                 otherwise both off, as a production server runs
     */
    static ServerProcess start(ServerBenchmark.Target target, List<String> kinds, int cpu, boolean checks,
                               String heap) throws IOException {
        ServerTransport transport = target.transport();
        // A target built elsewhere puts that build's classes first: its transport wins over this build's.
        String classpath = target.classpathPrefix() == null ? System.getProperty("java.class.path")
                : target.classpathPrefix() + File.pathSeparator + System.getProperty("java.class.path");
        List<String> command = new ArrayList<>();
        if (cpu >= 0) {
            command.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xms" + heap, "-Xmx" + heap,
                "-Dio.nettyrio.rules=" + checks,
                "-Dio.netty.leakDetection.level=" + (checks ? "paranoid" : "disabled")));
        command.addAll(target.jvmOptions());
        command.addAll(List.of("-cp", classpath,
                BenchServer.class.getName(), "transport=" + transport.label(), "kinds=" + String.join(",", kinds)));
        Path log = Files.createTempFile("bench-server-" + target.label().replace('@', '-') + "-", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            return new ServerProcess(target.label(), p, log);
        } catch (RuntimeException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** Throws if the server JVM has exited: a benchmark must not go on measuring nothing. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(transport + " server died (exit code " + process.exitValue()
                    + "), log " + log + ":\n" + tail());
        }
    }

    Counters counters() throws IOException {
        checkAlive();
        control.write("STATS\n".getBytes(StandardCharsets.US_ASCII));
        control.flush();
        String line = next();
        String[] w = line.split(" ");
        if (!"STATS".equals(w[0]) || w.length != 4) {
            throw new IllegalStateException(transport + " server: unexpected reply '" + line + "'");
        }
        return new Counters(cpuNanos(process.pid()), jitCpuNanos(process.pid()), Long.parseLong(w[1]),
                Long.parseLong(w[2]), Long.parseLong(w[3]));
    }

    private String next() {
        try {
            String line = lines.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                checkAlive();
                throw new IllegalStateException(transport + " server did not answer in " + REPLY_TIMEOUT_SECONDS
                        + " s, log " + log);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** CPU time (user + system) of a process, all of its threads, from {@code /proc/<pid>/stat}. */
    static long cpuNanos(long pid) throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
                * (1_000_000_000L / ClockTicks.PER_SECOND);
    }

    /** {@code utime + stime} of one {@code /proc/.../stat} line, in clock ticks. */
    private static long cpuTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * CPU time of the JIT compiler threads of a JVM (HotSpot names them "C1 CompilerThread<n>" and "C2
     * CompilerThread<n>", which {@code /proc/<pid>/task/<tid>/comm} truncates to 15 characters). The server is
     * pinned to one CPU, so whatever the compilers still do in a measured window is taken from the event loop and
     * counted in the server's CPU per operation.
     */
    static long jitCpuNanos(long pid) throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    ticks += cpuTicks(stat);
                }
            }
        }
        return ticks * (1_000_000_000L / ClockTicks.PER_SECOND);
    }

    /** Lines of the server's log that report a leak (Netty's leak detector prints "LEAK:"). */
    List<String> leaks() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("LEAK:")).toList();
    }

    String tail() {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            try {
                control.write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
                control.flush();
            } catch (IOException ignored) {
                // The server is going away anyway; the wait below bounds it.
            }
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}, sysconf(3); 100 on Linux). */
    static final class ClockTicks {
        static final long PER_SECOND = read();

        private ClockTicks() {
        }

        private static long read() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // fall through to the Linux default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 100;
        }
    }

    static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
