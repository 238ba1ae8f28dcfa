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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.SocketBufReleaseTest;

import java.util.List;

/**
 * Netty's {@link SocketBufReleaseTest} over the RIO transport, with every allocator of the permutations
 * ({@code RioByteBufAllocator} included, whose buffers are sent without a copy: the close that the test makes while
 * such a send is in flight fails the write only once the send is back and the buffer released).
 */
public class RioSocketBufReleaseTest extends SocketBufReleaseTest {
    @Override
    protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.socket();
    }

    /** Netty's allocators and the transport's registered memory: {@link RioSocketTestPermutation#allocators()}. */
    @Override
    protected List<ByteBufAllocator> newAllocators() {
        return RioSocketTestPermutation.INSTANCE.allocators();
    }
}
