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
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * End of stream, reset, local close
 */
interface EndOfStreamConformance extends ConformanceSection {
    /** "A receive that completes with BytesTransferred == 0 and Status == 0 means the peer closed gracefully." */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void peerCloseCompletesAReceiveWithZeroBytes(Family family) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(family, cq.handle(), 1, 1);
        Registered in = fx().register(64);
        fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, 0, 9);
        fx().closeSocket(p.b());
        Result r = fx().await1(cq.handle());
        assertEquals(9, r.requestContext());
        assertStatus(0, r.status(), "EOF");
        assertEquals(0, r.bytes());
    }

    /** shutdown(SD_SEND) is a graceful end too: the peer's receive completes with 0 bytes, status 0. */
    @Test
    default void shutdownSendGivesThePeerEndOfStream() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(64);
        fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, 0, 9);
        fx().sockets.shutdown(p.b(), RioConstants.SD_SEND);
        Result r = fx().await1(cq.handle());
        assertStatus(0, r.status(), "EOF after shutdown");
        assertEquals(0, r.bytes());
    }

    /** A reset by the peer completes a pending receive with WSAECONNRESET. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void peerResetFailsAReceiveWithConnReset(Family family) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(family, cq.handle(), 1, 1);
        Registered in = fx().register(64);
        fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, 0, 9);
        fx().abortSocket(p.b());
        Result r = fx().await1(cq.handle());
        assertEquals(9, r.requestContext());
        assertStatus(WsaError.WSAECONNRESET, r.status(), "receive after RST");
        assertEquals(0, r.bytes());
    }

    /** Closing the local socket completes its pending receives with an error status; they are still dequeued. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void localCloseAbortsPendingReceives(Family family) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(family, cq.handle(), 2, 1);
        Registered in = fx().register(128);
        fx().rio.receive(p.rqA(), fx().rioBuf(in, 0, 64), 1, 0, 1);
        fx().rio.receive(p.rqA(), fx().rioBuf(in, 64, 64), 1, 0, 2);
        fx().assertNoCompletion(cq.handle());
        fx().closeSocket(p.a());
        List<Result> done = fx().await(cq.handle(), 2);
        assertEquals(List.of(1L, 2L), done.stream().map(Result::requestContext).sorted().toList());
        for (Result r : done) {
            assertNotEquals(0, r.status(), "an aborted receive reports an error, not EOF: " + r);
            assertEquals(0, r.bytes());
            assertEquals(0xA, r.socketContext());
        }
    }

    /** Deferred sends never committed are pending requests too: closesocket completes them with an error. */
    @Test
    default void localCloseAbortsDeferredSends() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, RIO_MSG_DEFER, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, RIO_MSG_DEFER, 2);
        fx().closeSocket(j.socket());
        List<Result> done = fx().await(cq.handle(), 2);
        assertEquals(List.of(1L, 2L), done.stream().map(Result::requestContext).sorted().toList());
        for (Result r : done) {
            assertNotEquals(0, r.status(), "a deferred send aborted by close reports an error: " + r);
        }
    }

    /** Closing a UDP socket aborts its pending receive too. */
    @Test
    default void localCloseAbortsPendingUdpReceive() throws Exception {
        Cq cq = fx().cq(8);
        long[] udp = fx().udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered in = fx().register(64);
        fx().rio.receive(udp[1], fx().rioBuf(in), 1, 0, 3);
        fx().closeSocket(udp[0]);
        Result r = fx().await1(cq.handle());
        assertEquals(3, r.requestContext());
        assertNotEquals(0, r.status());
    }
}
