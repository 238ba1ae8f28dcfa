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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.rio.RioConstants.AF_INET;
import static io.nettyrio.rio.RioConstants.AF_INET6;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider on real Windows: WSAStartup, the RIO table, AcceptEx and ConnectEx over loopback, an IOCP-notified
 * completion queue, one RIOSend and one RIOReceive. It needs ws2_32, mswsock and kernel32, so it runs only on
 * Windows: the {@code windows-latest} job of {@code .github/workflows/windows.yml}. Everything it does is also
 * checked on every OS against {@link FakeWindowsNative}; this test is what checks the FFM bindings themselves.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "calls the real ws2_32, mswsock and kernel32; Windows CI runs it")
class WindowsRioLoopbackTest {
    private static final long KEY_RIO = 1;
    private static final long KEY_ACCEPT = 2;
    private static final long KEY_CONNECT = 3;
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @Test
    void rioSelectsThisProvider() {
        assertTrue(Rio.isAvailable(), () -> "unavailable: " + Rio.unavailabilityCause());
        assertEquals("windows", Rio.provider().name());
        assertTrue(RioRules.unwrap(Rio.provider()) instanceof WindowsProvider);
    }

    @Test
    void acceptConnectSendReceiveOverLoopback() throws Exception {
        echo(AF_INET, InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void dualStackListenerAcceptsIpv4() throws Exception {
        echo(AF_INET6, InetAddress.getByName("127.0.0.1"));
    }

    private static void echo(int listenFamily, InetAddress loopback) throws Exception {
        WindowsProvider provider = new WindowsProvider();
        RegisteredIo rio = provider.registeredIo();
        RioSockets sockets = provider.sockets();
        try (Arena arena = Arena.ofShared(); Port port = provider.openPort()) {
            MemorySegment cqOverlapped = arena.allocate(Overlapped.OVERLAPPED);
            MemorySegment notification = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
            RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(notification, 0L, RioConstants.RIO_IOCP_COMPLETION);
            RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(notification, 0L,
                    MemorySegment.ofAddress(port.handle()));
            RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(notification, 0L,
                    MemorySegment.ofAddress(KEY_RIO));
            RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(notification, 0L, cqOverlapped);
            long cq = rio.createCompletionQueue(16, notification);

            long listener = sockets.socket(listenFamily, SOCK_STREAM);
            sockets.bind(listener, new InetSocketAddress(listenFamily == AF_INET ? loopback
                    : InetAddress.getByName("::"), 0));
            sockets.listen(listener, 16);
            int listenPort = sockets.localAddress(listener).getPort();
            sockets.accept(listener, port, KEY_ACCEPT, 10);
            long client = sockets.socket(AF_INET, SOCK_STREAM);
            sockets.connect(client, new InetSocketAddress(loopback, listenPort), port, KEY_CONNECT, 20);

            PortCompletions out = new PortCompletions(8);
            long accepted = 0;
            boolean connected = false;
            long deadline = System.nanoTime() + TIMEOUT;
            while ((accepted == 0 || !connected) && System.nanoTime() < deadline) {
                port.getQueuedCompletionStatus(out, TimeUnit.SECONDS.toNanos(1));
                for (int i = 0; i < out.size(); i++) {
                    int status = out.status(i);
                    assertEquals(0, status, () -> "accept/connect: " + WsaError.name(status));
                    if (out.completionKey(i) == KEY_ACCEPT) {
                        assertEquals(10, out.context(i));
                        accepted = out.result(i);
                    } else if (out.completionKey(i) == KEY_CONNECT) {
                        assertEquals(20, out.context(i));
                        connected = true;
                    }
                }
            }
            assertNotEquals(0, accepted, "accepted");
            assertTrue(connected, "connected");
            assertEquals(sockets.localAddress(client), sockets.remoteAddress(accepted));
            assertEquals(listenPort, sockets.localAddress(accepted).getPort());

            long serverRq = rio.createRequestQueue(accepted, 2, 1, 2, 1, cq, cq, 100);
            long clientRq = rio.createRequestQueue(client, 2, 1, 2, 1, cq, cq, 200);
            MemorySegment sendMemory = arena.allocate(4096, 4096);
            MemorySegment receiveMemory = arena.allocate(4096, 4096);
            long sendId = rio.registerBuffer(sendMemory, 4096);
            long receiveId = rio.registerBuffer(receiveMemory, 4096);
            byte[] message = "registered I/O over FFM".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(message, 0, sendMemory, ValueLayout.JAVA_BYTE, 0, message.length);

            rio.receive(serverRq, rioBuf(arena, receiveId, 0, 4096), 1, 0, 11);
            rio.send(clientRq, rioBuf(arena, sendId, 0, message.length), 1, 0, 22);
            assertEquals(0, rio.notify(cq));

            MemorySegment results = arena.allocate(RioLayouts.RIORESULT, 8);
            Map<Long, long[]> done = new HashMap<>();
            deadline = System.nanoTime() + TIMEOUT;
            while (done.size() < 2 && System.nanoTime() < deadline) {
                port.getQueuedCompletionStatus(out, TimeUnit.SECONDS.toNanos(1));
                for (int i = 0; i < out.size(); i++) {
                    assertEquals(KEY_RIO, out.completionKey(i));
                    assertEquals(cqOverlapped.address(), out.context(i), "the CQ's Overlapped pointer");
                    int n = rio.dequeueCompletion(cq, results, 8);
                    for (int r = 0; r < n; r++) {
                        long base = r * RioLayouts.RIORESULT.byteSize();
                        done.put((long) RioLayouts.RIORESULT_RequestContext.get(results, base), new long[] {
                            (int) RioLayouts.RIORESULT_Status.get(results, base),
                            (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base),
                            (long) RioLayouts.RIORESULT_SocketContext.get(results, base)});
                    }
                    rio.notify(cq);
                }
            }
            assertArrayEquals(new long[] {0, message.length, 200}, done.get(22L), "the send");
            assertArrayEquals(new long[] {0, message.length, 100}, done.get(11L), "the receive");
            assertArrayEquals(message, receiveMemory.asSlice(0, message.length).toArray(ValueLayout.JAVA_BYTE));

            sockets.close(client);
            sockets.close(accepted);
            sockets.close(listener);
            rio.closeCompletionQueue(cq);
            rio.deregisterBuffer(sendId);
            rio.deregisterBuffer(receiveId);
        }
    }

    @Test
    void refusedConnectCompletesWithWsaeconnrefused() throws Exception {
        WindowsProvider provider = new WindowsProvider();
        RioSockets sockets = provider.sockets();
        try (Port port = provider.openPort()) {
            // A bound socket that does not listen: connecting to its port is refused.
            long closed = sockets.socket(AF_INET, SOCK_STREAM);
            sockets.bind(closed, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            InetSocketAddress target = sockets.localAddress(closed);
            long client = sockets.socket(AF_INET, SOCK_STREAM);
            sockets.connect(client, target, port, KEY_CONNECT, 5);
            PortCompletions out = new PortCompletions(1);
            long deadline = System.nanoTime() + TIMEOUT;
            while (out.size() == 0 && System.nanoTime() < deadline) {
                port.getQueuedCompletionStatus(out, TimeUnit.SECONDS.toNanos(1));
            }
            assertEquals(1, out.size());
            assertEquals(WsaError.WSAECONNREFUSED, out.status(0), WsaError.name(out.status(0)));
            sockets.close(client);
            sockets.close(closed);
        }
    }

    private static MemorySegment rioBuf(Arena arena, long bufferId, int offset, int length) {
        MemorySegment buf = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(buf, 0L, bufferId);
        RioLayouts.RIO_BUF_Offset.set(buf, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(buf, 0L, length);
        return buf;
    }
}
