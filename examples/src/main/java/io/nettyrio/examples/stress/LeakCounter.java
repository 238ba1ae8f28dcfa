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
package io.nettyrio.examples.stress;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts the leaks Netty's leak detector reports for buffers (the detector every allocator's and the RIO
 * transport's received buffers use: {@code AbstractByteBuf.leakDetector}), so a run can fail on a leak rather than
 * only log it. Netty reports a leak when a buffer that was never released has been garbage collected and a later
 * sampled allocation drains the detector's queue; {@link #collect()} forces both.
 *
 * <p>Netty's detector has one listener; installing this counter replaces any other. It finds the detector by
 * reflection (a package-private static field of {@code AbstractByteBuf}).
 */
public final class LeakCounter implements ResourceLeakDetector.LeakListener, AutoCloseable {
    private final List<String> reports = new CopyOnWriteArrayList<>();

    private LeakCounter() {
    }

    /**
     * Installs a counter on the buffer leak detector and returns it.
     *
     * @throws IllegalStateException if the detector cannot be reached
     */
    public static LeakCounter install() {
        LeakCounter counter = new LeakCounter();
        detector().setLeakListener(counter);
        return counter;
    }

    private static ResourceLeakDetector<?> detector() {
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<?>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach Netty's buffer leak detector", e);
        }
    }

    /** Takes the counter off the detector (Netty then only logs leaks again); the counts stay readable. */
    @Override
    public void close() {
        detector().setLeakListener(null);
    }

    @Override
    public void onLeak(String resourceType, String records) {
        reports.add(resourceType + ": " + records);
    }

    /**
     * Collects garbage and drains the detector (sampled allocations run its leak check), then returns the number of
     * leaks reported since {@link #install()}.
     */
    public int collect() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(100);
            // Below PARANOID only one allocation in io.netty.leakDetection.samplingInterval (128) runs the check.
            for (int i = 0; i < 1024; i++) {
                ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(1);
                buf.release();
            }
        }
        return reports.size();
    }

    /** Returns the leaks reported so far. */
    public int leaks() {
        return reports.size();
    }

    /** Returns the leak reports so far (Netty's records of where each leaked buffer was used). */
    public List<String> reports() {
        return List.copyOf(reports);
    }

    /** Returns Netty's leak detection level, for reports. */
    public static String level() {
        return ResourceLeakDetector.getLevel().name();
    }
}
