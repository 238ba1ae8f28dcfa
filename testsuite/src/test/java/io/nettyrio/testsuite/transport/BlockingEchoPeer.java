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
package io.nettyrio.testsuite.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The peer of the tests that count what an echo server's event loop does per exchange: a blocking JDK socket, which
 * makes no {@code io_uring_enter} calls of its own and has one message in flight at a time.
 */
final class BlockingEchoPeer {
    private BlockingEchoPeer() {
    }

    /** Sends {@code exchanges} messages of {@code size} bytes to {@code server} one by one, each checked as echoed. */
    static void exchange(SocketAddress server, int exchanges, int size) throws IOException {
        try (Socket peer = new Socket()) {
            peer.setTcpNoDelay(true);
            peer.setSoTimeout(10_000);
            peer.connect(server);
            OutputStream out = peer.getOutputStream();
            DataInputStream in = new DataInputStream(peer.getInputStream());
            byte[] message = new byte[size];
            byte[] echo = new byte[size];
            for (int i = 0; i < exchanges; i++) {
                Arrays.fill(message, (byte) i);
                out.write(message);
                in.readFully(echo);
                assertArrayEquals(message, echo, "reply " + i);
            }
        }
    }
}
