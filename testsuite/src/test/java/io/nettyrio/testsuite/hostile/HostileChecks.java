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
package io.nettyrio.testsuite.hostile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every hostile-peer test checks besides its own assertions: no buffer leak reported by Netty's leak detector
 * (PARANOID in every test run), and no {@link RejectedExecutionException} logged by anything (the symptom of work
 * handed to an event loop that is shutting down). Register it with
 * {@code @RegisterExtension final HostileChecks checks = new HostileChecks();}.
 *
 * <p>Leaks: Netty reports a leak by logging it; this installs a {@link ResourceLeakDetector.LeakListener} on the
 * detector every buffer is tracked by ({@code AbstractByteBuf.leakDetector}, which
 * {@code AbstractByteBufAllocator.toLeakAwareBuffer} uses for Netty's and RIO's buffers alike), so a report fails
 * the test. A leak is found when the garbage collector has cleared the leaked buffer and a later allocation polls
 * the detector's queue: {@link #afterEach} collects garbage and allocates a few tracked buffers to make that happen.
 *
 * <p>Logs: the testsuite logs through logback (netty-testsuite brings it); an appender on the root logger keeps
 * every event at WARN or above.
 */
final class HostileChecks implements BeforeEachCallback, AfterEachCallback {
    private static final ResourceLeakDetector<ByteBuf> DETECTOR = bufferLeakDetector();

    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final List<ILoggingEvent> warnings = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                warnings.add(event);
            }
        }
    };

    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> bufferLeakDetector() {
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        leaks.clear();
        warnings.clear();
        DETECTOR.setLeakListener((resourceType, records) -> leaks.add(resourceType + ": " + records));
        appender.setContext(root().getLoggerContext());
        appender.setName("hostile-checks");
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isEmpty()) {
                flushLeakReports();
                assertNoLeaks();
                assertEquals(List.of(), rejectedExecutions(), "RejectedExecutionException logged");
            }
        } finally {
            root().detachAppender(appender);
            appender.stop();
            DETECTOR.setLeakListener(null);
        }
    }

    /** Makes the leak detector look at every buffer that has become garbage. */
    static void flushLeakReports() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Under PARANOID every allocation tracks its buffer, and tracking first reports what was collected.
            UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
            alloc.directBuffer(1).release();
        }
    }

    void assertNoLeaks() {
        if (!leaks.isEmpty()) {
            fail("Netty's leak detector reported " + leaks.size() + " leak(s): " + leaks);
        }
    }

    /** Returns the events logged at WARN or above since the test started. */
    List<ILoggingEvent> warnings() {
        return List.copyOf(warnings);
    }

    /** Returns "logger: message" of every logged event that carries a RejectedExecutionException. */
    List<String> rejectedExecutions() {
        List<String> found = new ArrayList<>();
        for (ILoggingEvent e : warnings) {
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                if (RejectedExecutionException.class.getName().equals(t.getClassName())) {
                    found.add(e.getLoggerName() + ": " + e.getFormattedMessage());
                    break;
                }
            }
        }
        return found;
    }

    /** Returns "logger: message (exception)" of every WARN/ERROR event from a logger whose name starts so. */
    List<String> warningsFrom(String... loggerPrefixes) {
        List<String> found = new ArrayList<>();
        for (ILoggingEvent e : warnings) {
            for (String prefix : loggerPrefixes) {
                if (e.getLoggerName().startsWith(prefix)) {
                    IThrowableProxy t = e.getThrowableProxy();
                    found.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (t == null ? "" : " (" + t.getClassName() + ": " + t.getMessage() + ')'));
                    break;
                }
            }
        }
        return found;
    }
}
