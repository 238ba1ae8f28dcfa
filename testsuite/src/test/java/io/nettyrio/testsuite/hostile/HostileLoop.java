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
package io.nettyrio.testsuite.hostile;

import io.netty.channel.EventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.TimeUnit;

/**
 * A hostile test's own RIO event loop and allocator of registered memory, made before each test and shut down after
 * it ({@link Hostile#newAllocator()}, {@link Hostile#newGroup}): what the test's channels hold is all that the
 * allocator's metric counts. After the loop has ended it runs {@link HostileChecks}, so that the checks read what the
 * loop logged while it shut down too: a test that has a loop registers only this.
 */
final class HostileLoop implements BeforeEachCallback, AfterEachCallback {
    private final HostileChecks checks = new HostileChecks();
    private RioByteBufAllocator allocator;
    private EventLoopGroup group;

    @Override
    public void beforeEach(ExtensionContext context) {
        allocator = Hostile.newAllocator();
        group = Hostile.newGroup(1, allocator);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        checks.afterEach(context);
    }

    /** The test's allocator of registered memory. */
    RioByteBufAllocator allocator() {
        return allocator;
    }

    /** The test's group: one RIO event loop that receives and stages sends in {@link #allocator()}. */
    EventLoopGroup group() {
        return group;
    }
}
