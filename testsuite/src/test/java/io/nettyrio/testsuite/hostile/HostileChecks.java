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
import io.nettyrio.examples.stress.LeakCounter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

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
 * <p>Leaks: a {@link LeakCounter} (the stress harness's hook on Netty's buffer leak detector, which Netty's and
 * RIO's buffers alike report to) is installed for each test, and {@link #afterEach} collects garbage and drains the
 * detector so a leaked buffer is reported before the test ends.
 *
 * <p>Logs: the testsuite logs through logback (netty-testsuite brings it); an appender on the root logger keeps
 * every event at WARN or above.
 */
final class HostileChecks implements BeforeEachCallback, AfterEachCallback {

    private LeakCounter leaks;
    private final List<ILoggingEvent> warnings = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                warnings.add(event);
            }
        }
    };

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        warnings.clear();
        leaks = LeakCounter.install();
        appender.setContext(root().getLoggerContext());
        appender.setName("hostile-checks");
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isEmpty()) {
                assertNoLeaks();
                assertEquals(List.of(), rejectedExecutions(), "RejectedExecutionException logged");
            }
        } finally {
            root().detachAppender(appender);
            appender.stop();
            leaks.close();
        }
    }

    /** Collects garbage, drains the leak detector, and fails if it reported a leak since the test started. */
    void assertNoLeaks() {
        int found;
        try {
            found = leaks.collect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while collecting leak reports", e);
        }
        if (found != 0) {
            fail("Netty's leak detector reported " + found + " leak(s): " + leaks.reports());
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
