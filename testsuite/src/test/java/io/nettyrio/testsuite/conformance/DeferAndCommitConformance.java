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
package io.nettyrio.testsuite.conformance;

import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * RIO_MSG_DEFER and RIO_MSG_COMMIT_ONLY (RIOSend function (mswsock.h): DEFER "... the request ... is not executed
 * until ... a send without the RIO_MSG_DEFER flag set"; COMMIT_ONLY triggers "all sends in a send queue")
 */
interface DeferAndCommitConformance extends ConformanceSection {
    /** Deferred sends do not go out; a later send without DEFER sends them all, in order. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void deferredSendsWaitForASendWithoutDefer(Family family) throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(family, cq.handle(), 1, 4);
        Registered[] out = new Registered[4];
        for (int i = 0; i < 4; i++) {
            out[i] = fx().register(pattern(100, i));
        }
        for (int i = 0; i < 3; i++) {
            fx().rio.send(j.rq(), fx().rioBuf(out[i]), 1, RIO_MSG_DEFER, 100 + i);
        }
        fx().assertPeerQuiet(j.peer());
        fx().assertNoCompletion(cq.handle());

        fx().rio.send(j.rq(), fx().rioBuf(out[3]), 1, 0, 103);

        byte[] got = fx().peerRead(j.peer(), 400);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(pattern(100, i), Arrays.copyOfRange(got, i * 100, i * 100 + 100), "send " + i);
        }
        List<Result> done = fx().await(cq.handle(), 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(100 + i, done.get(i).requestContext(), "sends complete in order");
            assertStatus(0, done.get(i).status(), "send " + i);
            assertEquals(100, done.get(i).bytes());
        }
    }

    /** Deferred sends wait for COMMIT_ONLY, which itself completes nothing. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void deferredSendsWaitForCommitOnly(Family family) throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(family, cq.handle(), 1, 3);
        for (int i = 0; i < 3; i++) {
            fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(50, i))), 1, RIO_MSG_DEFER, 200 + i);
        }
        fx().assertPeerQuiet(j.peer());

        fx().rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);

        byte[] got = fx().peerRead(j.peer(), 150);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pattern(50, i), Arrays.copyOfRange(got, i * 50, i * 50 + 50));
        }
        List<Result> done = fx().await(cq.handle(), 3);
        assertEquals(List.of(200L, 201L, 202L), done.stream().map(Result::requestContext).toList());
        fx().assertNoCompletion(cq.handle());
    }

    /** COMMIT_ONLY "do[es] not need to be serialized": it may come from another thread. */
    @Test
    default void commitOnlyFromAnotherThread() throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(64, 1))), 1, RIO_MSG_DEFER, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(64, 2))), 1, RIO_MSG_DEFER, 2);
        fx().assertPeerQuiet(j.peer());

        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> commit = other.submit(() -> {
                fx().rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
                return null;
            });
            commit.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            other.shutdownNow();
        }
        byte[] got = fx().peerRead(j.peer(), 128);
        assertArrayEquals(pattern(64, 1), Arrays.copyOfRange(got, 0, 64));
        assertArrayEquals(pattern(64, 2), Arrays.copyOfRange(got, 64, 128));
        assertEquals(2, fx().await(cq.handle(), 2).size());
    }

    /** COMMIT_ONLY with nothing deferred is accepted, sends nothing and completes nothing. */
    @Test
    default void commitOnlyWithNothingDeferredDoesNothing() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx().rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        fx().rio.receive(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        fx().assertPeerQuiet(j.peer());
        fx().assertNoCompletion(cq.handle());
    }

    /** A deferred receive is not started before a commit; RIOReceive with COMMIT_ONLY starts it. */
    @Test
    default void deferredReceiveWaitsForCommit() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(64);
        fx().rio.receive(j.rq(), fx().rioBuf(in), 1, RIO_MSG_DEFER, 77);
        j.peer().getOutputStream().write(pattern(10, 5));
        fx().assertNoCompletion(cq.handle());

        fx().rio.receive(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);

        Result r = fx().await1(cq.handle());
        assertEquals(77, r.requestContext());
        assertEquals(10, r.bytes());
        assertArrayEquals(pattern(10, 5), bytes(in, 0, 10));
    }
}
