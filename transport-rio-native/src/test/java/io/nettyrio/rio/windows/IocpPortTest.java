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
package io.nettyrio.rio.windows;

import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The completion-port wait loop against the fake: timeouts, posts, RIO notifications, batching, closing. */
class IocpPortTest {
    private final FakeWindowsNative fake = new FakeWindowsNative();
    private final WindowsSockets sockets = new WindowsSockets(fake, new WindowsHandles());

    private IocpPort open() throws RioException {
        return IocpPort.open(fake, sockets);
    }

    @Test
    void opensAPortForOneThread() throws Exception {
        try (IocpPort port = open()) {
            assertEquals(FakeWindowsNative.PORT_HANDLE, port.handle());
            assertEquals(List.of(-1L, 0L, 0L, 1), fake.last("CreateIoCompletionPort").args());
        }
        assertEquals(List.of(FakeWindowsNative.PORT_HANDLE), fake.last("CloseHandle").args());
    }

    @Test
    void openFailureCarriesGetLastError() {
        fake.failNext("CreateIoCompletionPort", 1450);
        RioException e = assertThrows(RioException.class, this::open);
        assertEquals(1450, e.wsaError());
        assertEquals("CreateIoCompletionPort", e.call());
    }

    @Test
    void timeoutReturnsZero() throws Exception {
        try (IocpPort port = open()) {
            PortCompletions out = new PortCompletions(8);
            out.add(1, 2, 3, 4);
            assertEquals(0, port.getQueuedCompletionStatus(out, TimeUnit.MILLISECONDS.toNanos(5)));
            assertEquals(0, out.size(), "cleared first");
            FakeWindowsNative.Call call = fake.last("GetQueuedCompletionStatusEx");
            assertEquals(FakeWindowsNative.PORT_HANDLE, call.longArg(0));
            assertEquals(8 * 32, call.seg(1).bytes().length, "room for 8 OVERLAPPED_ENTRYs");
            assertEquals(8, call.intArg(2));
            assertEquals(5, call.intArg(4));
            assertEquals(0, call.intArg(5), "not alertable");
        }
    }

    @Test
    void timeoutsInMilliseconds() {
        assertEquals(0xFFFFFFFF, IocpPort.milliseconds(-1), "INFINITE");
        assertEquals(0, IocpPort.milliseconds(0), "poll");
        assertEquals(1, IocpPort.milliseconds(1), "rounded up, never a poll by accident");
        assertEquals(2, IocpPort.milliseconds(1_500_000));
        assertEquals(3, IocpPort.milliseconds(3_000_000));
        assertEquals(Integer.MAX_VALUE, IocpPort.milliseconds(Long.MAX_VALUE));
    }

    @Test
    void postedEntriesComeBackWithKeyAndContext() throws Exception {
        try (IocpPort port = open()) {
            port.post(7, 0x1234);
            assertEquals(List.of(FakeWindowsNative.PORT_HANDLE, 0, 7L, 0x1234L),
                    fake.last("PostQueuedCompletionStatus").args());
            PortCompletions out = new PortCompletions(4);
            assertEquals(1, port.getQueuedCompletionStatus(out, -1));
            assertEquals(0xFFFFFFFF, fake.last("GetQueuedCompletionStatusEx").intArg(4));
            assertEquals(7, out.completionKey(0));
            assertEquals(0x1234, out.context(0));
            assertEquals(0, out.status(0));
            assertEquals(0, out.result(0));
        }
    }

    @Test
    void rioNotificationIsReportedAsIs() throws Exception {
        try (IocpPort port = open()) {
            // What RIONotify posts: the CQ's CompletionKey and Overlapped pointer.
            fake.packets.add(new FakeWindowsNative.Packet(0x11, 0x2222, 5));
            PortCompletions out = new PortCompletions(4);
            assertEquals(1, port.getQueuedCompletionStatus(out, 0));
            assertEquals(0x11, out.completionKey(0));
            assertEquals(0x2222, out.context(0));
            assertEquals(0, out.status(0));
            assertEquals(5, out.result(0));
            assertEquals(0, fake.count("WSAGetOverlappedResult"), "not an operation of the provider");
        }
    }

    @Test
    void batchesUpToTheCapacity() throws Exception {
        try (IocpPort port = open()) {
            for (int i = 0; i < 5; i++) {
                port.post(1, i);
            }
            PortCompletions out = new PortCompletions(3);
            assertEquals(3, port.getQueuedCompletionStatus(out, 0));
            assertEquals(3, fake.last("GetQueuedCompletionStatusEx").intArg(2));
            assertEquals(List.of(0L, 1L, 2L), List.of(out.context(0), out.context(1), out.context(2)));
            PortCompletions bigger = new PortCompletions(16);
            assertEquals(2, port.getQueuedCompletionStatus(bigger, 0));
            assertEquals(16 * 32, fake.last("GetQueuedCompletionStatusEx").seg(1).bytes().length);
            assertEquals(4, bigger.context(1));
        }
    }

    @Test
    void unsignedByteCounts() throws Exception {
        try (IocpPort port = open()) {
            fake.packets.add(new FakeWindowsNative.Packet(3, 0, 0xFFFFFFF0));
            PortCompletions out = new PortCompletions(1);
            port.getQueuedCompletionStatus(out, 0);
            assertEquals(0xFFFFFFF0L, out.result(0), "a DWORD");
        }
    }

    @Test
    void waitFailureOtherThanTimeoutThrows() throws Exception {
        try (IocpPort port = open()) {
            fake.failNext("GetQueuedCompletionStatusEx", WsaError.ERROR_ABANDONED_WAIT_0);
            RioException e = assertThrows(RioException.class,
                    () -> port.getQueuedCompletionStatus(new PortCompletions(1), 0));
            assertEquals(WsaError.ERROR_ABANDONED_WAIT_0, e.wsaError());
        }
    }

    @Test
    void postFailureThrows() throws Exception {
        try (IocpPort port = open()) {
            fake.failNext("PostQueuedCompletionStatus", WindowsConstants.ERROR_INVALID_HANDLE);
            RioException e = assertThrows(RioException.class, () -> port.post(1, 1));
            assertEquals(WindowsConstants.ERROR_INVALID_HANDLE, e.wsaError());
        }
    }

    @Test
    void nullBatchIsIllegal() throws Exception {
        try (IocpPort port = open()) {
            assertThrows(IllegalArgumentException.class, () -> port.getQueuedCompletionStatus(null, 0));
            assertEquals(0, fake.count("GetQueuedCompletionStatusEx"));
        }
    }

    @Test
    void theOperationKeyIsReserved() throws Exception {
        try (IocpPort port = open()) {
            assertThrows(IllegalArgumentException.class, () -> port.post(IocpPort.OPERATION_KEY, 0));
        }
    }

    @Test
    void closedPortRefusesWaitsAndPosts() throws Exception {
        IocpPort port = open();
        port.close();
        port.close();
        assertEquals(1, fake.count("CloseHandle"), "closed once");
        RioException e = assertThrows(RioException.class,
                () -> port.getQueuedCompletionStatus(new PortCompletions(1), 0));
        assertEquals(WsaError.ERROR_ABANDONED_WAIT_0, e.wsaError());
        e = assertThrows(RioException.class, () -> port.post(1, 1));
        assertEquals(WsaError.ERROR_ABANDONED_WAIT_0, e.wsaError());
    }
}
