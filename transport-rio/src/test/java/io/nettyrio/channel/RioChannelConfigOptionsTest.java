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

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The option plumbing of the three channel configs ({@link RioConfigOptions} tables layered over
 * {@link AbstractRioChannelConfig}): each config answers exactly its options in {@code getOptions()}, every one of
 * them round-trips through {@code setOption}/{@code getOption}, out-of-range values are refused, and options of
 * another config are not answered.
 */
class RioChannelConfigOptionsTest {
    private static RioEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new RioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** The options Netty's {@link DefaultChannelConfig} answers by itself. */
    private static Set<ChannelOption<?>> defaults() {
        return new HashSet<>(new DefaultChannelConfig(new EmbeddedChannel()).getOptions().keySet());
    }

    private static Set<ChannelOption<?>> with(ChannelOption<?>... own) {
        Set<ChannelOption<?>> all = defaults();
        all.addAll(List.of(own));
        return all;
    }

    private static <T> void roundTrip(ChannelConfig config, ChannelOption<T> option, T value) {
        assertTrue(config.setOption(option, value), option.name());
        assertEquals(value, config.getOption(option), option.name());
    }

    @Test
    void socketConfig() throws Exception {
        RioSocketChannel ch = new RioSocketChannel();
        group.register(ch).sync();
        try {
            RioSocketChannelConfig config = ch.config();
            assertEquals(with(ChannelOption.SO_RCVBUF, ChannelOption.SO_REUSEADDR, ChannelOption.SO_SNDBUF,
                    ChannelOption.IP_TOS, RioChannelOption.RIO_OUTSTANDING_RECEIVES,
                    RioChannelOption.RIO_OUTSTANDING_SENDS, RioChannelOption.RIO_RECEIVE_SLOT_SIZE,
                    ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE, ChannelOption.SO_LINGER,
                    ChannelOption.ALLOW_HALF_CLOSURE), config.getOptions().keySet());
            roundTrip(config, ChannelOption.SO_REUSEADDR, true);
            roundTrip(config, ChannelOption.SO_REUSEADDR, false);
            roundTrip(config, ChannelOption.TCP_NODELAY, false);
            roundTrip(config, ChannelOption.SO_KEEPALIVE, true);
            roundTrip(config, ChannelOption.SO_LINGER, 3);
            roundTrip(config, ChannelOption.IP_TOS, 0);
            roundTrip(config, ChannelOption.ALLOW_HALF_CLOSURE, true);
            roundTrip(config, RioChannelOption.RIO_OUTSTANDING_RECEIVES, 7);
            roundTrip(config, RioChannelOption.RIO_OUTSTANDING_SENDS, 9);
            roundTrip(config, RioChannelOption.RIO_RECEIVE_SLOT_SIZE, 8192);
            assertTrue(config.setOption(ChannelOption.SO_SNDBUF, 64 * 1024));
            assertTrue(config.getOption(ChannelOption.SO_SNDBUF) > 0);
            assertTrue(config.setOption(ChannelOption.SO_RCVBUF, 64 * 1024));
            assertTrue(config.getOption(ChannelOption.SO_RCVBUF) > 0);
            roundTrip(config, ChannelOption.AUTO_READ, false); // DefaultChannelConfig's, through the table's miss
            assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.SO_RCVBUF, -1));
            assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.IP_TOS, 256));
            assertThrows(IllegalArgumentException.class,
                    () -> config.setOption(RioChannelOption.RIO_OUTSTANDING_SENDS, 0));
            assertFalse(config.setOption(ChannelOption.SO_BACKLOG, 5));
            assertNull(config.getOption(ChannelOption.SO_BROADCAST));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void serverSocketConfig() throws Exception {
        RioServerSocketChannel ch = new RioServerSocketChannel();
        group.register(ch).sync();
        try {
            RioServerSocketChannelConfig config = ch.config();
            assertEquals(with(ChannelOption.SO_RCVBUF, ChannelOption.SO_REUSEADDR, ChannelOption.SO_BACKLOG),
                    config.getOptions().keySet());
            roundTrip(config, ChannelOption.SO_BACKLOG, 17);
            roundTrip(config, ChannelOption.SO_REUSEADDR, true);
            assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.SO_BACKLOG, -1));
            assertFalse(config.setOption(ChannelOption.TCP_NODELAY, true));
            assertFalse(config.setOption(RioChannelOption.RIO_OUTSTANDING_SENDS, 4));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // IP_MULTICAST_ADDR, which the datagram config still answers
    void datagramConfig() throws Exception {
        RioDatagramChannel ch = new RioDatagramChannel();
        assertTrue(ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, false));
        group.register(ch).sync();
        try {
            RioDatagramChannelConfig config = ch.config();
            assertEquals(with(ChannelOption.SO_RCVBUF, ChannelOption.SO_REUSEADDR, ChannelOption.SO_SNDBUF,
                    ChannelOption.IP_TOS, RioChannelOption.RIO_OUTSTANDING_RECEIVES,
                    RioChannelOption.RIO_OUTSTANDING_SENDS, RioChannelOption.RIO_RECEIVE_SLOT_SIZE,
                    ChannelOption.SO_BROADCAST, ChannelOption.IP_MULTICAST_LOOP_DISABLED,
                    ChannelOption.IP_MULTICAST_ADDR, ChannelOption.IP_MULTICAST_IF, ChannelOption.IP_MULTICAST_TTL,
                    ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION), config.getOptions().keySet());
            roundTrip(config, ChannelOption.SO_BROADCAST, true);
            roundTrip(config, ChannelOption.IP_MULTICAST_LOOP_DISABLED, true);
            roundTrip(config, ChannelOption.IP_MULTICAST_TTL, 5);
            roundTrip(config, ChannelOption.IP_TOS, 0);
            roundTrip(config, RioChannelOption.RIO_OUTSTANDING_RECEIVES, 3);
            assertEquals(false, config.getOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION));
            assertThrows(IllegalStateException.class,
                    () -> config.setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true));
            assertThrows(IllegalArgumentException.class,
                    () -> config.setOption(ChannelOption.IP_MULTICAST_TTL, 256));
            assertFalse(config.setOption(ChannelOption.TCP_NODELAY, true));
            assertNull(config.getOption(ChannelOption.SO_BACKLOG));
        } finally {
            ch.close().sync();
        }
    }
}
