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

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * JMH: allocate-and-release throughput of {@link RioByteBufAllocator} against Netty's
 * {@link PooledByteBufAllocator} and {@link AdaptiveByteBufAllocator}, for 256 B, 4 KiB and 64 KiB direct buffers,
 * from one thread and from several, with the bytes each allocates per operation (JMH's GC profiler); and the cost
 * of filling and reading a 4 KiB buffer through each (the RIO buffers use ByteBuffer access) against a plain
 * {@link MemorySegment} loop. Bounded: about four minutes. Figures: {@code docs/allocator.md}.
 *
 * <pre>./mvnw -o -pl examples -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -cp "examples/target/classes:$(cat cp.txt)" \
 *     io.nettyrio.examples.bench.AllocatorBenchmark [threads...]</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AllocatorBenchmark {
    /** A constant layout, so that its VarHandle folds (a layout made per call does not). */
    private static final ValueLayout.OfLong LONG_BE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    @Param({"rio", "pooled", "adaptive"})
    public String allocator;

    @Param({"256", "4096", "65536"})
    public int size;

    private ByteBufAllocator alloc;

    @Setup(Level.Trial)
    public void setUp() {
        alloc = switch (allocator) {
            // Thread caches for every thread on both pooled allocators: JMH threads are not event loops.
            case "rio" -> RioByteBufAllocator.builder(Rio.provider().registeredIo()).useCacheForAllThreads(true)
                    .build();
            case "pooled" -> new PooledByteBufAllocator(true, 2, 2, 8192, 9, 256, 64, true);
            case "adaptive" -> new AdaptiveByteBufAllocator();
            default -> throw new IllegalArgumentException(allocator);
        };
    }

    /** Allocates a direct buffer, writes one byte (so the memory is touched) and releases it. */
    @Benchmark
    public byte allocateAndRelease() {
        ByteBuf buf = alloc.directBuffer(size);
        buf.writeByte(1);
        byte b = buf.getByte(0);
        buf.release();
        return b;
    }

    /** Access: fills a 4 KiB buffer with longs and sums them back (size ignored). */
    @State(Scope.Thread)
    public static class Access {
        @Param({"rio", "pooled", "adaptive"})
        public String allocator;
        ByteBuf buf;
        Arena arena;
        MemorySegment segment;

        @Setup(Level.Trial)
        public void setUp() {
            ByteBufAllocator alloc = switch (allocator) {
                case "rio" -> RioByteBufAllocator.builder(Rio.provider().registeredIo()).build();
                case "pooled" -> PooledByteBufAllocator.DEFAULT;
                case "adaptive" -> new AdaptiveByteBufAllocator();
                default -> throw new IllegalArgumentException(allocator);
            };
            buf = alloc.directBuffer(4096);
            arena = Arena.ofConfined();
            segment = arena.allocate(4096, 8);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buf.release();
            arena.close();
        }
    }

    /** Writes 512 longs into a 4 KiB ByteBuf and reads them back. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @BenchmarkMode(Mode.AverageTime)
    public long byteBufAccess4k(Access a) {
        ByteBuf buf = a.buf;
        for (int i = 0; i < 4096; i += 8) {
            buf.setLong(i, i);
        }
        long sum = 0;
        for (int i = 0; i < 4096; i += 8) {
            sum += buf.getLong(i);
        }
        return sum;
    }

    /** The same through a MemorySegment (big-endian, as ByteBuf): what a segment-backed buffer could do. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @BenchmarkMode(Mode.AverageTime)
    public long segmentAccess4k(Access a) {
        MemorySegment s = a.segment;
        ValueLayout.OfLong be = LONG_BE;
        for (int i = 0; i < 4096; i += 8) {
            s.set(be, i, i);
        }
        long sum = 0;
        for (int i = 0; i < 4096; i += 8) {
            sum += s.get(be, i);
        }
        return sum;
    }

    /** Runs the allocation benchmark with 1 thread and with each count given (default 1 and 2), then access. */
    public static void main(String[] args) throws Exception {
        int[] threads = args.length == 0 ? new int[] {1, 2} : java.util.Arrays.stream(args)
                .mapToInt(Integer::parseInt).toArray();
        for (int t : threads) {
            new Runner(common().include(AllocatorBenchmark.class.getName() + ".allocateAndRelease").threads(t)
                    .build()).run();
        }
        new Runner(common().include(AllocatorBenchmark.class.getName() + ".(byteBuf|segment)Access4k")
                .param("size", "4096").build()).run();
    }

    private static ChainedOptionsBuilder common() {
        // GCProfiler: bytes allocated per operation (gc.alloc.rate.norm), the figure that shows an object per buffer.
        return new OptionsBuilder().addProfiler(GCProfiler.class).forks(1).warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=DISABLED");
    }
}
