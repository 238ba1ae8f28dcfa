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

import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.testsuite.conformance.RioFixture.Cq;
import io.nettyrio.testsuite.conformance.RioFixture.Family;
import io.nettyrio.testsuite.conformance.RioFixture.Pair;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DONT_NOTIFY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.WsaError.WSAEINVAL;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertWsa;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static java.lang.foreign.MemorySegment.NULL;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * Flags (RIOSend function (mswsock.h): RIO_MSG_COMMIT_ONLY "... the pData and RequestContext parameters must be
 * NULL and the DataBufferCount parameter must be zero"; WSAEINVAL "if ... the Flags parameter contains a value not
 * valid for a send operation")
 */
interface FlagsConformance extends ConformanceSection {
    /** COMMIT_ONLY with data is WSAEINVAL. */
    @Test
    default void commitOnlyWithDataIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx().register(pattern(16, 1));
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), fx().rioBuf(out), 1, RIO_MSG_COMMIT_ONLY, 0));
        Registered in = fx().register(16);
        assertWsa(WSAEINVAL, () -> fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, RIO_MSG_COMMIT_ONLY, 0));
        fx().assertNoCompletion(cq.handle());
    }

    /** COMMIT_ONLY with a request context is WSAEINVAL. */
    @Test
    default void commitOnlyWithContextIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY, 42));
        assertWsa(WSAEINVAL, () -> fx().rio.receive(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY, 42));
    }

    /** COMMIT_ONLY must be the only flag. */
    @ParameterizedTest
    @ValueSource(ints = {RIO_MSG_DEFER, RIO_MSG_DONT_NOTIFY, RIO_MSG_DEFER | RIO_MSG_DONT_NOTIFY})
    default void commitOnlyWithAnotherFlagIsInvalid(int other) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), NULL, 0, RIO_MSG_COMMIT_ONLY | other, 0));
    }

    /** COMMIT_ONLY on RIOSendEx: "all five pointers and RequestContext must be NULL". */
    @Test
    default void commitOnlySendExWithAddressIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        long[] udp = fx().udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered addr = fx().register(SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, new InetSocketAddress(Family.IPV4.loopback, 9));
        assertWsa(WSAEINVAL, () -> fx().rio.sendEx(udp[1], NULL, 0, NULL, fx().rioBuf(addr), NULL, NULL,
                RIO_MSG_COMMIT_ONLY, 0));
    }

    /** Flags a send does not know (0x10, 0x80000000) and WAITALL (receive only) are WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x80000000, RIO_MSG_WAITALL})
    default void invalidSendFlagsAreInvalid(int flags) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered out = fx().register(pattern(16, 1));
        assertWsa(WSAEINVAL, () -> fx().rio.send(p.rqA(), fx().rioBuf(out), 1, flags, fx().context()));
        fx().assertNoCompletion(cq.handle());
    }

    /** Flags a receive does not know are WSAEINVAL. */
    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x100})
    default void invalidReceiveFlagsAreInvalid(int flags) throws Exception {
        Cq cq = fx().cq(8);
        Pair p = fx().tcpPair(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(16);
        assertWsa(WSAEINVAL, () -> fx().rio.receive(p.rqA(), fx().rioBuf(in), 1, flags, fx().context()));
    }

    /** RIOSendEx: "pLocalAddress is reserved and must be NULL". */
    @Test
    default void sendExWithLocalAddressIsInvalid() throws Exception {
        Cq cq = fx().cq(8);
        long[] udp = fx().udp(Family.IPV4, cq.handle(), 1, 1, 0x5);
        Registered addr = fx().register(2 * SockaddrInet.SIZE);
        SockaddrInet.write(addr.memory(), 0, new InetSocketAddress(Family.IPV4.loopback, 9));
        SockaddrInet.write(addr.memory(), SockaddrInet.SIZE, fx().sockets.localAddress(udp[0]));
        Registered data = fx().register(pattern(8, 1));
        assertWsa(WSAEINVAL, () -> fx().rio.sendEx(udp[1], fx().rioBuf(data), 1,
                fx().rioBuf(addr, SockaddrInet.SIZE, SockaddrInet.SIZE), fx().rioBuf(addr, 0, SockaddrInet.SIZE),
                NULL, NULL, 0, fx().context()));
    }
}
