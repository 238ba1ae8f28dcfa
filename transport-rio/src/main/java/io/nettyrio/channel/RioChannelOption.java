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

import io.netty.channel.ChannelOption;

/**
 * The options of the RIO transport beyond Netty's standard ones. They size a socket's request queue and its
 * receives, so they take effect when the request queue is created (at connect or accept); set them on the
 * bootstrap. A {@link RioDatagramChannel} creates its request queue when it is bound or connected, and keeps 16
 * receives posted by default.
 *
 * @param <T> the option's value type
 */
public final class RioChannelOption<T> extends ChannelOption<T> {
    /**
     * How many receives a socket keeps posted ({@code MaxOutstandingReceive}), 1 to 1024. Default 4: the receives
     * that complete in one batch of completions form one read loop (one {@code channelReadComplete}).
     */
    public static final ChannelOption<Integer> RIO_OUTSTANDING_RECEIVES =
            valueOf(RioChannelOption.class, "RIO_OUTSTANDING_RECEIVES");
    /**
     * How many sends a socket may have in flight ({@code MaxOutstandingSend}), 1 to 1024. Default 16. More data
     * waits in the {@link io.netty.channel.ChannelOutboundBuffer} until sends complete.
     */
    public static final ChannelOption<Integer> RIO_OUTSTANDING_SENDS =
            valueOf(RioChannelOption.class, "RIO_OUTSTANDING_SENDS");
    /**
     * The largest receive, in bytes (4096 to 1 MiB): the ceiling of what the {@link io.netty.channel.RecvByteBufAllocator}
     * may ask for, and of the registered slot each receive fills. Default 65536.
     */
    public static final ChannelOption<Integer> RIO_RECEIVE_SLOT_SIZE =
            valueOf(RioChannelOption.class, "RIO_RECEIVE_SLOT_SIZE");

    @SuppressWarnings({"unused", "deprecation"})
    private RioChannelOption() {
        super(null);
    }
}
