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

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketConnectionAttemptTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Netty's {@link SocketConnectionAttemptTest} over the RIO transport. */
public class RioSocketConnectionAttemptTest extends SocketConnectionAttemptTest {
    @Override
    protected List<BootstrapFactory<Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.clientSocketRioOnly();
    }

    @Test
    @Override
    public void testConnectCancellation(TestInfo testInfo) throws Throwable {
        // The test needs 198.51.100.254 (TEST-NET-2, Netty's BAD_HOST) to be unreachable. Some sandboxes accept
        // every outgoing TCP connection (a plain java.net.Socket connects too): there no transport can pass it.
        assumeFalse(badHostAccepts(), "this network accepts connections to 198.51.100.254, so a connection "
                + "attempt to it cannot fail (plain java.net.Socket connects as well)");
        super.testConnectCancellation(testInfo);
    }

    private static boolean badHostAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("198.51.100.254", 65535), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
