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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The RIO table methods against the fake: arguments reach the downcall unchanged and in the header's order, and
 * FALSE / NULL / RIO_INVALID_* / RIO_CORRUPT_CQ become the errors the model promises.
 */
class WindowsRegisteredIoTest {
    private static final long RQ = 0x5151L;
    private static final long CQ = 0xC0C0L;

    private final Arena arena = Arena.ofConfined();
    private final FakeWindowsNative fake = new FakeWindowsNative();
    private final WindowsHandles handles = new WindowsHandles();
    private final WindowsRegisteredIo rio = new WindowsRegisteredIo(fake, handles);

    @BeforeEach
    void knownHandles() {
        // As if created through this provider: a request queue of socket 0x100, two completion queues, and
        // registrations 1 to 4 and 0xB0 of 4 KiB each.
        handles.requestQueueCreated(RQ, 0x100);
        handles.completionQueues.put(CQ, Boolean.TRUE);
        handles.completionQueues.put(CQ + 1, Boolean.TRUE);
        for (long id : new long[] {1, 2, 3, 4, 0xB0}) {
            handles.registrations.put(id, arena.allocate(4096));
        }
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private MemorySegment rioBuf(long bufferId, int offset, int length) {
        MemorySegment buf = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(buf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(buf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(buf, 0L, length);
        return buf;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void sendPassesEveryArgument() throws Exception {
        MemorySegment buf = rioBuf(0xB0, 12, 34);
        assertEquals(List.of(), fake.names());
        rio.send(RQ, buf, 1, RioConstants.RIO_MSG_DEFER, 77L);
        FakeWindowsNative.Call call = fake.last("RIOSend");
        assertEquals(RQ, call.longArg(0));
        assertEquals(buf.address(), call.seg(1).address());
        ByteBuffer b = le(call.seg(1).bytes());
        assertEquals(0xB0L, b.getLong(0));
        assertEquals(12, b.getInt(8));
        assertEquals(34, b.getInt(12));
        assertEquals(List.of(1, RioConstants.RIO_MSG_DEFER, 77L), call.args().subList(2, 5));
    }

    @Test
    void commitOnlyPassesNull() throws Exception {
        rio.send(RQ, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0L);
        rio.send(RQ, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0L);
        for (FakeWindowsNative.Call call : fake.calls("RIOSend")) {
            assertEquals(List.of(RQ, "NULL", 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0L), call.args());
        }
    }

    @Test
    void sendWithNoBuffersIsWsaenobufs() {
        fake.failNext("RIOSend", WsaError.WSAENOBUFS);
        RioException e = assertThrows(RioException.class, () -> rio.send(RQ, rioBuf(1, 0, 1), 1, 0, 1L));
        assertEquals(WsaError.WSAENOBUFS, e.wsaError());
        assertEquals("RIOSend", e.call());
    }

    @Test
    void sendFalseWithIoPendingIsStarted() {
        fake.failNext("RIOSend", WsaError.WSA_IO_PENDING);
        assertDoesNotThrow(() -> rio.send(RQ, rioBuf(1, 0, 1), 1, 0, 1L));
        fake.failNext("RIOSendEx", WsaError.WSA_IO_PENDING);
        assertDoesNotThrow(() -> rio.sendEx(RQ, rioBuf(1, 0, 1), 1, null, null, null, null, 0, 1L));
        fake.failNext("RIOReceive", WsaError.WSA_IO_PENDING);
        RioException e = assertThrows(RioException.class, () -> rio.receive(RQ, rioBuf(1, 0, 1), 1, 0, 1L));
        assertEquals(WsaError.WSA_IO_PENDING, e.wsaError(), "only the send pages document FALSE + 997");
    }

    @Test
    void receiveErrors() {
        fake.failNext("RIOReceive", WsaError.WSA_OPERATION_ABORTED);
        RioException e = assertThrows(RioException.class, () -> rio.receive(RQ, rioBuf(1, 0, 8), 1, 0, 5L));
        assertEquals(WsaError.WSA_OPERATION_ABORTED, e.wsaError());
        fake.failNext("RIOReceiveEx", WsaError.WSAEFAULT);
        e = assertThrows(RioException.class,
                () -> rio.receiveEx(RQ, rioBuf(1, 0, 8), 1, null, rioBuf(2, 0, 28), null, null, 0, 5L));
        assertEquals("RIOReceiveEx", e.call());
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        fake.failNext("RIOSendEx", WsaError.WSAEINVAL);
        e = assertThrows(RioException.class,
                () -> rio.sendEx(RQ, rioBuf(1, 0, 8), 1, null, rioBuf(2, 0, 28), null, null, 0, 5L));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
    }

    @Test
    void exVariantsPassAddressSlicesInOrder() throws Exception {
        MemorySegment data = rioBuf(1, 0, 100);
        MemorySegment remote = rioBuf(2, 28, 28);
        MemorySegment control = rioBuf(3, 0, 64);
        MemorySegment flags = rioBuf(4, 0, 4);
        rio.receiveEx(RQ, data, 1, null, remote, control, flags, RioConstants.RIO_MSG_DONT_NOTIFY, 9L);
        FakeWindowsNative.Call call = fake.last("RIOReceiveEx");
        assertEquals(data.address(), call.seg(1).address());
        assertEquals(1, call.intArg(2));
        assertEquals("NULL", call.arg(3));
        assertEquals(remote.address(), call.seg(4).address());
        assertEquals(control.address(), call.seg(5).address());
        assertEquals(flags.address(), call.seg(6).address());
        assertEquals(RioConstants.RIO_MSG_DONT_NOTIFY, call.intArg(7));
        assertEquals(9L, call.longArg(8));
        rio.sendEx(RQ, data, 1, null, remote, null, null, 0, 10L);
        call = fake.last("RIOSendEx");
        assertEquals(remote.address(), call.seg(4).address());
        assertEquals("NULL", call.arg(3), "pLocalAddress is reserved, NULL");
    }

    @Test
    void structArgumentsMustBeNativeAndLargeEnough() {
        MemorySegment heap = MemorySegment.ofArray(new byte[16]);
        RioException e = assertThrows(RioException.class, () -> rio.send(RQ, heap, 1, 0, 0L));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        MemorySegment short8 = arena.allocate(8);
        e = assertThrows(RioException.class, () -> rio.receive(RQ, short8, 1, 0, 0L));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        e = assertThrows(RioException.class, () -> rio.createCompletionQueue(8, arena.allocate(16)));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        assertEquals(0, fake.calls.size(), "nothing reached native code");
    }

    @Test
    void completionQueueWithIocpNotification() throws Exception {
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(nc, 0L, MemorySegment.ofAddress(0x4A0));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(nc, 0L, MemorySegment.ofAddress(0x11));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(nc, 0L, MemorySegment.ofAddress(0x2222));
        assertEquals(0xC0L, rio.createCompletionQueue(1024, nc));
        FakeWindowsNative.Call call = fake.last("RIOCreateCompletionQueue");
        assertEquals(1024, call.intArg(0));
        ByteBuffer b = le(call.seg(1).bytes());
        assertEquals(2, b.getInt(0));
        assertEquals(0x4A0L, b.getLong(8));
        assertEquals(0x11L, b.getLong(16));
        assertEquals(0x2222L, b.getLong(24));

        rio.createCompletionQueue(1, null);
        assertEquals("NULL", fake.last("RIOCreateCompletionQueue").arg(1), "a polled queue");

        fake.failNext("RIOCreateCompletionQueue", WsaError.WSAENOBUFS);
        RioException e = assertThrows(RioException.class, () -> rio.createCompletionQueue(8, null));
        assertEquals(WsaError.WSAENOBUFS, e.wsaError());
    }

    @Test
    void requestQueueArgumentsInHeaderOrder() throws Exception {
        assertEquals(0xA0L, rio.createRequestQueue(0x100, 8, 1, 16, 1, CQ, CQ + 1, 42L));
        assertEquals(List.of(0x100L, 8, 1, 16, 1, CQ, CQ + 1, 42L), fake.last("RIOCreateRequestQueue").args());
        fake.failNext("RIOCreateRequestQueue", WsaError.WSAENOBUFS);
        RioException e = assertThrows(RioException.class,
                () -> rio.createRequestQueue(0x100, 8, 1, 16, 1, CQ, CQ, 0));
        assertEquals(WsaError.WSAENOBUFS, e.wsaError());
        assertEquals("RIOCreateRequestQueue", e.call());
    }

    @Test
    void dequeue() throws Exception {
        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 4);
        fake.dequeueReturns.add(3);
        assertEquals(3, rio.dequeueCompletion(CQ, results, 4));
        assertEquals(List.of(CQ, results.address(), 4), fake.last("RIODequeueCompletion").args());
        fake.dequeueReturns.add(0);
        assertEquals(0, rio.dequeueCompletion(CQ, results, 4));
    }

    @Test
    void corruptQueueIsWsaeinval() {
        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 4);
        fake.dequeueReturns.add(RioConstants.RIO_CORRUPT_CQ);
        RioException e = assertThrows(RioException.class, () -> rio.dequeueCompletion(CQ, results, 4));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertEquals("RIODequeueCompletion", e.call());
    }

    @Test
    void dequeueRefusesAnArrayTooSmall() {
        MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 2);
        RioException e = assertThrows(RioException.class, () -> rio.dequeueCompletion(CQ, results, 3));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        assertEquals(0, fake.count("RIODequeueCompletion"), "Windows would have written past the array");
    }

    @Test
    void notifyReturnsItsCodeDirectly() {
        fake.notifyReturns.add(0);
        fake.notifyReturns.add(WsaError.WSAEALREADY);
        fake.notifyReturns.add(WsaError.WSAEINVAL);
        assertEquals(0, rio.notify(CQ));
        assertEquals(WsaError.WSAEALREADY, rio.notify(CQ));
        assertEquals(WsaError.WSAEINVAL, rio.notify(CQ));
        assertEquals(List.of(CQ), fake.last("RIONotify").args());
    }

    @Test
    void registerBuffer() throws Exception {
        MemorySegment memory = arena.allocate(4096);
        assertEquals(0xB0L, rio.registerBuffer(memory, 4096));
        assertEquals(List.of(memory.address(), 4096), fake.last("RIORegisterBuffer").args());
        fake.failNext("RIORegisterBuffer", WsaError.WSAEFAULT);
        RioException e = assertThrows(RioException.class, () -> rio.registerBuffer(memory, 16));
        assertEquals(WsaError.WSAEFAULT, e.wsaError(), "RIO_INVALID_BUFFERID (0xFFFFFFFF) is a failure");
    }

    @Test
    void registerBufferRefusesBadMemory() {
        MemorySegment memory = arena.allocate(64);
        assertEquals(WsaError.WSAEINVAL,
                assertThrows(RioException.class, () -> rio.registerBuffer(memory, 65)).wsaError());
        assertEquals(WsaError.WSAEINVAL,
                assertThrows(RioException.class, () -> rio.registerBuffer(memory, 0)).wsaError());
        assertEquals(WsaError.WSAEFAULT, assertThrows(RioException.class,
                () -> rio.registerBuffer(MemorySegment.ofArray(new byte[64]), 64)).wsaError());
        assertEquals(0, fake.count("RIORegisterBuffer"));
    }

    @Test
    void deregisterAndCloseAreForwarded() {
        rio.deregisterBuffer(0xB0L);
        rio.closeCompletionQueue(CQ);
        assertEquals(List.of("RIODeregisterBuffer", "RIOCloseCompletionQueue"), fake.names());
        assertEquals(List.of(0xB0L), fake.last("RIODeregisterBuffer").args());
        assertEquals(List.of(CQ), fake.last("RIOCloseCompletionQueue").args());
    }

    @Test
    void resizes() throws Exception {
        rio.resizeCompletionQueue(CQ, 2048);
        assertEquals(List.of(CQ, 2048), fake.last("RIOResizeCompletionQueue").args());
        rio.resizeRequestQueue(RQ, 3, 4);
        assertEquals(List.of(RQ, 3, 4), fake.last("RIOResizeRequestQueue").args(), "receive before send");
        fake.failNext("RIOResizeCompletionQueue", WsaError.WSAETOOMANYREFS);
        assertEquals(WsaError.WSAETOOMANYREFS,
                assertThrows(RioException.class, () -> rio.resizeCompletionQueue(CQ, 1)).wsaError());
        fake.failNext("RIOResizeRequestQueue", WsaError.WSAEINVAL);
        assertEquals(WsaError.WSAEINVAL,
                assertThrows(RioException.class, () -> rio.resizeRequestQueue(RQ, 0, 0)).wsaError());
    }

    // ---- handles this process does not know, or no longer knows

    @Test
    void unknownQueuesNeverReachWindows() {
        long bogus = 0x12345678L;
        MemorySegment buf = rioBuf(1, 0, 8);
        for (RioException e : List.of(
                assertThrows(RioException.class, () -> rio.send(bogus, buf, 1, 0, 0)),
                assertThrows(RioException.class, () -> rio.receive(bogus, buf, 1, 0, 0)),
                assertThrows(RioException.class, () -> rio.sendEx(bogus, buf, 1, null, null, null, null, 0, 0)),
                assertThrows(RioException.class, () -> rio.receiveEx(bogus, buf, 1, null, null, null, null, 0, 0)),
                assertThrows(RioException.class, () -> rio.resizeRequestQueue(bogus, 1, 1)),
                assertThrows(RioException.class, () -> rio.dequeueCompletion(bogus, arena.allocate(24), 1)),
                assertThrows(RioException.class, () -> rio.resizeCompletionQueue(bogus, 8)),
                assertThrows(RioException.class,
                        () -> rio.createRequestQueue(0x100, 1, 1, 1, 1, RioConstants.RIO_INVALID_CQ, CQ, 0)),
                assertThrows(RioException.class, () -> rio.createRequestQueue(0x100, 1, 1, 1, 1, CQ, bogus, 0)))) {
            assertEquals(WsaError.WSAEINVAL, e.wsaError(), e.getMessage());
        }
        assertEquals(WsaError.WSAEINVAL, rio.notify(bogus));
        rio.closeCompletionQueue(bogus);
        rio.deregisterBuffer(bogus);
        assertEquals(List.of(), fake.names(), "a bogus pointer handed to RIO could crash the process");
    }

    @Test
    void aClosedCompletionQueueIsUnknown() {
        rio.closeCompletionQueue(CQ);
        rio.closeCompletionQueue(CQ);
        assertEquals(1, fake.count("RIOCloseCompletionQueue"), "closed once, then ignored");
        assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                () -> rio.dequeueCompletion(CQ, arena.allocate(24), 1)).wsaError());
        assertEquals(WsaError.WSAEINVAL, rio.notify(CQ));
    }

    @Test
    void theRequestQueueOfAClosedSocketIsUnknown() throws Exception {
        long rq = rio.createRequestQueue(0x200, 4, 1, 4, 1, CQ, CQ, 0);
        rio.send(rq, rioBuf(1, 0, 8), 1, 0, 1);
        WindowsSockets sockets = new WindowsSockets(fake, handles);
        sockets.close(0x200);
        RioException e = assertThrows(RioException.class, () -> rio.send(rq, rioBuf(1, 0, 8), 1, 0, 2));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertEquals(1, fake.count("RIOSend"), "closesocket freed the queue: it is not passed on");
    }

    @Test
    void requestsOnFreedRegisteredMemoryAreFault() throws Exception {
        MemorySegment memory;
        long id;
        try (Arena shortLived = Arena.ofConfined()) {
            memory = shortLived.allocate(256);
            handles.registrations.remove(0xB0);
            id = rio.registerBuffer(memory, 256);
            assertEquals(256, handles.registrations.get(id).byteSize(), "the registered length is kept");
            rio.send(RQ, rioBuf(id, 0, 16), 1, 0, 1);
        }
        RioException e = assertThrows(RioException.class, () -> rio.send(RQ, rioBuf(id, 0, 16), 1, 0, 2));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        e = assertThrows(RioException.class, () -> rio.receive(RQ, rioBuf(id, 0, 16), 1, 0, 3));
        assertEquals(WsaError.WSAEFAULT, e.wsaError());
        assertEquals(1, fake.count("RIOSend"));
        assertEquals(0, fake.count("RIOReceive"));
    }

    @Test
    void deregisteredAndUnknownBuffersAreFault() throws Exception {
        rio.deregisterBuffer(2);
        assertEquals(List.of(2L), fake.last("RIODeregisterBuffer").args());
        for (long id : new long[] {2, 0x777, RioConstants.RIO_INVALID_BUFFERID, 0}) {
            RioException e = assertThrows(RioException.class, () -> rio.send(RQ, rioBuf(id, 0, 8), 1, 0, 0));
            assertEquals(WsaError.WSAEFAULT, e.wsaError(), "BufferId " + id);
        }
        RioException e = assertThrows(RioException.class,
                () -> rio.sendEx(RQ, rioBuf(1, 0, 8), 1, null, rioBuf(0x777, 0, 28), null, null, 0, 0));
        assertEquals(WsaError.WSAEFAULT, e.wsaError(), "address slices are checked too");
        assertEquals(0, fake.count("RIOSend") + fake.count("RIOSendEx"));
    }

    @Test
    void slicesOutsideTheirRegistrationAreInvalid() {
        int[][] slices = {{4000, 200}, {4096, 1}, {0, 4097}, {-1, 1}, {1, -1}};
        for (int[] slice : slices) {
            RioException e = assertThrows(RioException.class,
                    () -> rio.receive(RQ, rioBuf(1, slice[0], slice[1]), 1, 0, 0));
            assertEquals(WsaError.WSAEINVAL, e.wsaError(), slice[0] + "+" + slice[1]);
        }
        assertDoesNotThrow(() -> rio.receive(RQ, rioBuf(1, 4000, 96), 1, 0, 0), "the last bytes");
        assertEquals(1, fake.count("RIOReceive"));
    }

    @Test
    void freedStructsAreFault() throws Exception {
        MemorySegment buf;
        MemorySegment results;
        MemorySegment memory;
        try (Arena shortLived = Arena.ofConfined()) {
            buf = shortLived.allocate(RioLayouts.RIO_BUF);
            results = shortLived.allocate(RioLayouts.RIORESULT, 2);
            memory = shortLived.allocate(64);
        }
        assertEquals(WsaError.WSAEFAULT,
                assertThrows(RioException.class, () -> rio.send(RQ, buf, 1, 0, 0)).wsaError());
        assertEquals(WsaError.WSAEFAULT,
                assertThrows(RioException.class, () -> rio.dequeueCompletion(CQ, results, 2)).wsaError());
        assertEquals(WsaError.WSAEFAULT,
                assertThrows(RioException.class, () -> rio.registerBuffer(memory, 64)).wsaError());
        assertEquals(WsaError.WSAEFAULT,
                assertThrows(RioException.class, () -> rio.dequeueCompletion(CQ, null, 1)).wsaError());
        assertEquals(List.of(), fake.names());
    }

    @Test
    void completionQueueSizesAndNotificationsAreChecked() throws Exception {
        for (int size : new int[] {0, -1, RioConstants.RIO_MAX_CQ_SIZE + 1}) {
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> rio.createCompletionQueue(size, null)).wsaError(), "size " + size);
            assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                    () -> rio.resizeCompletionQueue(CQ, size)).wsaError(), "resize " + size);
        }
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                () -> rio.createCompletionQueue(8, nc)).wsaError(), "IOCP without an Overlapped");
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, 7);
        assertEquals(WsaError.WSAEINVAL, assertThrows(RioException.class,
                () -> rio.createCompletionQueue(8, nc)).wsaError(), "unknown type");
        assertEquals(List.of(), fake.names());
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_EVENT_COMPLETION);
        rio.createCompletionQueue(RioConstants.RIO_MAX_CQ_SIZE, nc);
        assertEquals(RioConstants.RIO_MAX_CQ_SIZE, fake.last("RIOCreateCompletionQueue").intArg(0));
    }

    @Test
    void addressSlicesMustHoldAnAddress() throws Exception {
        MemorySegment data = rioBuf(1, 0, 100);
        RioException e = assertThrows(RioException.class,
                () -> rio.receiveEx(RQ, data, 1, null, rioBuf(2, 0, 16), null, null, 0, 1));
        assertEquals(WsaError.WSAEINVAL, e.wsaError(), "RIOReceiveEx writes a 28-byte SOCKADDR_INET");
        e = assertThrows(RioException.class,
                () -> rio.receiveEx(RQ, data, 1, rioBuf(2, 0, 27), null, null, null, 0, 1));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        e = assertThrows(RioException.class,
                () -> rio.sendEx(RQ, data, 1, null, rioBuf(2, 0, 4), null, null, 0, 1));
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertEquals(List.of(), fake.names());
        rio.receiveEx(RQ, data, 1, rioBuf(2, 0, 28), rioBuf(3, 0, 28), null, null, 0, 1);
        rio.sendEx(RQ, data, 1, null, rioBuf(2, 0, 16), null, null, 0, 1);
        assertEquals(List.of("RIOReceiveEx", "RIOSendEx"), fake.names());
    }
}
