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
package io.nettyrio.channel;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes what Netty and the transport only log fail a test: every buffer leak Netty's leak detector reports (through
 * its {@link ResourceLeakDetector.LeakListener}, on the detector every {@link ByteBuf} shares), and every warning or
 * error logged by Netty or the transport while the watch is open (an exception that escaped to the event loop, a
 * promise completed twice, a completion without its request: each is logged, never thrown). Netty logs through
 * java.util.logging here (no SLF4J on the test class path).
 */
final class FaultWatch implements AutoCloseable {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean listenerInstalled;

    private final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String name = record.getLoggerName();
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && name != null
                    && (name.startsWith("io.netty") || name.startsWith("io.nettyrio"))) {
                StringBuilder b = new StringBuilder(name).append(": ").append(record.getMessage());
                if (record.getParameters() != null) {
                    for (Object p : record.getParameters()) {
                        b.append(" | ").append(p);
                    }
                }
                if (record.getThrown() != null) {
                    b.append(" | ").append(record.getThrown());
                }
                warnings.add(b.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    FaultWatch() {
        installLeakListener();
        // Report (and forget) leaks of earlier tests before this one starts.
        collectLeaks();
        LEAKS.clear();
        Logger.getLogger("").addHandler(handler);
    }

    private static synchronized void installLeakListener() {
        if (listenerInstalled) {
            return;
        }
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
            detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot hook Netty's leak detector", e);
        }
        listenerInstalled = true;
    }

    /** Collects what the GC found: a leak is reported when a later buffer is tracked, after the leaked one died. */
    private static void collectLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // A tracked allocation runs the detector's report of collected, unreleased buffers.
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
    }

    /** Throws if a buffer leaked or Netty or the transport logged a warning since the watch was opened. */
    void check() {
        if (!ResourceLeakDetector.isEnabled() || ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("these tests run with leak detection at PARANOID (the poms' argLine)");
        }
        collectLeaks();
        List<String> problems = new ArrayList<>();
        for (String leak : LEAKS) {
            problems.add("LEAK " + leak);
        }
        problems.addAll(warnings);
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " leak(s) or warning(s):\n" + String.join("\n", problems));
        }
    }

    /** Returns the warnings logged so far. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
