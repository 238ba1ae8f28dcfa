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
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request path allocates nothing per request: send, receive, reap and dequeue, measured on this thread. */
class IoUringAllocationTest {

    @Test
    void requestsAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Loopback l = new Loopback(64)) {
            long polled = l.rio.createCompletionQueue(64, null);
            long[] pair = l.tcpPair(RioConstants.AF_INET);
            long server = l.rio.createRequestQueue(pair[0], 4, 1, 4, 1, polled, polled, 1);
            long client = l.rio.createRequestQueue(pair[1], 4, 1, 4, 1, polled, polled, 2);
            var sendBuf = l.buf(0, 0, 64);
            var receiveBuf = l.buf(1, 4096, 64);
            int rounds = 20_000;
            long allocated = 0;
            for (int pass = 0; pass < 8; pass++) { // the first passes warm the JIT up
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < rounds; i++) {
                    l.rio.receive(server, receiveBuf, 1, RioConstants.RIO_MSG_WAITALL, 1);
                    l.rio.send(client, sendBuf, 1, RioConstants.RIO_MSG_DEFER, 2);
                    l.rio.send(client, null, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
                    int got = 0;
                    long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
                    while (got < 2 && System.nanoTime() < deadline) {
                        got += l.rio.dequeueCompletion(polled, l.results, 2 - got);
                    }
                    assertEquals(2, got);
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                System.out.println("pass " + pass + ": " + allocated + " bytes");
            }
            // 3 calls, 2 reaped CQEs and their dequeues per round: a per-request allocation would show as
            // tens of bytes per round. The interpreter and C1 allocate in the downcall stubs; the last pass runs
            // C2 code, which allocates nothing.
            assertTrue(allocated < rounds, "allocated " + allocated + " bytes in " + rounds + " rounds");
            l.sockets.close(pair[0]);
            l.sockets.close(pair[1]);
            l.rio.closeCompletionQueue(polled);
        }
    }
}
