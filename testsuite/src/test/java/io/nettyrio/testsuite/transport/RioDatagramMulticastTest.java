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
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.DatagramMulticastTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Netty's {@link DatagramMulticastTest} (IPv4) over the RIO transport.
 *
 * <p>Netty's case picks the first multicast-capable interface that is up, which on a machine with a network card is
 * that card, and sends to 230.0.0.1 through it (its interface probe sends one datagram too): traffic that leaves the
 * machine (TTL 1, plus IGMP membership reports). This project's machines may only send to loopback, so that case is
 * disabled and replaced by the same checks on the loopback interface, where Linux delivers IPv4 multicast although
 * {@code lo} does not carry the MULTICAST flag.
 */
public class RioDatagramMulticastTest extends DatagramMulticastTest {
    private static final String GROUP = "230.0.0.1";

    @Override
    protected List<BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }

    @Override
    @Test
    @Disabled("multicasts to 230.0.0.1 through the first multicast-capable interface (eth0 here), off this machine; "
            + "see testMulticastOnLoopback")
    public void testMulticast(TestInfo testInfo) {
    }

    @Test
    public void testMulticastOnLoopback(TestInfo testInfo) throws Throwable {
        run(testInfo, this::multicastOnLoopback);
    }

    private void multicastOnLoopback(Bootstrap sb, Bootstrap cb) throws Throwable {
        NetworkInterface lo = loopbackInterface();
        assumeTrue(lo != null && loopbackMulticastWorks(lo), "IPv4 multicast on the loopback interface does not "
                + "work on this machine");
        BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        sb.handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                // The sender receives nothing.
            }
        });
        cb.handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                received.add(msg.content().readInt());
            }
        });
        sb.option(ChannelOption.IP_MULTICAST_IF, lo).option(ChannelOption.SO_REUSEADDR, true);
        cb.option(ChannelOption.IP_MULTICAST_IF, lo).option(ChannelOption.SO_REUSEADDR, true);

        DatagramChannel sc = (DatagramChannel) sb.bind(new InetSocketAddress(loopback4(lo), 0)).sync().channel();
        DatagramChannel cc = null;
        try {
            assertEquals(lo, sc.config().getNetworkInterface());
            assertTrue(Collections.list(lo.getInetAddresses()).contains(sc.config().getInterface()));
            int port = sc.localAddress().getPort();
            cc = (DatagramChannel) cb.localAddress(port).bind().sync().channel();
            assertEquals(lo, cc.config().getNetworkInterface());

            InetSocketAddress group = new InetSocketAddress(InetAddress.getByName(GROUP), port);
            cc.joinGroup(group, lo).sync();
            sc.writeAndFlush(new DatagramPacket(Unpooled.copyInt(1), group)).sync();
            assertEquals(1, received.poll(10, TimeUnit.SECONDS), "the group member received nothing");

            cc.leaveGroup(group, lo).sync();
            sc.writeAndFlush(new DatagramPacket(Unpooled.copyInt(2), group)).sync();
            assertNull(received.poll(500, TimeUnit.MILLISECONDS), "received a datagram after leaving the group");

            cc.config().setLoopbackModeDisabled(false);
            sc.config().setLoopbackModeDisabled(false);
            assertFalse(cc.config().isLoopbackModeDisabled());
            assertFalse(sc.config().isLoopbackModeDisabled());
            cc.config().setLoopbackModeDisabled(true);
            sc.config().setLoopbackModeDisabled(true);
            assertTrue(cc.config().isLoopbackModeDisabled());
            assertTrue(sc.config().isLoopbackModeDisabled());

            sc.config().setTimeToLive(3);
            assertEquals(3, sc.config().getTimeToLive());
        } finally {
            sc.close().awaitUninterruptibly();
            if (cc != null) {
                cc.close().awaitUninterruptibly();
            }
        }
    }

    static NetworkInterface loopbackInterface() throws SocketException {
        for (NetworkInterface iface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (iface.isUp() && iface.isLoopback() && loopback4(iface) != null) {
                return iface;
            }
        }
        return null;
    }

    private static InetAddress loopback4(NetworkInterface iface) {
        for (InetAddress address : Collections.list(iface.getInetAddresses())) {
            if (address instanceof Inet4Address) {
                return address;
            }
        }
        return null;
    }

    /** Whether the JDK can multicast to itself through {@code lo}: the assumption this test rests on. */
    private static boolean loopbackMulticastWorks(NetworkInterface lo) {
        try (java.nio.channels.DatagramChannel receiver = java.nio.channels.DatagramChannel.open(
                StandardProtocolFamily.INET);
             java.nio.channels.DatagramChannel sender = java.nio.channels.DatagramChannel.open(
                     StandardProtocolFamily.INET)) {
            receiver.bind(new InetSocketAddress(0));
            receiver.join(InetAddress.getByName(GROUP), lo);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            sender.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(InetAddress.getByName(GROUP),
                    ((InetSocketAddress) receiver.getLocalAddress()).getPort()));
            receiver.configureBlocking(false);
            // 10 s: the probe must not skip the test because a loaded machine was slow to deliver it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (receiver.receive(ByteBuffer.allocate(4)) != null) {
                    return true;
                }
                Thread.sleep(10);
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Netty's allocators and the transport's registered memory: {@link RioSocketTestPermutation#allocators()}. */
    @Override
    protected List<ByteBufAllocator> newAllocators() {
        return RioSocketTestPermutation.INSTANCE.allocators();
    }
}
