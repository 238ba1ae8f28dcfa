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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.nettyrio.channel.Rio;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.integration.vertx.RioTransport;
import io.vertx.core.spi.transport.Transport;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RioTransport} on its own: what it reports and what it makes. */
class RioTransportTest {
    private final RioTransport transport = new RioTransport();

    @Test
    void reportsRio() {
        assertEquals(Rio.isAvailable(), transport.isAvailable());
        assertEquals(Rio.isAvailable(), transport.available());
        assertTrue(transport.available());
        assertNull(transport.unavailabilityCause());
        assertEquals("rio", transport.name());
        assertSame(transport, transport.implementation());
        assertFalse(transport.supportsDomainSockets());
    }

    @Test
    void makesRioChannelsAndGroups() throws Exception {
        Channel channel = transport.channelFactory(false).newChannel();
        ServerChannel server = transport.serverChannelFactory(false).newChannel();
        try {
            assertInstanceOf(RioSocketChannel.class, channel);
            assertInstanceOf(RioServerSocketChannel.class, server);
        } finally {
            channel.unsafe().closeForcibly();
            server.unsafe().closeForcibly();
        }
        EventLoopGroup group = transport.eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1,
                Executors.defaultThreadFactory(), 50);
        try {
            assertInstanceOf(RioEventLoopGroup.class, group);
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertThrows(IllegalArgumentException.class, () -> transport.channelFactory(true));
        assertThrows(IllegalArgumentException.class, () -> transport.serverChannelFactory(true));
    }
}
