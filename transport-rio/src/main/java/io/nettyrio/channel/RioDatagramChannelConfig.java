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
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannelConfig;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;

import static io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION;
import static io.netty.channel.ChannelOption.IP_MULTICAST_ADDR;
import static io.netty.channel.ChannelOption.IP_MULTICAST_IF;
import static io.netty.channel.ChannelOption.IP_MULTICAST_LOOP_DISABLED;
import static io.netty.channel.ChannelOption.IP_MULTICAST_TTL;
import static io.netty.channel.ChannelOption.SO_BROADCAST;
import static io.netty.util.internal.ObjectUtil.checkInRange;

/**
 * The {@link DatagramChannelConfig} of a {@link RioDatagramChannel}. Socket options go straight to the socket; on a
 * dual-stack socket the multicast options are set at both the IPv6 and the IPv4 level, so that they hold for IPv4
 * groups (as IPv4-mapped traffic) too. The {@link RioChannelOption}s are kept and used when the request queue is
 * created (when the channel becomes active).
 */
public final class RioDatagramChannelConfig extends AbstractRioDataChannelConfig<RioDatagramChannelConfig>
        implements DatagramChannelConfig {
    /** NIO's default for datagram channels: a receive of 2048 bytes. */
    private static final RecvByteBufAllocator DEFAULT_RCVBUF_ALLOCATOR = new FixedRecvByteBufAllocator(2048);

    @SuppressWarnings("deprecation") // IP_MULTICAST_ADDR: Netty deprecates it, NIO's config still answers it
    private static final RioConfigOptions<RioDatagramChannelConfig> OPTIONS = DATA_OPTIONS
            .<RioDatagramChannelConfig>extend()
            .with(SO_BROADCAST, RioDatagramChannelConfig::isBroadcast, RioDatagramChannelConfig::setBroadcast)
            .with(IP_MULTICAST_LOOP_DISABLED, RioDatagramChannelConfig::isLoopbackModeDisabled,
                    RioDatagramChannelConfig::setLoopbackModeDisabled)
            .with(IP_MULTICAST_ADDR, RioDatagramChannelConfig::getInterface, RioDatagramChannelConfig::setInterface)
            .with(IP_MULTICAST_IF, RioDatagramChannelConfig::getNetworkInterface,
                    RioDatagramChannelConfig::setNetworkInterface)
            .with(IP_MULTICAST_TTL, RioDatagramChannelConfig::getTimeToLive, RioDatagramChannelConfig::setTimeToLive)
            .with(DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, RioDatagramChannelConfig::activeOnRegistration,
                    RioDatagramChannelConfig::activeOnRegistration);

    private final RioDatagramChannel channel;
    private volatile boolean activeOnRegistration;
    private volatile NetworkInterface multicastInterface;
    private volatile InetAddress multicastAddress;

    RioDatagramChannelConfig(RioDatagramChannel channel) {
        super(channel, DEFAULT_RCVBUF_ALLOCATOR, new RioRequestQueueOptions(16, 16), OPTIONS);
        this.channel = channel;
    }

    boolean activeOnRegistration() {
        return activeOnRegistration;
    }

    private void activeOnRegistration(boolean activeOnRegistration) {
        if (channel.isRegistered()) {
            throw new IllegalStateException("DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION can only be set before "
                    + "the channel is registered");
        }
        this.activeOnRegistration = activeOnRegistration;
    }

    /** Reads an IP-level option: at the IPv6 level ({@code v6}) on a dual-stack socket, else at the IPv4 level. */
    private int getIpLevel(RioSocketOption v4, RioSocketOption v6) {
        return getSocketOption(channel.ipv6 ? v6 : v4);
    }

    /**
     * Sets an IPv4-level option, and on a dual-stack socket its IPv6-level twin too: IPv4 groups are IPv4-mapped
     * traffic there, which the IPv4-level option governs. Returns this config, for a typed setter to return.
     */
    private RioDatagramChannelConfig setIpLevel(RioSocketOption v4, RioSocketOption v6, int value) {
        if (channel.ipv6) {
            setSocketOption(v6, value);
            try {
                channel.sockets.setOption(channel.socket, v4, value);
            } catch (RioException e) {
                // A provider that refuses IPv4-level options on an IPv6 socket: IPv6 groups still work.
            }
        } else {
            setSocketOption(v4, value);
        }
        return this;
    }

    @Override
    public int getTrafficClass() {
        return getIpLevel(RioSocketOption.IP_TOS, RioSocketOption.IPV6_TCLASS);
    }

    @Override
    public RioDatagramChannelConfig setTrafficClass(int trafficClass) {
        return setIpLevel(RioSocketOption.IP_TOS, RioSocketOption.IPV6_TCLASS,
                checkInRange(trafficClass, 0, 255, "trafficClass"));
    }

    @Override
    public boolean isBroadcast() {
        return isSocketOptionOn(RioSocketOption.SO_BROADCAST);
    }

    @Override
    public RioDatagramChannelConfig setBroadcast(boolean broadcast) {
        return setSocketOption(RioSocketOption.SO_BROADCAST, broadcast);
    }

    @Override
    public boolean isLoopbackModeDisabled() {
        return getIpLevel(RioSocketOption.IP_MULTICAST_LOOP, RioSocketOption.IPV6_MULTICAST_LOOP) == 0;
    }

    @Override
    public RioDatagramChannelConfig setLoopbackModeDisabled(boolean loopbackModeDisabled) {
        return setIpLevel(RioSocketOption.IP_MULTICAST_LOOP, RioSocketOption.IPV6_MULTICAST_LOOP,
                loopbackModeDisabled ? 0 : 1);
    }

    @Override
    public int getTimeToLive() {
        return getIpLevel(RioSocketOption.IP_MULTICAST_TTL, RioSocketOption.IPV6_MULTICAST_HOPS);
    }

    @Override
    public RioDatagramChannelConfig setTimeToLive(int ttl) {
        return setIpLevel(RioSocketOption.IP_MULTICAST_TTL, RioSocketOption.IPV6_MULTICAST_HOPS,
                checkInRange(ttl, 0, 255, "ttl"));
    }

    @Override
    public InetAddress getInterface() {
        return multicastAddress;
    }

    @Override
    public RioDatagramChannelConfig setInterface(InetAddress interfaceAddress) {
        try {
            NetworkInterface iface = NetworkInterface.getByInetAddress(interfaceAddress);
            if (iface == null) {
                throw new ChannelException("no network interface has the address " + interfaceAddress);
            }
            setMulticastInterface(iface, interfaceAddress);
        } catch (SocketException e) {
            throw new ChannelException(e);
        }
        return this;
    }

    @Override
    public NetworkInterface getNetworkInterface() {
        return multicastInterface;
    }

    @Override
    public RioDatagramChannelConfig setNetworkInterface(NetworkInterface networkInterface) {
        InetAddress address = null;
        Enumeration<InetAddress> addresses = networkInterface.getInetAddresses();
        while (addresses.hasMoreElements()) {
            InetAddress a = addresses.nextElement();
            if (address == null || (!channel.ipv6 && a instanceof Inet4Address && !(address instanceof Inet4Address))) {
                address = a;
            }
        }
        setMulticastInterface(networkInterface, address);
        return this;
    }

    /**
     * {@code IP_MULTICAST_IF} (by the interface's IPv4 address) and, on a dual-stack socket,
     * {@code IPV6_MULTICAST_IF} (by its index). Remembered here, as NIO reports what was set.
     */
    private void setMulticastInterface(NetworkInterface iface, InetAddress address) {
        Inet4Address v4 = null;
        Enumeration<InetAddress> addresses = iface.getInetAddresses();
        while (addresses.hasMoreElements()) {
            if (addresses.nextElement() instanceof Inet4Address a) {
                v4 = a;
                break;
            }
        }
        try {
            if (channel.ipv6) {
                channel.sockets.setOption(channel.socket, RioSocketOption.IPV6_MULTICAST_IF, iface.getIndex());
                if (v4 != null) {
                    try {
                        channel.sockets.setMulticastInterface(channel.socket, v4);
                    } catch (RioException ignore) {
                        // IPv6 groups still use the interface.
                    }
                }
            } else {
                if (v4 == null) {
                    throw new ChannelException("interface " + iface.getName() + " has no IPv4 address");
                }
                channel.sockets.setMulticastInterface(channel.socket, v4);
            }
        } catch (RioException e) {
            throw new ChannelException(e);
        }
        multicastInterface = iface;
        multicastAddress = address;
    }
}
