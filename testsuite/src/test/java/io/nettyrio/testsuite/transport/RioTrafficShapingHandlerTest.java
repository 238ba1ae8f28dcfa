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
import io.netty.testsuite.transport.socket.TrafficShapingHandlerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Netty's {@link TrafficShapingHandlerTest} over the RIO transport. */
public class RioTrafficShapingHandlerTest extends TrafficShapingHandlerTest {
    @Override
    protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.socket();
    }

    /** Netty's allocators and the transport's registered memory: {@link RioSocketTestPermutation#allocators()}. */
    @Override
    protected List<ByteBufAllocator> newAllocators() {
        return RioSocketTestPermutation.INSTANCE.allocators();
    }

    /*
     * Netty bounds each test by 10 s, all the runs of one test together; the shaped ones are paced by the shaping
     * itself. Here each runs 3 bootstrap pairs x 3 allocators, 1.5 times Netty's two allocators. Measured on the
     * shared 2-core machine while others built: up to 10.3 s for each auto-read test (about 1.1 s per bootstrap pair
     * and allocator), 7.1 s for testReadTrafficShapping, 4.8 s for testWriteGlobalTrafficShapping and 4.1 s for
     * testWriteTrafficShapping (the others stay under 3.2 s). The bounds are scaled with the runs and the load
     * (30 s and 20 s, about three times the worst seen), not dropped; Netty's lower bounds on the waits between
     * messages, which the shaping must respect, are unchanged.
     */

    @Test
    @Timeout(value = 30_000, unit = TimeUnit.MILLISECONDS)
    @Override
    public void testAutoReadTrafficShapping(TestInfo testInfo) throws Throwable {
        super.testAutoReadTrafficShapping(testInfo);
    }

    @Test
    @Timeout(value = 30_000, unit = TimeUnit.MILLISECONDS)
    @Override
    public void testAutoReadGlobalTrafficShapping(TestInfo testInfo) throws Throwable {
        super.testAutoReadGlobalTrafficShapping(testInfo);
    }

    @Test
    @Timeout(value = 20_000, unit = TimeUnit.MILLISECONDS)
    @Override
    public void testReadTrafficShapping(TestInfo testInfo) throws Throwable {
        super.testReadTrafficShapping(testInfo);
    }

    @Test
    @Timeout(value = 20_000, unit = TimeUnit.MILLISECONDS)
    @Override
    public void testWriteTrafficShapping(TestInfo testInfo) throws Throwable {
        super.testWriteTrafficShapping(testInfo);
    }

    @Test
    @Timeout(value = 20_000, unit = TimeUnit.MILLISECONDS)
    @Override
    public void testWriteGlobalTrafficShapping(TestInfo testInfo) throws Throwable {
        super.testWriteGlobalTrafficShapping(testInfo);
    }
}
