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
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.SocketEchoTest;
import io.nettyrio.buffer.RioByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link RioByteBufAllocator} permutation of Netty's testsuite takes the zero-copy path and Netty's allocators
 * do not: Netty's {@link SocketEchoTest#testSimpleEcho} (RIO server, RIO client) is run with one allocator at a time
 * and the RIO worker loops' counters ({@code RioIoHandlerMetric}) are compared before and after.
 */
@Timeout(120)
class RioTestsuiteZeroCopyTest {

    /** Netty's echo test over the RIO pair only, with the one allocator given. */
    static final class EchoWith extends SocketEchoTest {
        private final ByteBufAllocator allocator;

        EchoWith(ByteBufAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
            return List.of(RioSocketTestPermutation.INSTANCE.socket().get(0));
        }

        @Override
        protected List<ByteBufAllocator> newAllocators() {
            return List.of(allocator);
        }
    }

    @Test
    void theRioAllocatorPermutationSendsWithoutACopy(TestInfo testInfo) throws Throwable {
        long[] before = RioSocketTestPermutation.sentBytes();
        new EchoWith(RioByteBufAllocator.defaultAllocator()).testSimpleEcho(testInfo);
        long[] after = RioSocketTestPermutation.sentBytes();
        System.out.printf("[zero-copy] SocketEchoTest.testSimpleEcho with RioByteBufAllocator: %d bytes sent without "
                + "a copy, %d copied%n", after[0] - before[0], after[1] - before[1]);
        assertTrue(after[0] - before[0] > 0, "bytes sent from registered buffers without a copy");
    }

    @Test
    void nettysPooledAllocatorPermutationCopies(TestInfo testInfo) throws Throwable {
        long[] before = RioSocketTestPermutation.sentBytes();
        new EchoWith(PooledByteBufAllocator.DEFAULT).testSimpleEcho(testInfo);
        long[] after = RioSocketTestPermutation.sentBytes();
        System.out.printf("[zero-copy] SocketEchoTest.testSimpleEcho with PooledByteBufAllocator: %d bytes sent "
                + "without a copy, %d copied%n", after[0] - before[0], after[1] - before[1]);
        assertEquals(0, after[0] - before[0], "bytes sent without a copy from Netty's (unregistered) buffers");
        assertTrue(after[1] - before[1] > 0, "bytes copied into staging slots");
    }
}
