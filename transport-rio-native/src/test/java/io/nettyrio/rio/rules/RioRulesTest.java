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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioLayouts;

import io.nettyrio.testing.ExpectedRuleViolations;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.RIO_MSG_COMMIT_ONLY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DEFER;
import static io.nettyrio.rio.RioConstants.RIO_MSG_DONT_NOTIFY;
import static io.nettyrio.rio.RioConstants.RIO_MSG_WAITALL;
import static io.nettyrio.rio.rules.RioRules.Rule.CLOSE_ORDER;
import static io.nettyrio.rio.rules.RioRules.Rule.COMMIT_ONLY_ARGUMENTS;
import static io.nettyrio.rio.rules.RioRules.Rule.DATA_BUFFER_COUNT;
import static io.nettyrio.rio.rules.RioRules.Rule.DEREGISTER_IN_FLIGHT;
import static io.nettyrio.rio.rules.RioRules.Rule.INVALID_FLAGS;
import static io.nettyrio.rio.rules.RioRules.Rule.NULL_DATA;
import static io.nettyrio.rio.rules.RioRules.Rule.POOL_REUSE_IN_FLIGHT;
import static io.nettyrio.rio.rules.RioRules.Rule.RECEIVE_SLICES_OVERLAP;
import static io.nettyrio.rio.rules.RioRules.Rule.RESERVED_ARGUMENT;
import static io.nettyrio.rio.rules.RioRules.Rule.RIO_BUF_REUSED;
import static io.nettyrio.rio.rules.RioRules.Rule.SEND_REGISTRATION_EXCLUSIVE;
import static io.nettyrio.rio.rules.RioRules.Rule.SLICE_OUTSIDE_REGISTRATION;
import static io.nettyrio.rio.rules.RioRules.Rule.UNKNOWN_BUFFER;
import static io.nettyrio.rio.rules.RioRules.Rule.UNSERIALIZED_COMPLETION_QUEUE;
import static io.nettyrio.rio.rules.RioRules.Rule.OWNED_PORT_OTHER_THREAD;
import static io.nettyrio.rio.rules.RioRules.Rule.UNSERIALIZED_PORT;
import static io.nettyrio.rio.rules.RioRules.Rule.UNSERIALIZED_REQUEST_QUEUE;
import static io.nettyrio.rio.rules.RioRules.Rule.USE_AFTER_CLOSE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One or more tests per rule of RioRules: each breach throws, naming the rule, and never reaches the provider; the
 * same call is accepted once the request that blocked it has been dequeued.
 */
@ExpectedRuleViolations("the rules checker's own tests: each breaks a rule and asserts the violation it raises")
class RioRulesTest extends RioRulesTestSupport {

    // ---- rule 1: the entire registered buffer of a pending send ------------------------------------------------

    @Test
    void sendFromRegistrationWithReceivePendingIsRefused() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 0, 100), 1, 0, 1);
        violates(SEND_REGISTRATION_EXCLUSIVE, () -> io.send(tcpRq, rioBuf(regA, 1000, 100), 1, 0, 2));
        assertEquals(List.of(1L), dequeueAll(cq));
        io.send(tcpRq, rioBuf(regA, 1000, 100), 1, 0, 2);
        assertEquals(List.of(2L), dequeueAll(cq));
    }

    @Test
    void receiveIntoRegistrationOfPendingSendIsRefused() throws Exception {
        io.send(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        // another socket, another part of the registration: still "the entire registered buffer".
        violates(SEND_REGISTRATION_EXCLUSIVE, () -> io.receive(udpRq, rioBuf(regA, 2048, 100), 1, 0, 2));
        dequeueAll(cq);
        io.receive(udpRq, rioBuf(regA, 2048, 100), 1, 0, 2);
    }

    @Test
    void secondSendFromSameRegistrationIsRefused() throws Exception {
        io.send(tcpRq, rioBuf(regA, 0, 10), 1, RIO_MSG_DEFER, 1);
        violates(SEND_REGISTRATION_EXCLUSIVE, () -> io.send(tcpRq, rioBuf(regA, 10, 10), 1, 0, 2));
        // a deferred send is in flight as much as a committed one; another registration is fine.
        io.send(tcpRq, rioBuf(regB, 0, 10), 1, 0, 3);
        assertEquals(List.of(1L, 3L), dequeueAll(cq));
    }

    @Test
    void sendExAddressSliceInRegistrationOfPendingSendIsRefused() throws Exception {
        io.send(udpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        violates(SEND_REGISTRATION_EXCLUSIVE, () -> io.sendEx(udpRq, rioBuf(regB, 0, 10), 1, null,
                rioBuf(regA, 100, 28), null, null, 0, 2));
    }

    // ---- rule 2: RIO_BUF reuse and overlapping receives ---------------------------------------------------------

    @Test
    void rioBufReusedWhilePendingIsRefused() throws Exception {
        MemorySegment buf = rioBuf(regA, 0, 100);
        io.receive(tcpRq, buf, 1, 0, 1);
        // The same RIO_BUF memory, rewritten to describe another registration: RIO may still read it.
        set(buf, regB, 0, 100);
        violates(RIO_BUF_REUSED, () -> io.receive(udpRq, buf, 1, 0, 2));
        dequeueAll(cq);
        io.receive(udpRq, buf, 1, 0, 2);
    }

    @Test
    void overlappingReceiveSlicesAreRefused() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 0, 100), 1, 0, 1);
        violates(RECEIVE_SLICES_OVERLAP, () -> io.receive(udpRq, rioBuf(regA, 99, 10), 1, 0, 2));
        // adjacent is not overlapping
        io.receive(udpRq, rioBuf(regA, 100, 10), 1, 0, 3);
        assertEquals(List.of(1L, 3L), dequeueAll(cq));
    }

    @Test
    void receiveExAddressOverlappingItsOwnDataIsRefused() {
        violates(RECEIVE_SLICES_OVERLAP, () -> io.receiveEx(udpRq, rioBuf(regA, 0, 100), 1, null,
                rioBuf(regA, 50, 28), null, null, 0, 1));
    }

    // ---- rule 3: slices and BufferIds ---------------------------------------------------------------------------

    @Test
    void sliceBeyondRegistrationIsRefused() {
        violates(SLICE_OUTSIDE_REGISTRATION, () -> io.send(tcpRq, rioBuf(regA, SIZE - 10, 11), 1, 0, 1));
        violates(SLICE_OUTSIDE_REGISTRATION, () -> io.receive(tcpRq, rioBuf(regA, SIZE + 1, 0), 1, 0, 1));
    }

    @Test
    void negativeOffsetOrLengthIsAHugeUnsignedOneAndRefused() {
        RioRuleViolation v = violates(SLICE_OUTSIDE_REGISTRATION,
                () -> io.receive(tcpRq, rioBuf(regA, 0, -1), 1, 0, 1));
        assertTrue(v.getMessage().contains("4294967295"), v::getMessage);
        violates(SLICE_OUTSIDE_REGISTRATION, () -> io.send(tcpRq, rioBuf(regA, -8, 4), 1, 0, 1));
    }

    @Test
    void unknownBufferIdIsRefused() {
        RioRuleViolation v = violates(UNKNOWN_BUFFER, () -> io.send(tcpRq, rioBuf(0xBADL, 0, 1), 1, 0, 1));
        assertTrue(v.getMessage().contains("never registered"), v::getMessage);
        violates(UNKNOWN_BUFFER, () -> io.receive(tcpRq, rioBuf(RioConstants.RIO_INVALID_BUFFERID, 0, 1), 1, 0, 1));
    }

    @Test
    void deregisteredBufferIdIsRefused() {
        io.deregisterBuffer(regB);
        RioRuleViolation v = violates(UNKNOWN_BUFFER, () -> io.receive(tcpRq, rioBuf(regB, 0, 1), 1, 0, 1));
        assertTrue(v.getMessage().contains("deregistered"), v::getMessage);
        violates(UNKNOWN_BUFFER, () -> io.sendEx(udpRq, rioBuf(regA, 0, 1), 1, null, rioBuf(regB, 0, 28), null,
                null, 0, 1));
    }

    // ---- rule 4: deregistering memory in flight -----------------------------------------------------------------

    @Test
    void deregisterWhileReferencedIsRefused() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 64, 64), 1, 0, 1);
        violates(DEREGISTER_IN_FLIGHT, () -> io.deregisterBuffer(regA));
        dequeueAll(cq);
        io.deregisterBuffer(regA);
        assertEquals(List.of("deregisterBuffer:" + regA), fake.calls("deregisterBuffer"));
    }

    // ---- rule 5: returning memory in flight to a pool -----------------------------------------------------------

    @Test
    void poolCheckThrowsWhileInFlightAndPassesAfter() throws Exception {
        RioRules.checkNotInFlight(io, regA);
        io.send(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        RioRuleViolation v = violates(POOL_REUSE_IN_FLIGHT, () -> RioRules.checkNotInFlight(io, regA));
        assertTrue(v.getMessage().contains(Long.toHexString(regA)), v::getMessage);
        dequeueAll(cq);
        RioRules.checkNotInFlight(io, regA);
    }

    @Test
    void poolCheckOfASliceLooksAtThatSliceOnlyForReceives() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 1024, 1024), 1, 0, 1);
        RioRules.checkNotInFlight(io, regA, 0, 1024);
        RioRules.checkNotInFlight(io, regA, 2048, 2048);
        violates(POOL_REUSE_IN_FLIGHT, () -> RioRules.checkNotInFlight(io, regA, 2000, 100));
        violates(POOL_REUSE_IN_FLIGHT, () -> RioRules.checkNotInFlight(io, regA));
        // a send holds the entire registration
        io.send(tcpRq, rioBuf(regB, 0, 1), 1, 0, 2);
        violates(POOL_REUSE_IN_FLIGHT, () -> RioRules.checkNotInFlight(io, regB, 100, 100));
    }

    @Test
    void poolCheckIsANoOpForAnUncheckedProvider() throws Exception {
        io.send(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        // the fake provider is not checked: nothing to look at, nothing thrown
        RioRules.checkNotInFlight(fake, regA);
        RioRules.checkNotInFlight(fake, 12345L, 0, 1);
        assertTrue(RioRules.isChecked(io));
        assertTrue(!RioRules.isChecked(fake));
    }

    // ---- rule 6: serialization ----------------------------------------------------------------------------------

    @Test
    void receiveWhileAnotherThreadSendsOnTheSameQueueIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> sender = holdInside("send", release, () -> io.send(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1));
        try {
            RioRuleViolation v = violates(UNSERIALIZED_REQUEST_QUEUE,
                    () -> io.receive(tcpRq, rioBuf(regB, 0, 10), 1, 0, 2));
            assertTrue(v.getMessage().contains("must be serialized"), v::getMessage);
            // another queue is another matter
            io.receive(udpRq, rioBuf(regB, 0, 10), 1, 0, 3);
        } finally {
            release.countDown();
        }
        sender.get(10, TimeUnit.SECONDS);
        io.receive(tcpRq, rioBuf(regB, 100, 10), 1, 0, 4);
    }

    @Test
    void closeSocketWhileAnotherThreadSendsIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> sender = holdInside("send", release, () -> io.send(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1));
        try {
            violates(UNSERIALIZED_REQUEST_QUEUE, () -> sockets.close(tcp));
        } finally {
            release.countDown();
        }
        sender.get(10, TimeUnit.SECONDS);
        sockets.close(tcp);
    }

    @Test
    void notifyWhileAnotherThreadDequeuesIsRefused() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        CountDownLatch release = new CountDownLatch(1);
        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 4);
        Future<?> dequeuer = holdInside("dequeueCompletion", release, () -> io.dequeueCompletion(cq, results, 4));
        try {
            violates(UNSERIALIZED_COMPLETION_QUEUE, () -> io.notify(cq));
            violates(UNSERIALIZED_COMPLETION_QUEUE, () -> io.dequeueCompletion(cq, arena.allocate(24), 1));
            violates(UNSERIALIZED_COMPLETION_QUEUE, () -> io.resizeCompletionQueue(cq, 128));
        } finally {
            release.countDown();
        }
        dequeuer.get(10, TimeUnit.SECONDS);
        assertEquals(1L, (long) RioLayouts.RIORESULT_RequestContext.get(results, 0L));
        assertEquals(0, io.notify(cq));
    }

    @Test
    void twoWaitsOnOnePortAreRefused() throws Exception {
        Port port = rules.openPort();
        CountDownLatch release = new CountDownLatch(1);
        Future<?> waiter = holdInside("getQueuedCompletionStatus", release,
                () -> port.getQueuedCompletionStatus(new PortCompletions(4), -1));
        try {
            violates(UNSERIALIZED_PORT, () -> port.getQueuedCompletionStatus(new PortCompletions(4), 0));
            port.post(1, 2); // post is free from any thread
        } finally {
            release.countDown();
        }
        waiter.get(10, TimeUnit.SECONDS);
        port.close();
    }

    @Test
    void anOwnedPortBelongsToTheFirstThreadThatWaitedOnIt() throws Exception {
        Port port = rules.openOwnedPort();
        port.getQueuedCompletionStatus(new PortCompletions(4), 0);
        CompletableFuture.runAsync(() -> {
            violates(OWNED_PORT_OTHER_THREAD, () -> port.getQueuedCompletionStatus(new PortCompletions(4), 0));
            violates(OWNED_PORT_OTHER_THREAD, port::close);
            assertDoesNotThrow(() -> port.post(1, 2)); // post is free from any thread
        }).get(10, TimeUnit.SECONDS);
        port.getQueuedCompletionStatus(new PortCompletions(4), 0); // the owner goes on waiting, and closes it
        port.close();
    }

    @Test
    void anOrdinaryPortMayChangeItsWaitingThread() throws Exception {
        Port port = rules.openPort();
        port.getQueuedCompletionStatus(new PortCompletions(4), 0);
        CompletableFuture.runAsync(() -> assertDoesNotThrow(
                () -> port.getQueuedCompletionStatus(new PortCompletions(4), 0))).get(10, TimeUnit.SECONDS);
        port.close();
    }

    // ---- rule 7: argument combinations (WSAEINVAL) --------------------------------------------------------------

    @Test
    void commitOnlyWithDataIsInvalid() {
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.send(tcpRq, rioBuf(regA, 0, 1), 1, RIO_MSG_COMMIT_ONLY, 0));
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.receive(tcpRq, null, 1, RIO_MSG_COMMIT_ONLY, 0));
    }

    @Test
    void commitOnlyWithAContextOrAnotherFlagIsInvalid() {
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.send(tcpRq, null, 0, RIO_MSG_COMMIT_ONLY, 42));
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.send(tcpRq, null, 0, RIO_MSG_COMMIT_ONLY | RIO_MSG_DEFER, 0));
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.send(tcpRq, null, 0,
                RIO_MSG_COMMIT_ONLY | RIO_MSG_DONT_NOTIFY, 0));
        invalid(COMMIT_ONLY_ARGUMENTS, () -> io.sendEx(udpRq, null, 0, null, rioBuf(regA, 0, 28), null, null,
                RIO_MSG_COMMIT_ONLY, 0));
    }

    @Test
    void dataBufferCountMustMatchPData() {
        invalid(DATA_BUFFER_COUNT, () -> io.send(udpRq, null, 1, 0, 1));
        invalid(DATA_BUFFER_COUNT, () -> io.send(tcpRq, rioBuf(regA, 0, 1), 0, 0, 1));
        invalid(DATA_BUFFER_COUNT, () -> io.receive(tcpRq, rioBuf(regA, 0, 1), 2, 0, 1));
        invalid(DATA_BUFFER_COUNT, () -> io.receive(tcpRq, rioBuf(regA, 0, 1), -1, 0, 1));
    }

    @Test
    void nullDataIsForABoundUdpSendOnly() throws Exception {
        invalid(NULL_DATA, () -> io.send(tcpRq, null, 0, 0, 1));
        invalid(NULL_DATA, () -> io.send(tcpRq, MemorySegment.NULL, 0, 0, 1));
        invalid(NULL_DATA, () -> io.receive(udpRq, null, 0, 0, 1));
        io.send(udpRq, null, 0, 0, 2);
        assertEquals(List.of(2L), dequeueAll(cq));
    }

    @Test
    void nullDataOnAnAcceptedTcpSocketIsInvalidToo() throws Exception {
        long accepted = fake.acceptedSocket(RioConstants.SOCK_STREAM);
        long rq = io.createRequestQueue(accepted, 4, 1, 4, 1, cq, cq, 5);
        assertEquals(List.of("getOption:SO_TYPE"), fake.calls("getOption"));
        invalid(NULL_DATA, () -> io.send(rq, null, 0, 0, 1));
    }

    @Test
    void invalidFlagsAreInvalid() {
        invalid(INVALID_FLAGS, () -> io.send(tcpRq, rioBuf(regA, 0, 1), 1, RIO_MSG_WAITALL, 1));
        invalid(INVALID_FLAGS, () -> io.receive(udpRq, rioBuf(regA, 0, 1), 1, RIO_MSG_WAITALL, 1));
        invalid(INVALID_FLAGS, () -> io.receive(tcpRq, rioBuf(regA, 0, 1), 1, 0x10, 1));
        invalid(INVALID_FLAGS, () -> io.sendEx(udpRq, rioBuf(regA, 0, 1), 1, null, null, null, null, 0x40, 1));
    }

    @Test
    void sendExLocalAddressIsReserved() {
        invalid(RESERVED_ARGUMENT, () -> io.sendEx(udpRq, rioBuf(regA, 0, 1), 1, rioBuf(regB, 0, 28),
                rioBuf(regB, 28, 28), null, null, 0, 1));
    }

    // ---- rule 8: use after close and close order ----------------------------------------------------------------

    @Test
    void requestQueueUsedAfterItsSocketClosedIsRefused() throws Exception {
        sockets.close(tcp);
        violates(USE_AFTER_CLOSE, () -> io.send(tcpRq, rioBuf(regA, 0, 1), 1, 0, 1));
        violates(USE_AFTER_CLOSE, () -> io.send(tcpRq, null, 0, RIO_MSG_COMMIT_ONLY, 0));
        violates(USE_AFTER_CLOSE, () -> io.resizeRequestQueue(tcpRq, 16, 16));
    }

    @Test
    void completionQueueUsedAfterCloseIsRefused() throws Exception {
        long other = io.createCompletionQueue(8, null);
        io.closeCompletionQueue(other);
        violates(USE_AFTER_CLOSE, () -> io.dequeueCompletion(other, arena.allocate(24), 1));
        violates(USE_AFTER_CLOSE, () -> io.notify(other));
        violates(USE_AFTER_CLOSE, () -> io.resizeCompletionQueue(other, 16));
        violates(USE_AFTER_CLOSE, () -> io.closeCompletionQueue(other));
        long s = sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM);
        violates(USE_AFTER_CLOSE, () -> io.createRequestQueue(s, 1, 1, 1, 1, other, other, 0));
    }

    @Test
    void completionQueueClosedBeforeItsSocketsIsRefused() throws Exception {
        violates(CLOSE_ORDER, () -> io.closeCompletionQueue(cq));
        sockets.close(tcp);
        sockets.abort(udp);
        io.closeCompletionQueue(cq);
        assertEquals(1, fake.calls("closeCompletionQueue").size());
    }

    @Test
    void completionQueueClosedWithRequestsNotDequeuedIsRefused() throws Exception {
        io.receive(tcpRq, rioBuf(regA, 0, 10), 1, 0, 1);
        sockets.close(tcp);
        sockets.close(udp);
        // closesocket aborts the receive, but its completion must still be dequeued before the queue goes
        RioRuleViolation v = violates(CLOSE_ORDER, () -> io.closeCompletionQueue(cq));
        assertTrue(v.getMessage().contains("not dequeued"), v::getMessage);
        assertEquals(List.of(1L), dequeueAll(cq));
        io.closeCompletionQueue(cq);
    }

    @Test
    void portClosedWhileACompletionQueueNotifiesItIsRefused() throws Exception {
        Port port = rules.openPort();
        MemorySegment notification = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(notification, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(notification, 0L,
                MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(notification, 0L, arena.allocate(32));
        long notifying = io.createCompletionQueue(8, notification);
        violates(CLOSE_ORDER, port::close);
        io.closeCompletionQueue(notifying);
        port.close();
        assertEquals(List.of("portClose"), fake.calls("portClose"));
    }
}
