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
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * RIODequeueCompletion and RIORESULT
 */
interface DequeueConformance extends ConformanceSection {
    /** At most ArraySize results, oldest first; the rest stay queued; an empty queue gives 0. */
    @Test
    default void dequeueReturnsAtMostTheNumberAskedInOrder() throws Exception {
        Cq cq = fx().cq(16);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 5);
        for (int i = 0; i < 5; i++) {
            fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, i))), 1, i < 4 ? RIO_MSG_DEFER : 0, 10 + i);
        }
        fx().peerRead(j.peer(), 40);
        List<Result> two = fx().await(cq.handle(), 2);
        assertEquals(List.of(10L, 11L), two.stream().map(Result::requestContext).toList());
        List<Result> rest = fx().await(cq.handle(), 3);
        assertEquals(List.of(12L, 13L, 14L), rest.stream().map(Result::requestContext).toList());
        assertTrue(fx().dequeue(cq.handle(), 16).isEmpty());
    }

    /** Many sends on one queue complete in order, and their bytes arrive in order. */
    @ParameterizedTest
    @EnumSource(Family.class)
    default void manySendsCompleteInOrder(Family family) throws Exception {
        int n = 64;
        Cq cq = fx().cq(n + 1);
        JdkPeer j = fx().jdkPeer(family, cq.handle(), 1, n);
        for (int i = 0; i < n; i++) {
            fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(1000, i))), 1, i < n - 1 ? RIO_MSG_DEFER : 0, i);
        }
        byte[] got = fx().peerRead(j.peer(), n * 1000);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(pattern(1000, i), Arrays.copyOfRange(got, i * 1000, (i + 1) * 1000), "send " + i);
        }
        List<Result> done = fx().await(cq.handle(), n);
        for (int i = 0; i < n; i++) {
            assertEquals(i, done.get(i).requestContext());
            assertEquals(1000, done.get(i).bytes());
        }
    }

    /** RIORESULT: Status, BytesTransferred, SocketContext (of the queue) and RequestContext (of the request). */
    @Test
    default void resultFieldsDescribeTheRequest() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(100);
        Registered out = fx().register(pattern(37, 1));
        fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, 0, 0x1234_5678_9ABCL);
        fx().rio.send(p.rqB(), fx().rioBuf(out), 1, 0, -2L);
        List<Result> done = fx().await(cq.handle(), 2);
        Result send = done.stream().filter(r -> r.requestContext() == -2L).findFirst().orElseThrow();
        Result receive = done.stream().filter(r -> r.requestContext() == 0x1234_5678_9ABCL).findFirst()
                .orElseThrow();
        assertStatus(0, send.status(), "send");
        assertEquals(37, send.bytes());
        assertEquals(0xB, send.socketContext());
        assertStatus(0, receive.status(), "receive");
        assertEquals(37, receive.bytes());
        assertEquals(0xA, receive.socketContext());
        assertArrayEquals(pattern(37, 1), bytes(in, 0, 37));
    }

    /** A receive completes with what arrived; it is not filled before completing (no WAITALL). */
    @Test
    default void receiveCompletesWithWhatArrived() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(1000);
        fx().rio.receive(j.rq(), fx().rioBuf(in), 1, 0, 1);
        j.peer().getOutputStream().write(pattern(10, 2));
        Result r = fx().await1(cq.handle());
        assertEquals(10, r.bytes());
        assertArrayEquals(pattern(10, 2), bytes(in, 0, 10));
    }

    /** RIO_MSG_WAITALL: "completes only when the buffer is full, the connection closes, or ... fails". */
    @Test
    default void waitAllReceiveWaitsForAFullBuffer() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(100);
        fx().rio.receive(j.rq(), fx().rioBuf(in), 1, RIO_MSG_WAITALL, 1);
        byte[] data = pattern(100, 3);
        OutputStream out = j.peer().getOutputStream();
        out.write(data, 0, 40);
        out.flush();
        fx().assertNoCompletion(cq.handle());
        out.write(data, 40, 60);
        Result r = fx().await1(cq.handle());
        assertEquals(100, r.bytes());
        assertArrayEquals(data, bytes(in, 0, 100));
    }

    /** WAITALL also completes when "the connection closes": with what arrived before the end of the stream. */
    @Test
    default void waitAllReceiveCompletesAtEndOfStream() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(100);
        fx().rio.receive(j.rq(), fx().rioBuf(in), 1, RIO_MSG_WAITALL, 1);
        j.peer().getOutputStream().write(pattern(40, 6));
        j.peer().getOutputStream().flush();
        fx().assertNoCompletion(cq.handle());
        j.peer().shutdownOutput();
        Result r = fx().await1(cq.handle());
        assertStatus(0, r.status(), "WAITALL at the end of the stream");
        assertEquals(40, r.bytes());
        assertArrayEquals(pattern(40, 6), bytes(in, 0, 40));
    }
}
