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

import java.net.InetSocketAddress;
import java.util.List;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.WsaError.WSAENOBUFS;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * Outstanding capacity (RIOSend function (mswsock.h): "The send request is charged against the outstanding I/O
 * capacity on the RIO_RQ ... regardless of whether RIO_MSG_DEFER is set"; RIODequeueCompletion: "Only after a
 * request's completion has been dequeued does the system release ... its quota charge")
 */
interface OutstandingCapacityConformance extends ConformanceSection {
    /** MaxOutstandingSend deferred sends fill the queue: one more is WSAENOBUFS, deferred or not. */
    @Test
    default void deferredSendsAreChargedAgainstCapacity() throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 4);
        for (int i = 0; i < 4; i++) {
            fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, i))), 1, RIO_MSG_DEFER, i);
        }
        Registered extra = fx().register(pattern(8, 9));
        assertWsa(WSAENOBUFS, () -> fx().rio.send(j.rq(), fx().rioBuf(extra), 1, RIO_MSG_DEFER, 9));
        assertWsa(WSAENOBUFS, () -> fx().rio.send(j.rq(), fx().rioBuf(extra), 1, 0, 9));

        fx().rio.send(j.rq(), NULL, 0, RIO_MSG_COMMIT_ONLY, 0);
        assertEquals(List.of(0L, 1L, 2L, 3L), fx().await(cq.handle(), 4).stream().map(Result::requestContext)
                .toList(), "the four sends, and not the refused ones, complete");
        fx().assertNoCompletion(cq.handle());
        fx().peerRead(j.peer(), 32);
    }

    /** Capacity comes back when the completion is dequeued, not when the send is done. */
    @Test
    default void capacityReturnsOnlyAfterDequeue() throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, 0, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, 0, 2);
        fx().peerRead(j.peer(), 16);
        // Both sends are done (the peer has every byte), but not yet dequeued: still charged.
        Thread.sleep(50);
        Registered third = fx().register(pattern(8, 3));
        assertWsa(WSAENOBUFS, () -> fx().rio.send(j.rq(), fx().rioBuf(third), 1, 0, 3));

        assertEquals(1, fx().await(cq.handle(), 1).get(0).requestContext());
        fx().rio.send(j.rq(), fx().rioBuf(third), 1, 0, 3);
        assertArrayEquals(pattern(8, 3), fx().peerRead(j.peer(), 8));
        assertEquals(List.of(2L, 3L), fx().await(cq.handle(), 2).stream().map(Result::requestContext).toList());
    }

    /** MaxOutstandingReceive bounds the receives posted. */
    @Test
    default void receivesAreChargedAgainstCapacity() throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 2, 1);
        Registered in = fx().register(3 * 16);
        fx().rio.receive(j.rq(), fx().rioBuf(in, 0, 16), 1, 0, 1);
        fx().rio.receive(j.rq(), fx().rioBuf(in, 16, 16), 1, 0, 2);
        assertWsa(WSAENOBUFS, () -> fx().rio.receive(j.rq(), fx().rioBuf(in, 32, 16), 1, 0, 3));
    }

    /** WSAENOBUFS: "... the I/O completion queue was created with zero send entries" (and receive entries). */
    @Test
    default void requestQueueWithoutSendOrReceiveEntriesRefusesThem() throws Exception {
        Cq cq = fx().cq(8);
        Registered buf = fx().register(16);
        long[] sendOnly = fx().udp(Family.IPV4, cq.handle(), 0, 1, 1);
        assertWsa(WSAENOBUFS, () -> fx().rio.receive(sendOnly[1], fx().rioBuf(buf), 1, 0, 1));

        long[] receiveOnly = fx().udp(Family.IPV4, cq.handle(), 1, 0, 2);
        fx().sockets.connectDatagram(receiveOnly[0], new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAENOBUFS, () -> fx().rio.send(receiveOnly[1], fx().rioBuf(buf), 1, 0, 1));
        fx().assertNoCompletion(cq.handle());
    }

    /** RIOResizeRequestQueue raises the outstanding capacity. */
    @Test
    default void resizeRequestQueueRaisesCapacity() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        Registered second = fx().register(pattern(8, 2));
        assertWsa(WSAENOBUFS, () -> fx().rio.send(j.rq(), fx().rioBuf(second), 1, 0, 2));

        fx().rio.resizeRequestQueue(j.rq(), 1, 2);

        fx().rio.send(j.rq(), fx().rioBuf(second), 1, 0, 2);
        assertEquals(2, fx().await(cq.handle(), 2).size());
        fx().peerRead(j.peer(), 16);
    }

    /** RIOResizeRequestQueue: WSAEINVAL "... or both RQ values 0". */
    @Test
    default void resizeRequestQueueToZeroIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx().rio.resizeRequestQueue(j.rq(), 0, 0));
    }
}
