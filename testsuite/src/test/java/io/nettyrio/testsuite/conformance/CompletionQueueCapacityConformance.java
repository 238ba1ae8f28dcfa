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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.WsaError;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.SOCK_DGRAM;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.WsaError.WSAENOBUFS;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsaOneOf;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * Completion queue capacity (RIOCreateRequestQueue: "a socket may only be associated with a completion queue ... if
 * it guarantees not to exceed the capacity for total queued completions")
 */
interface CompletionQueueCapacityConformance extends ConformanceSection {
    /** A request queue that would overfill its completion queue is WSAENOBUFS; after a resize it fits. */
    @Test
    default void requestQueueNeedsRoomInItsCompletionQueue() throws Exception {
        Cq cq = fx().cq(4);
        long[] first = fx().udp(Family.IPV4, cq.handle(), 2, 2, 1);
        long second = fx().socket(Family.IPV4, SOCK_DGRAM);
        fx().sockets.bind(second, Family.IPV4.any());
        assertWsa(WSAENOBUFS,
                () -> fx().rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2));

        fx().rio.resizeCompletionQueue(cq.handle(), 6);

        long rq = fx().rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
        assertNotEquals(first[1], rq);
    }

    /** A queue used separately for receives and sends counts each side on its own queue. */
    @Test
    default void receiveAndSendQueuesAreChargedSeparately() throws Exception {
        Cq receives = fx().cq(2);
        Cq sends = fx().cq(1);
        long s = fx().socket(Family.IPV4, SOCK_DGRAM);
        fx().sockets.bind(s, Family.IPV4.any());
        long rq = fx().rio.createRequestQueue(s, 2, 1, 1, 1, receives.handle(), sends.handle(), 1);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
        long t = fx().socket(Family.IPV4, SOCK_DGRAM);
        fx().sockets.bind(t, Family.IPV4.any());
        assertWsa(WSAENOBUFS, () -> fx().rio.createRequestQueue(t, 0, 1, 1, 1, receives.handle(), sends.handle(), 2));
    }

    /** RIOResizeCompletionQueue: shrinking below what is in use fails (WSAETOOMANYREFS "cannot shrink yet"). */
    @Test
    default void completionQueueCannotShrinkBelowItsUse() throws Exception {
        Cq cq = fx().cq(8);
        fx().udp(Family.IPV4, cq.handle(), 3, 3, 1);
        assertWsaOneOf(() -> fx().rio.resizeCompletionQueue(cq.handle(), 4),
                WsaError.WSAETOOMANYREFS, WSAENOBUFS, WSAEINVAL);
        fx().rio.resizeCompletionQueue(cq.handle(), 6);
    }

    /** RIOResizeCompletionQueue keeps the entries queued. */
    @Test
    default void resizeKeepsQueuedCompletions() throws Exception {
        Cq cq = fx().cq(4);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, 0, 2);
        fx().peerRead(j.peer(), 16);
        Thread.sleep(50);
        fx().rio.resizeCompletionQueue(cq.handle(), 64);
        assertEquals(List.of(1L, 2L), fx().await(cq.handle(), 2).stream().map(Result::requestContext).toList());
    }

    /** closesocket frees the request queue and gives its completion-queue slots back. */
    @Test
    default void closingASocketGivesItsCompletionQueueSlotsBack() throws Exception {
        Cq cq = fx().cq(2);
        long[] first = fx().udp(Family.IPV4, cq.handle(), 1, 1, 1);
        long second = fx().socket(Family.IPV4, SOCK_DGRAM);
        fx().sockets.bind(second, Family.IPV4.any());
        assertWsa(WSAENOBUFS, () -> fx().rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2));
        fx().closeSocket(first[0]);
        long rq = fx().rio.createRequestQueue(second, 1, 1, 1, 1, cq.handle(), cq.handle(), 2);
        assertNotEquals(RioConstants.RIO_INVALID_RQ, rq);
    }

    /** RIOCreateCompletionQueue: WSAEINVAL for QueueSize < 1 or > RIO_MAX_CQ_SIZE. */
    @ParameterizedTest
    @ValueSource(ints = {0, RioConstants.RIO_MAX_CQ_SIZE + 1})
    default void completionQueueSizeOutOfRangeIsInvalid(int size) {
        assertWsa(WSAEINVAL, () -> fx().rio.createCompletionQueue(size, NULL));
    }

    /** RIOResizeCompletionQueue: WSAEINVAL for a size above RIO_MAX_CQ_SIZE. */
    @Test
    default void completionQueueResizeAboveMaximumIsInvalid() throws Exception {
        long cq = fx().polledCq(4);
        assertWsa(WSAEINVAL, () -> fx().rio.resizeCompletionQueue(cq, RioConstants.RIO_MAX_CQ_SIZE + 1));
    }
}
