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
package io.nettyrio.rio.windows;

import io.nettyrio.rio.RioSocketOption;

import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_IP;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_IPV6;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_TCP;
import static io.nettyrio.rio.windows.WindowsConstants.SOL_SOCKET;

/**
 * A {@link RioSocketOption} as Windows numbers it: level, option name, and whether its value is a
 * {@code struct linger} (two u16) rather than a 4-byte int / BOOL / DWORD ("linger structure (winsock.h)" on
 * Microsoft Learn, {@code ws2ipdef.h}).
 *
 * @param level    {@code SOL_SOCKET}, {@code IPPROTO_TCP}, {@code IPPROTO_IP} or {@code IPPROTO_IPV6}
 * @param name     the option's number at that level
 * @param linger   the value is a {@code struct linger}
 * @param readOnly the option can only be read
 */
record WindowsOption(int level, int name, boolean linger, boolean readOnly) {

    /** The Windows form of {@code option}. */
    static WindowsOption of(RioSocketOption option) {
        if (option == null) {
            throw new IllegalArgumentException("option is null");
        }
        return switch (option) {
            case SO_REUSEADDR -> socket(WindowsConstants.SO_REUSEADDR);
            case SO_KEEPALIVE -> socket(WindowsConstants.SO_KEEPALIVE);
            case SO_LINGER -> new WindowsOption(SOL_SOCKET, WindowsConstants.SO_LINGER, true, false);
            case SO_SNDBUF -> socket(WindowsConstants.SO_SNDBUF);
            case SO_RCVBUF -> socket(WindowsConstants.SO_RCVBUF);
            case SO_BROADCAST -> socket(WindowsConstants.SO_BROADCAST);
            case SO_ERROR -> new WindowsOption(SOL_SOCKET, WindowsConstants.SO_ERROR, false, true);
            case SO_TYPE -> new WindowsOption(SOL_SOCKET, WindowsConstants.SO_TYPE, false, true);
            case TCP_NODELAY -> tcp(WindowsConstants.TCP_NODELAY);
            case TCP_KEEPIDLE -> tcp(WindowsConstants.TCP_KEEPALIVE);
            case TCP_KEEPINTVL -> tcp(WindowsConstants.TCP_KEEPINTVL);
            case TCP_KEEPCNT -> tcp(WindowsConstants.TCP_KEEPCNT);
            case IP_TOS -> ip(WindowsConstants.IP_TOS);
            case IP_MULTICAST_TTL -> ip(WindowsConstants.IP_MULTICAST_TTL);
            case IP_MULTICAST_LOOP -> ip(WindowsConstants.IP_MULTICAST_LOOP);
            case IPV6_TCLASS -> ipv6(WindowsConstants.IPV6_TCLASS);
            case IPV6_V6ONLY -> ipv6(WindowsConstants.IPV6_V6ONLY);
            case IPV6_MULTICAST_HOPS -> ipv6(WindowsConstants.IPV6_MULTICAST_HOPS);
            case IPV6_MULTICAST_LOOP -> ipv6(WindowsConstants.IPV6_MULTICAST_LOOP);
            case IPV6_MULTICAST_IF -> ipv6(WindowsConstants.IPV6_MULTICAST_IF);
        };
    }

    private static WindowsOption socket(int name) {
        return new WindowsOption(SOL_SOCKET, name, false, false);
    }

    private static WindowsOption tcp(int name) {
        return new WindowsOption(IPPROTO_TCP, name, false, false);
    }

    private static WindowsOption ip(int name) {
        return new WindowsOption(IPPROTO_IP, name, false, false);
    }

    private static WindowsOption ipv6(int name) {
        return new WindowsOption(IPPROTO_IPV6, name, false, false);
    }
}
