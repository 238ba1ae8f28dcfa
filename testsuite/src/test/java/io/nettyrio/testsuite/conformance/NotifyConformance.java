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
import io.nettyrio.testsuite.conformance.RioFixture.PortEntry;
import io.nettyrio.testsuite.conformance.RioFixture.Registered;
import io.nettyrio.testsuite.conformance.RioFixture.Result;
import org.junit.jupiter.api.Test;

import static io.nettyrio.rio.RioConstants.RIO_MSG_DONT_NOTIFY;
import static io.nettyrio.rio.WsaError.WSAEALREADY;
import static io.nettyrio.testsuite.conformance.RioAssertions.assertStatus;
import static io.nettyrio.testsuite.conformance.RioFixture.KEY_CQ;
import static io.nettyrio.testsuite.conformance.RioFixture.QUIET_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.TIMEOUT_MILLIS;
import static io.nettyrio.testsuite.conformance.RioFixture.bytes;
import static io.nettyrio.testsuite.conformance.RioFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Conformance of the RIO model, one section of {@link RioConformanceSuite}:
 * RIONotify ("Once a completion queue notification is issued, the application must call the RIONotify function in
 * order to receive another"; WSAEALREADY "a previous RIONotify request has not yet completed")
 */
interface NotifyConformance extends ConformanceSection {
    /** One RIONotify, one notification, with the key and OVERLAPPED of the queue; none after it without a re-arm. */
    @Test
    default void notifyFiresOnce() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        assertEquals(0, fx().rio.notify(cq.handle()));
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, 0, 1);

        PortEntry e = fx().awaitPort(KEY_CQ);
        assertEquals(cq.overlapped(), e.context(), "the notification carries Iocp.Overlapped");

        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, 0, 2);
        fx().peerRead(j.peer(), 16);
        assertNull(fx().pollPort(KEY_CQ, QUIET_MILLIS), "a second notification without a second RIONotify");
        assertEquals(2, fx().await(cq.handle(), 2).size());
    }

    /** A second RIONotify before the first fired is WSAEALREADY; after it fired, RIONotify arms again. */
    @Test
    default void secondNotifyBeforeItFiresIsAlready() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        assertEquals(0, fx().rio.notify(cq.handle()));
        assertEquals(WSAEALREADY, fx().rio.notify(cq.handle()));
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, 0, 1);
        fx().awaitPort(KEY_CQ);
        assertEquals(1, fx().await(cq.handle(), 1).size());
        assertEquals(0, fx().rio.notify(cq.handle()), "re-armed after the notification fired");
        assertEquals(WSAEALREADY, fx().rio.notify(cq.handle()));
    }

    /** "If the CQ already holds a completion ... the notification fires right away." */
    @Test
    default void notifyFiresAtOnceWhenACompletionIsQueued() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, 0, 1);
        fx().peerRead(j.peer(), 8);
        assertEquals(0, fx().rio.notify(cq.handle()));
        assertNotNull(fx().pollPort(KEY_CQ, TIMEOUT_MILLIS), "RIONotify on a non-empty queue fires");
        assertEquals(1, fx().await(cq.handle(), 1).size());
    }

    /** RIO_MSG_DONT_NOTIFY completions do not trigger RIONotify, but are dequeued; a later one does trigger it. */
    @Test
    default void dontNotifyCompletionsDoNotTriggerNotify() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 2);
        assertEquals(0, fx().rio.notify(cq.handle()));
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, RIO_MSG_DONT_NOTIFY, 1);
        fx().peerRead(j.peer(), 8);
        assertNull(fx().pollPort(KEY_CQ, QUIET_MILLIS), "a DONT_NOTIFY completion triggered the notification");
        Result quiet = fx().await1(cq.handle());
        assertEquals(1, quiet.requestContext());
        assertStatus(0, quiet.status(), "DONT_NOTIFY send");

        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, 0, 2);
        assertNotNull(fx().pollPort(KEY_CQ, TIMEOUT_MILLIS), "the armed notification fires for a normal completion");
        assertEquals(2, fx().await1(cq.handle()).requestContext());
    }

    /** RIONotify on a queue that holds only DONT_NOTIFY completions does not fire: they "never trigger it". */
    @Test
    default void notifyIgnoresQueuedDontNotifyCompletions() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        fx().rio.send(j.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, RIO_MSG_DONT_NOTIFY, 1);
        fx().peerRead(j.peer(), 8);
        assertEquals(0, fx().rio.notify(cq.handle()));
        assertNull(fx().pollPort(KEY_CQ, QUIET_MILLIS), "RIONotify fired for a DONT_NOTIFY completion");
        assertEquals(1, fx().await1(cq.handle()).requestContext());
    }

    /** Two queues notifying one port: each notification carries its own queue's key and OVERLAPPED. */
    @Test
    default void notificationsOfTwoQueuesCarryTheirOwnKeys() throws Exception {
        Cq first = fx().cq(4, 0x101);
        Cq second = fx().cq(4, 0x102);
        JdkPeer j1 = fx().jdkPeer(Family.IPV4, first.handle(), 1, 1);
        JdkPeer j2 = fx().jdkPeer(Family.IPV4, second.handle(), 1, 1);
        assertEquals(0, fx().rio.notify(first.handle()));
        assertEquals(0, fx().rio.notify(second.handle()));
        fx().rio.send(j2.rq(), fx().rioBuf(fx().register(pattern(8, 2))), 1, 0, 2);
        PortEntry e2 = fx().awaitPort(0x102);
        assertEquals(second.overlapped(), e2.context());
        assertNull(fx().pollPort(0x101, QUIET_MILLIS), "the idle queue notified");
        fx().rio.send(j1.rq(), fx().rioBuf(fx().register(pattern(8, 1))), 1, 0, 1);
        PortEntry e1 = fx().awaitPort(0x101);
        assertEquals(first.overlapped(), e1.context());
        assertEquals(1, fx().await1(first.handle()).requestContext());
        assertEquals(2, fx().await1(second.handle()).requestContext());
        fx().peerRead(j1.peer(), 8);
        fx().peerRead(j2.peer(), 8);
    }

    /** A DONT_NOTIFY receive does not trigger RIONotify either. */
    @Test
    default void dontNotifyReceiveDoesNotTriggerNotify() throws Exception {
        Cq cq = fx().cq(8);
        JdkPeer j = fx().jdkPeer(Family.IPV4, cq.handle(), 1, 1);
        Registered in = fx().register(16);
        fx().rio.receive(j.rq(), fx().rioBuf(in), 1, RIO_MSG_DONT_NOTIFY, 5);
        assertEquals(0, fx().rio.notify(cq.handle()));
        j.peer().getOutputStream().write(pattern(16, 1));
        assertNull(fx().pollPort(KEY_CQ, QUIET_MILLIS));
        Result r = fx().await1(cq.handle());
        assertEquals(16, r.bytes());
    }
}
