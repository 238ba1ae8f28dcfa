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

import io.netty.testsuite.transport.socket.SocketSslLargeCertificateTest;
import org.junit.jupiter.api.Disabled;

/**
 * Netty's {@link SocketSslLargeCertificateTest}, which cannot be pointed at RIO. {@link RioSslLargeCertificateTest}
 * checks the same over RIO channels.
 */
@Disabled("SocketSslLargeCertificateTest creates its own private NIO MultiThreadIoEventLoopGroup in setUp() and takes "
        + "no bootstrap factories, so a subclass cannot run it over RIO: it would only run NIO again. "
        + "RioSslLargeCertificateTest checks the same over RIO.")
public class RioSocketSslLargeCertificateTest extends SocketSslLargeCertificateTest {
}
