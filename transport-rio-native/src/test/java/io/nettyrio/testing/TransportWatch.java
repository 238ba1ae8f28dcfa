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
package io.nettyrio.testing;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLogLevel;
import io.nettyrio.rio.rules.RioRules;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.Annotation;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The hook every test of every module runs under (registered through {@code META-INF/services} and JUnit's
 * extension auto-detection, switched on in the parent pom's surefire configuration): it fails the running test when
 * <ul>
 *   <li>Netty's leak detector reports a leak (garbage is collected and the buffer detector drained after each
 *       test, so a leak is reported in the test that made it);</li>
 *   <li>the RioRules checker raises a {@code RioRuleViolation} or {@code RioRulesException}, on any thread, even
 *       if a caller catches it and only logs it (through {@link RioRules#setViolationListener});</li>
 *   <li>a transport logger ({@code io.nettyrio.*}) logs at WARN or ERROR.</li>
 * </ul>
 * A test that does one of these on purpose says so with {@link ExpectedLeaks}, {@link ExpectedRuleViolations} or
 * {@link ExpectedTransportWarnings}. What happens outside any test (in {@code @BeforeAll}, {@code @AfterAll}, or
 * between two tests, as an event loop shuts down) fails the test class instead.
 */
public final class TransportWatch implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TransportWatch.class);
    private static final String OUTSIDE_TESTS = "outside-tests";
    /** Problems listed (and exceptions attached) in one failure; a fuzzer breaking rules makes thousands. */
    private static final int MAX_LISTED = 20;
    private static final Recorder RECORDER = new Recorder();

    static {
        RecordingLoggerFactory.install(RECORDER);
        RioRules.setViolationListener(RECORDER::violation);
    }

    /** What went wrong, of one kind. */
    enum Kind {
        LEAK, RULE_VIOLATION, TRANSPORT_WARNING, OTHER_LOG
    }

    /** One event: a leak report, a rule violation or a WARN/ERROR log line. */
    record Event(Kind kind, String source, String text, Throwable thrown, String thread) {
        @Override
        public String toString() {
            return kind + " [" + thread + "] " + source + ": " + text + causes(thrown);
        }
    }

    /** Collects events from every thread until the watch drains them. */
    static final class Recorder {
        private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

        void logged(String logger, InternalLogLevel level, String text, Throwable thrown) {
            Kind kind = logger.equals(RecordingLoggerFactory.LEAK_DETECTOR) ? Kind.LEAK
                    : logger.startsWith(RecordingLoggerFactory.TRANSPORT_PREFIX) ? Kind.TRANSPORT_WARNING
                    : Kind.OTHER_LOG;
            events.add(new Event(kind, logger, level + " " + text, thrown, Thread.currentThread().getName()));
        }

        void violation(Exception violation) {
            events.add(new Event(Kind.RULE_VIOLATION, "RioRules", violation.getMessage(), violation,
                    Thread.currentThread().getName()));
        }

        List<Event> drain() {
            List<Event> drained = new ArrayList<>();
            for (Event e; (e = events.poll()) != null; ) {
                drained.add(e);
            }
            return drained;
        }

        List<Event> peek() {
            return List.copyOf(events);
        }
    }

    /** Returns " (exception; caused by ...)" for {@code thrown} and its causes, or "" for none. */
    private static String causes(Throwable thrown) {
        if (thrown == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (").append(thrown);
        int depth = 0;
        for (Throwable c = thrown.getCause(); c != null && c != thrown && depth < 8; c = c.getCause(), depth++) {
            b.append("; caused by ").append(c);
        }
        return b.append(')').toString();
    }

    /** Auto-detection creates the watch; tests do not. */
    public TransportWatch() {
    }

    /**
     * Returns "logger: LEVEL message (exception)" of every WARN or ERROR event logged since the running test
     * started by a logger whose name starts with one of {@code loggerPrefixes}: for tests that expect warnings and
     * check them, or that also hold Netty's own loggers ({@code "io.netty"}) to silence.
     */
    public static List<String> logged(String... loggerPrefixes) {
        List<String> found = new ArrayList<>();
        for (Event e : RECORDER.peek()) {
            if (e.kind() == Kind.RULE_VIOLATION) {
                continue;
            }
            for (String prefix : loggerPrefixes) {
                if (e.source().startsWith(prefix)) {
                    found.add(e.source() + ": " + e.text() + causes(e.thrown()));
                    break;
                }
            }
        }
        return found;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        collectLeaks();
        outside(context).addAll(failing(RECORDER.drain(), context, "before " + context.getDisplayName()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // No collection here: one per test (after it) is what a leak needs to be reported in the test that made
        // it, and a full collection costs a tenth of a second or more in a testsuite JVM.
        // Left by the previous test's asynchronous tail or by @BeforeAll/@BeforeEach set-up: the class answers.
        ExtensionContext owner = classContext(context);
        outside(owner).addAll(failing(RECORDER.drain(), owner, "before " + context.getDisplayName()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        collectLeaks();
        List<Event> problems = failing(RECORDER.drain(), context, null);
        if (!problems.isEmpty()) {
            throw failure(context.getDisplayName(), problems);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        collectLeaks();
        List<Event> problems = outside(context);
        problems.addAll(failing(RECORDER.drain(), context, "after the last test"));
        if (!problems.isEmpty()) {
            throw failure(context.getDisplayName() + " (outside its tests)", problems);
        }
    }

    /** The failure for {@code problems}: each listed, the first exception as the cause, the others suppressed. */
    private static AssertionError failure(String where, List<Event> problems) {
        StringBuilder b = new StringBuilder("TransportWatch: ").append(problems.size()).append(" problem(s) in ")
                .append(where).append(':');
        for (int i = 0; i < Math.min(problems.size(), MAX_LISTED); i++) {
            b.append("\n  ").append(problems.get(i));
        }
        if (problems.size() > MAX_LISTED) {
            b.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
        }
        b.append("\n(a test that does this on purpose declares it with @ExpectedLeaks, @ExpectedRuleViolations or"
                + " @ExpectedTransportWarnings)");
        AssertionError error = new AssertionError(b.toString());
        for (Event e : problems.subList(0, Math.min(problems.size(), MAX_LISTED))) {
            if (e.thrown() != null) {
                if (error.getCause() == null) {
                    error.initCause(e.thrown());
                } else {
                    error.addSuppressed(e.thrown());
                }
            }
        }
        return error;
    }

    /** Returns the context of the test class that {@code context} belongs to (its {@code afterAll} reports). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (!(c.getElement().orElse(null) instanceof Class<?>) && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<Event> outside(ExtensionContext classContext) {
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(OUTSIDE_TESTS, k -> new ArrayList<Event>(),
                List.class);
    }

    /** Returns the events that fail {@code context}: every one not of a kind it declares it expects. */
    private static List<Event> failing(List<Event> events, ExtensionContext context, String when) {
        List<Event> problems = new ArrayList<>();
        for (Event e : events) {
            Class<? extends Annotation> excuse = switch (e.kind()) {
                case LEAK -> ExpectedLeaks.class;
                case RULE_VIOLATION -> ExpectedRuleViolations.class;
                case TRANSPORT_WARNING -> ExpectedTransportWarnings.class;
                case OTHER_LOG -> null;
            };
            if (excuse != null && !declares(context, excuse)) {
                problems.add(when == null ? e
                        : new Event(e.kind(), e.source(), "(" + when + ") " + e.text(), e.thrown(), e.thread()));
            }
        }
        return problems;
    }

    private static boolean declares(ExtensionContext context, Class<? extends Annotation> annotation) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (c.get().getElement().map(el -> AnnotationSupport.isAnnotated(el, annotation)).orElse(false)) {
                return true;
            }
            if (c.get().getTestClass().map(t -> AnnotationSupport.isAnnotated(t, annotation)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Collects garbage and drains the buffer leak detector: Netty reports a leak when a tracked allocation finds,
     * on the detector's reference queue, a buffer that was collected unreleased.
     */
    static void collectLeaks() {
        if (!ResourceLeakDetector.isEnabled()) {
            return;
        }
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            // The sentinel is enqueued by the same reference processing as the leaked buffers' trackers. It returns
            // as soon as it is; up to 5 s for a loaded machine, where a leak found only later is charged to a later
            // test.
            queue.remove(5000);
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
        // Below PARANOID only one tracked allocation in the sampling interval (128 by default) drains the queue.
        int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID ? 1 : 1024;
        for (int i = 0; i < allocations; i++) {
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
    }
}
