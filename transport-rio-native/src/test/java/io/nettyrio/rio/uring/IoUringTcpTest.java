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
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** TCP over loopback through the provider: send, receive, EOF, IPv4 and IPv6. */
class IoUringTcpTest {

    @ParameterizedTest
    @ValueSource(shorts = {RioConstants.AF_INET, RioConstants.AF_INET6})
    void sendReceiveAndEof(short family) throws Exception {
        try (Loopback l = new Loopback(64)) {
            long[] pair = l.tcpPair(family);
            long serverRq = l.rio.createRequestQueue(pair[0], 4, 1, 4, 1, l.cq, l.cq, 100);
            long clientRq = l.rio.createRequestQueue(pair[1], 4, 1, 4, 1, l.cq, l.cq, 200);
            for (int i = 0; i < 1000; i++) {
                l.memory.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            l.rio.receive(serverRq, l.buf(0, 4096, 1000), 1, RioConstants.RIO_MSG_WAITALL, 7);
            l.rio.send(clientRq, l.buf(1, 0, 1000), 1, 0, 8);
            assertEquals(2, l.awaitResults(2));
            for (int i = 0; i < 2; i++) {
                assertEquals(0, l.status(i));
                assertEquals(1000, l.bytes(i));
                if (l.requestContext(i) == 7) {
                    assertEquals(100, l.socketContext(i));
                } else {
                    assertEquals(8, l.requestContext(i));
                    assertEquals(200, l.socketContext(i));
                }
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals((byte) i, l.memory.get(ValueLayout.JAVA_BYTE, 4096 + i));
            }
            l.rio.receive(serverRq, l.buf(0, 8192, 100), 1, 0, 9);
            l.sockets.shutdown(pair[1], RioConstants.SD_SEND);
            assertEquals(1, l.awaitResults(1));
            assertEquals(9, l.requestContext(0));
            assertEquals(WsaError.NO_ERROR, l.status(0));
            assertEquals(0, l.bytes(0), "EOF");
        }
    }
}
