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

import io.netty.channel.ChannelException;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;

/**
 * Socket option calls shared by the channel configs: {@link RioException}s become {@link ChannelException}s, as
 * Netty's configs report option failures.
 */
final class RioSocketOptions {
    private RioSocketOptions() {
    }

    static int get(RioSockets sockets, long socket, RioSocketOption option) {
        try {
            return sockets.getOption(socket, option);
        } catch (RioException e) {
            throw new ChannelException(e);
        }
    }

    static void set(RioSockets sockets, long socket, RioSocketOption option, int value) {
        try {
            sockets.setOption(socket, option, value);
        } catch (RioException e) {
            throw new ChannelException(e);
        }
    }

    static boolean getBoolean(RioSockets sockets, long socket, RioSocketOption option) {
        return get(sockets, socket, option) != 0;
    }

    static void setBoolean(RioSockets sockets, long socket, RioSocketOption option, boolean value) {
        set(sockets, socket, option, value ? 1 : 0);
    }

    static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + '-' + max + ')');
        }
        return value;
    }
}
