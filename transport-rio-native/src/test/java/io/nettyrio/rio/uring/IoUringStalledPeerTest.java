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
package io.nettyrio.rio.uring;

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioSocketOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stalled peer cannot pin a kernel thread: {@value #CONNECTIONS} connections whose peer half-closes and then
 * does not read, each with a send far larger than its socket buffers, leave the sends waiting without an io-wq
 * worker each, and without a request failing; once the peers read, every byte arrives.
 */
class IoUringStalledPeerTest {
    private static final int CONNECTIONS = 200;
    private static final int BYTES = 256 * 1024;
    private static final long STALL_NANOS = 1_000_000_000L;
    private static final long DRAIN_NANOS = 30_000_000_000L;

    @Test
    @Timeout(120)
    void halfClosedPeersThatDoNotReadHoldNoWorkerAndGetEveryByte() throws Exception {
        try (Loopback l = new Loopback(2 * CONNECTIONS + 8);
             ServerSocketChannel server = ServerSocketChannel.open()) {
            for (int k = 0; k < BYTES; k++) {
                l.memory.set(ValueLayout.JAVA_BYTE, k, pattern(k));
            }
            // Small buffers (set before bind, so accepted sockets inherit them) so that a send cannot fit.
            server.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            server.bind(new InetSocketAddress("127.0.0.1", 0), CONNECTIONS);
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            SocketChannel[] peers = new SocketChannel[CONNECTIONS];
            long[] requestQueues = new long[CONNECTIONS];
            long[] rioSockets = new long[CONNECTIONS];
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    long s = l.track(l.sockets.socket(RioConstants.AF_INET, RioConstants.SOCK_STREAM));
                    l.sockets.setOption(s, RioSocketOption.SO_SNDBUF, 4096);
                    l.sockets.connect(s, address, l.port, Loopback.KEY_CONNECT, i);
                    peers[i] = server.accept();
                    rioSockets[i] = s;
                }
                int connected = 0;
                long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
                while (connected < CONNECTIONS && System.nanoTime() < deadline) {
                    int n = l.port.getQueuedCompletionStatus(l.entries, 100_000_000L);
                    for (int e = 0; e < n; e++) {
                        assertEquals(Loopback.KEY_CONNECT, l.entries.completionKey(e));
                        assertEquals(0, l.entries.status(e), "connect status");
                        connected++;
                    }
                }
                assertEquals(CONNECTIONS, connected);
                for (int i = 0; i < CONNECTIONS; i++) {
                    peers[i].shutdownOutput(); // the peer half-closes, and does not read
                    requestQueues[i] = l.rio.createRequestQueue(rioSockets[i], 1, 1, 1, 1, l.cq, l.cq, i);
                    l.rio.send(requestQueues[i], l.buf(0, 0, BYTES), 1, 0, i);
                }
                IoUringStatistics stats = l.provider.statistics();
                // The sends stall: the loop keeps waiting on the port (as an event loop does) meanwhile.
                String owner = workerName();
                int maxWorkers = 0;
                long stallEnd = System.nanoTime() + STALL_NANOS;
                long entersBefore = stats.enterCalls();
                while (System.nanoTime() < stallEnd) {
                    l.port.getQueuedCompletionStatus(l.entries, 20_000_000L);
                    maxWorkers = Math.max(maxWorkers, countWorkers(owner));
                }
                long stalledEnters = stats.enterCalls() - entersBefore;
                assertEquals(0, l.rio.dequeueCompletion(l.cq, l.results, 256),
                        "no send completes (nor fails) while its peer does not read");
                assertTrue(maxWorkers <= Ring.IOWQ_MAX_BOUNDED + Ring.IOWQ_MAX_UNBOUNDED,
                        "io-wq workers of the ring's thread: " + maxWorkers);
                // Each stalled send waits in the provider's epoll set, not in the kernel: with a send blocked in
                // an io-wq worker instead, the pool's bound would be all that kept a thread per connection away.
                assertTrue(stats.sendWaits() >= CONNECTIONS, "every stalled send waited for room: " + stats);
                // Nothing spins while the peers are stalled: the waits above are the loop's only enters.
                assertTrue(stalledEnters < 1000, "io_uring_enter calls while stalled: " + stalledEnters);

                // The peers read now; every byte arrives, in order, and every send completes whole.
                AtomicReference<Throwable> readFailure = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        readAll(peers);
                    } catch (Throwable t) {
                        readFailure.set(t);
                    }
                }, "stalled-peer-reader");
                reader.start();
                int completed = 0;
                long drainEnd = System.nanoTime() + DRAIN_NANOS;
                while (completed < CONNECTIONS && System.nanoTime() < drainEnd) {
                    int n = l.rio.dequeueCompletion(l.cq, l.results, 256);
                    for (int r = 0; r < n; r++) {
                        assertEquals(0, l.status(r), "send status of connection " + l.requestContext(r));
                        assertEquals(BYTES, l.bytes(r));
                    }
                    completed += n;
                    if (n == 0) {
                        l.port.getQueuedCompletionStatus(l.entries, 10_000_000L);
                    }
                }
                reader.join(DRAIN_NANOS / 1_000_000);
                assertNull(readFailure.get());
                assertEquals(CONNECTIONS, completed, "every send completed");
            } finally {
                for (SocketChannel peer : peers) {
                    if (peer != null) {
                        peer.close();
                    }
                }
            }
        }
    }

    private static byte pattern(int k) {
        return (byte) (k * 31 + (k >>> 11));
    }

    /** Reads {@link #BYTES} from every peer, checking each byte. */
    private static void readAll(SocketChannel[] peers) throws IOException {
        int[] got = new int[peers.length];
        int done = 0;
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        long deadline = System.nanoTime() + DRAIN_NANOS;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < peers.length; i++) {
                peers[i].configureBlocking(false);
                peers[i].register(selector, SelectionKey.OP_READ, i);
            }
            while (done < peers.length && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    buffer.clear();
                    int n = ((SocketChannel) key.channel()).read(buffer);
                    if (n < 0) {
                        throw new IOException("EOF on peer " + i + " after " + got[i] + " bytes");
                    }
                    for (int k = 0; k < n; k++) {
                        if (buffer.get(k) != pattern(got[i] + k)) {
                            throw new IOException("peer " + i + ": wrong byte at " + (got[i] + k));
                        }
                    }
                    got[i] += n;
                    if (got[i] == BYTES) {
                        key.cancel();
                        done++;
                    } else if (got[i] > BYTES) {
                        throw new IOException("peer " + i + " got " + got[i] + " bytes");
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        if (done < peers.length) {
            throw new IOException(done + " of " + peers.length + " peers got every byte in time");
        }
    }

    /** The name io-wq gives the workers of the calling thread: {@code iou-wrk-<tid>}. */
    private static String workerName() throws IOException {
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
        return "iou-wrk-" + self.getFileName();
    }

    /** Counts this process's threads named {@code name} (proc(5), /proc/[pid]/task/[tid]/comm). */
    private static int countWorkers(String name) throws IOException {
        String comm = name.substring(0, Math.min(name.length(), 15)); // TASK_COMM_LEN 16, with its NUL
        int count = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        count++;
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return count;
    }
}
