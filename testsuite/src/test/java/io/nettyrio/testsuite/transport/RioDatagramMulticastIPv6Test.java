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
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.DatagramMulticastIPv6Test;

import java.util.List;

/**
 * Netty's {@link DatagramMulticastIPv6Test} over the RIO transport, run as Netty wrote it.
 *
 * <p>It may pick a network card as the interface, but its group is FF01::101, an interface-local (scope 1) address:
 * RFC 4291 section 2.7 says such packets are for loopback transmission only, Linux drops them before they reach a
 * card that is not loopback (after looping a copy back), and sends no MLD report for them. Checked on this machine:
 * 50 datagrams to FF01::101 through eth0 were received locally and left eth0's transmit counter unchanged. So the
 * test's traffic stays on the machine, and it is not replaced.
 */
public class RioDatagramMulticastIPv6Test extends DatagramMulticastIPv6Test {
    @Override
    protected List<BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return RioSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }

    /** Netty's allocators and the transport's registered memory: {@link RioSocketTestPermutation#allocators()}. */
    @Override
    protected List<ByteBufAllocator> newAllocators() {
        return RioSocketTestPermutation.INSTANCE.allocators();
    }
}
