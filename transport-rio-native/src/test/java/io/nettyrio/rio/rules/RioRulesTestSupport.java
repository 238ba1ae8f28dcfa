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
package io.nettyrio.rio.rules;

import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the RioRules tests share: a {@link RioRulesFakeProvider} wrapped by {@link RioRules}, one completion queue,
 * a TCP and a UDP socket with request queues on it, two registrations, and assertions that a breach throws the
 * rule and never reaches the provider.
 */
abstract class RioRulesTestSupport {
    static final int SIZE = 4096;

    RioRulesFakeProvider fake;
    RioProvider rules;
    RegisteredIo io;
    RioSockets sockets;
    Arena arena;
    ExecutorService executor;

    long cq;
    long tcp;
    long tcpRq;
    long udp;
    long udpRq;
    long regA;
    long regB;

    @BeforeEach
    void setUpRules() throws Exception {
        fake = new RioRulesFakeProvider();
        rules = RioRules.wrap(fake);
        io = rules.registeredIo();
        sockets = rules.sockets();
        arena = Arena.ofShared();
        executor = Executors.newSingleThreadExecutor();
        cq = io.createCompletionQueue(64, null);
        tcp = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
        tcpRq = io.createRequestQueue(tcp, 8, 1, 8, 1, cq, cq, 0x7C9L);
        udp = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_DGRAM);
        udpRq = io.createRequestQueue(udp, 8, 1, 8, 1, cq, cq, 0x0D9L);
        regA = io.registerBuffer(arena.allocate(SIZE, 8), SIZE);
        regB = io.registerBuffer(arena.allocate(SIZE, 8), SIZE);
    }

    @AfterEach
    void tearDownRules() throws Exception {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        arena.close();
    }

    /** A fresh {@code RIO_BUF} describing {@code [offset, offset+length)} of {@code bufferId}. */
    MemorySegment rioBuf(long bufferId, int offset, int length) {
        MemorySegment buf = arena.allocate(RioLayouts.RIO_BUF);
        set(buf, bufferId, offset, length);
        return buf;
    }

    static void set(MemorySegment buf, long bufferId, int offset, int length) {
        RioLayouts.RIO_BUF_BufferId.set(buf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(buf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(buf, 0L, length);
    }

    /** Dequeues everything on {@code queue}; returns the RequestContexts as the caller sees them. */
    List<Long> dequeueAll(long queue) throws RioException {
        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 4);
        List<Long> contexts = new ArrayList<>();
        int n;
        do {
            n = io.dequeueCompletion(queue, results, 4);
            for (int i = 0; i < n; i++) {
                contexts.add((long) RioLayouts.RIORESULT_RequestContext.get(results,
                        i * RioLayouts.RIORESULT.byteSize()));
            }
        } while (n == 4);
        return contexts;
    }

    /** Asserts that {@code call} throws {@code type} and does not reach the provider. */
    <T extends Throwable> T notReaching(Class<T> type, Executable call) {
        int before = fake.calls.size();
        T thrown = assertThrows(type, call);
        assertEquals(before, fake.calls.size(), () -> "the call reached the provider: " + fake.calls);
        return thrown;
    }

    /** Asserts that {@code call} breaks {@code rule} (a RioRuleViolation naming it) and does not reach the provider. */
    RioRuleViolation violates(RioRules.Rule rule, Executable call) {
        RioRuleViolation v = notReaching(RioRuleViolation.class, call);
        assertEquals(rule, v.rule(), v::getMessage);
        assertTrue(v.getMessage().contains(rule.name()), v::getMessage);
        return v;
    }

    /** Asserts that {@code call} fails with WSAEINVAL naming {@code rule}, and does not reach the provider. */
    RioRulesException invalid(RioRules.Rule rule, Executable call) {
        RioRulesException e = notReaching(RioRulesException.class, call);
        assertEquals(WsaError.WSAEINVAL, e.wsaError(), e::getMessage);
        assertEquals(rule, e.rule(), e::getMessage);
        assertTrue(e.getMessage().contains(rule.name()), e::getMessage);
        return e;
    }

    /**
     * Runs {@code call} on another thread and returns once that thread is inside the provider's {@code callName},
     * where it stays until {@code release} is counted down.
     */
    Future<?> holdInside(String callName, CountDownLatch release, Executable call) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        fake.blockCall = callName;
        fake.blocker = () -> {
            inside.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Future<?> f = executor.submit(() -> {
            try {
                call.execute();
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            return null;
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the other thread never got inside " + callName);
        return f;
    }
}
