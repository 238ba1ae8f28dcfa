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
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.rules.RioRuleViolation;
import io.nettyrio.rio.rules.RioRules;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link TransportWatch} fails the test in which a leak, a rule violation or a transport warning happens, and
 * only that test: each inner class below is run by JUnit's {@link EngineTestKit} with extension auto-detection on,
 * as surefire runs every test class, and the outcome of its tests is checked. (The inner classes are not run on
 * their own: surefire skips nested classes, and they are not {@code @Nested}.)
 */
class TransportWatchTest {

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    private static String onlyFailure(Events events) {
        List<Event> failed = events.failed().list();
        assertEquals(1, failed.size(), () -> "one failed test, got " + failed);
        Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        return t.getMessage();
    }

    @Test
    void aLeakedBufferFailsTheTestThatLeakedIt() {
        Events events = run(Leaking.class);
        assertEquals(1, events.succeeded().count(), "the test that releases its buffer passes");
        String message = onlyFailure(events);
        assertTrue(message.contains("LEAK"), message);
        assertTrue(message.contains("leaksADirectBuffer"), message);
    }

    @Test
    void aRuleViolationOnAnotherThreadFailsTheTestEvenIfCaught() {
        Events events = run(Violating.class);
        assertEquals(1, events.succeeded().count(), "the test that declares the violation passes");
        String message = onlyFailure(events);
        assertTrue(message.contains("RULE_VIOLATION"), message);
        assertTrue(message.contains("violation-thread"), message);
        assertTrue(message.contains(RioRules.Rule.USE_AFTER_CLOSE.name()), message);
    }

    @Test
    void aTransportWarningFailsTheTestUnlessItDeclaresIt() {
        Events events = run(Warning.class);
        assertEquals(1, events.succeeded().count(), "the test that declares the warning passes");
        String message = onlyFailure(events);
        assertTrue(message.contains("TRANSPORT_WARNING"), message);
        assertTrue(message.contains("a warning nobody expected"), message);
    }

    @Test
    void otherLoggersDoNotFailATestButCanBeRead() {
        Events events = run(OtherLogger.class);
        assertEquals(1, events.succeeded().count(), () -> "passes: " + events.failed().list());
    }

    static class Leaking {
        @Test
        void leaksADirectBuffer() {
            UnpooledByteBufAllocator.DEFAULT.directBuffer(16).writeLong(1);
        }

        @Test
        void releasesItsBuffer() {
            UnpooledByteBufAllocator.DEFAULT.directBuffer(16).writeLong(1).release();
        }
    }

    static class Violating {
        private static void violateOnAnotherThreadAndSwallow() throws InterruptedException {
            AtomicBoolean caught = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    throw new RioRuleViolation(RioRules.Rule.USE_AFTER_CLOSE, "a call after close, in a test");
                } catch (RioRuleViolation e) {
                    caught.set(true); // swallowed, as an event loop that only logs would
                }
            }, "violation-thread");
            t.start();
            t.join();
            assertTrue(caught.get());
        }

        @Test
        void violates() throws InterruptedException {
            violateOnAnotherThreadAndSwallow();
        }

        @Test
        @ExpectedRuleViolations("this test breaks a rule on purpose")
        void declaresTheViolation() throws InterruptedException {
            violateOnAnotherThreadAndSwallow();
        }
    }

    static class Warning {
        @Test
        void warns() {
            InternalLoggerFactory.getInstance("io.nettyrio.channel.SomeChannel").warn("a warning nobody expected");
        }

        @Test
        @ExpectedTransportWarnings("this test makes the transport warn on purpose")
        void declaresTheWarning() {
            InternalLoggerFactory.getInstance("io.nettyrio.channel.SomeChannel").error("an expected error",
                    new IllegalStateException("boom"));
            List<String> logged = TransportWatch.logged("io.nettyrio");
            assertEquals(1, logged.size(), logged::toString);
            assertTrue(logged.get(0).contains("an expected error"), logged.get(0));
        }
    }

    static class OtherLogger {
        @Test
        void nettyWarnsButTheTransportDoesNot() {
            InternalLoggerFactory.getInstance("io.netty.channel.SomethingElse").warn("Netty's own warning");
            assertEquals(List.of(), TransportWatch.logged("io.nettyrio"));
            assertEquals(1, TransportWatch.logged("io.netty.channel").size());
        }
    }
}
