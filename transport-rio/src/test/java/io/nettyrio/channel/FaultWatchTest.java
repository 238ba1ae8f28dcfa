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
package io.nettyrio.channel;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FaultWatch} fails on what it must catch: the channel fault tests rely on it. */
@Timeout(30)
class FaultWatchTest {
    @Test
    void aLeakedBufferFailsTheCheck() {
        try (FaultWatch watch = new FaultWatch()) {
            leak();
            AssertionError e = assertThrows(AssertionError.class, () -> {
                // The detector reports a leak once the GC has collected the buffer: try a few times.
                for (int i = 0; i < 20; i++) {
                    watch.check();
                }
            });
            assertTrue(e.getMessage().contains("LEAK"), e.getMessage());
        }
    }

    private static void leak() {
        UnpooledByteBufAllocator.DEFAULT.directBuffer(16).writeLong(1);
    }

    @Test
    void aLoggedWarningFailsTheCheck() {
        try (FaultWatch watch = new FaultWatch()) {
            InternalLoggerFactory.getInstance("io.nettyrio.channel.FaultWatchTest").warn("a warning");
            AssertionError e = assertThrows(AssertionError.class, watch::check);
            assertTrue(e.getMessage().contains("a warning"), e.getMessage());
        }
    }
}
