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
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.JdkPeer;
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.WsaError.WSAEFAULT;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.rio.rules.RioRules.Rule.SLICE_OUTSIDE_REGISTRATION;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_BUFFER;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertRefused;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * Buffers (RIOSend function (mswsock.h), WSAEFAULT: "returned if a buffer identifier is deregistered or a buffer is
 * freed for any of the RIO_BUF structures passed in parameters before the operation is queued or invoked")
 */
interface BufferConformance extends ConformanceSection {
    /** A send from a deregistered buffer is WSAEFAULT. */
    @Test
    default void sendFromDeregisteredBufferIsFault() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx().register(pattern(16, 1));
        fx().deregister(out);
        assertRefused(fx().rio, UNKNOWN_BUFFER, () -> fx().rio.send(p.rqA(), fx().rioBuf(out), 1, 0, fx().context()),
                WSAEFAULT);
        fx().assertNoCompletion(cq.handle());
    }

    /** A receive into a deregistered buffer is WSAEFAULT. */
    @Test
    default void receiveIntoDeregisteredBufferIsFault() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(16);
        fx().deregister(in);
        assertRefused(fx().rio, UNKNOWN_BUFFER,
                () -> fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, 0, fx().context()), WSAEFAULT);
    }

    /** A BufferId that was never registered (including RIO_INVALID_BUFFERID) is WSAEFAULT. */
    @ParameterizedTest
    @ValueSource(longs = {RioConstants.RIO_INVALID_BUFFERID, 0x7654321L, 0L})
    default void unknownBufferIdIsFault(long bufferId) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertRefused(fx().rio, UNKNOWN_BUFFER,
                () -> fx().rio.send(p.rqA(), fx().rioBuf(bufferId, 0, 8), 1, 0, fx().context()), WSAEFAULT);
        assertRefused(fx().rio, UNKNOWN_BUFFER,
                () -> fx().rio.receive(p.rqA(), fx().rioBuf(bufferId, 0, 8), 1, 0, fx().context()), WSAEFAULT);
    }

    /**
     * "Any buffer completely contained within a single registered buffer": a slice reaching outside its
     * registration is refused (the documentation gives no code; WSAEFAULT or WSAEINVAL are the two it could be).
     */
    @ParameterizedTest
    @ValueSource(strings = {"0,65", "64,1", "63,2", "1,64"})
    default void sliceOutsideRegistrationIsRefused(String slice) throws Exception {
        int offset = Integer.parseInt(slice.split(",")[0]);
        int length = Integer.parseInt(slice.split(",")[1]);
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx().register(pattern(64, 1));
        Registered in = fx().register(64);
        assertRefused(fx().rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx().rio.send(p.rqA(), fx().rioBuf(out, offset, length), 1, 0, fx().context()), WSAEFAULT, WSAEINVAL);
        assertRefused(fx().rio, SLICE_OUTSIDE_REGISTRATION,
                () -> fx().rio.receive(p.rqB(), fx().rioBuf(in, offset, length), 1, 0, fx().context()),
                WSAEFAULT, WSAEINVAL);
        fx().assertNoCompletion(cq.handle());
    }

    /** RIORegisterBuffer: "WSAEINVAL ... DataLength == 0". */
    @Test
    default void registeringZeroBytesIsInvalid() throws Exception {
        MemorySegment memory = fx().arena.allocate(64);
        assertWsa(WSAEINVAL, () -> fx().rio.registerBuffer(memory, 0));
    }

    /** A slice at the very end of its registration is fine, and only its bytes are sent. */
    @Test
    default void sliceAtTheEndOfItsRegistrationIsSent() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        byte[] data = pattern(64, 3);
        Registered out = fx().register(data);
        fx().rio.send(j.rq(), fx().rioBuf(out, 40, 24), 1, 0, fx().context());
        assertEquals(24, fx().await1(cq.handle()).bytes());
        assertArrayEquals(Arrays.copyOfRange(data, 40, 64), fx().peerRead(j.peer(), 24));
    }

    /** Registering the same memory twice gives two distinct BufferIds, both usable (ctsTraffic's pattern). */
    @Test
    default void sameMemoryRegisteredTwiceGivesTwoIds() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        byte[] data = pattern(32, 4);
        Registered first = fx().register(data);
        long second = fx().rio.registerBuffer(first.memory(), 32);
        try {
            assertNotEquals(first.id(), second);
            assertNotEquals(RioConstants.RIO_INVALID_BUFFERID, second);
            fx().rio.send(j.rq(), fx().rioBuf(first.id(), 0, 16), 1, RIO_MSG_DEFER, 1);
            fx().rio.send(j.rq(), fx().rioBuf(second, 16, 16), 1, 0, 2);
            assertEquals(2, fx().await(cq.handle(), 2).size());
            assertArrayEquals(data, fx().peerRead(j.peer(), 32));
        } finally {
            fx().rio.deregisterBuffer(second);
        }
    }
}
