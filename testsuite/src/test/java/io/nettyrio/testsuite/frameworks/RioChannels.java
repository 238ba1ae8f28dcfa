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
package io.nettyrio.testsuite.frameworks;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.nettyrio.channel.RioIoHandle;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every framework test checks of the channels a framework opened: that they are RIO channels on RIO event
 * loops, so that a framework that silently fell back to NIO (or to its own native transport) fails the test.
 */
final class RioChannels {
    private RioChannels() {
    }

    /** Asserts that {@code channels} is not empty and that each is a {@link RioSocketChannel} on a RIO loop. */
    static void assertRioConnections(String what, Collection<? extends Channel> channels) {
        assertFalse(channels.isEmpty(), what + ": no connection was seen");
        for (Channel channel : channels) {
            assertInstanceOf(RioSocketChannel.class, channel, what);
            assertRioLoop(what, channel.eventLoop());
        }
    }

    /** Asserts that {@code channel} is a {@link RioServerSocketChannel} on a RIO loop. */
    static void assertRioServer(String what, Channel channel) {
        assertInstanceOf(RioServerSocketChannel.class, channel, what);
        assertRioLoop(what, channel.eventLoop());
    }

    /** Asserts that {@code loop} runs a RIO handler (it accepts RIO channels' handles). */
    static void assertRioLoop(String what, EventLoop loop) {
        assertTrue(loop instanceof IoEventLoop io && io.isCompatible(RioIoHandle.class),
                () -> what + ": not a RIO event loop: " + loop);
    }

    /** Returns the SHA-256 of {@code bytes} in hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
