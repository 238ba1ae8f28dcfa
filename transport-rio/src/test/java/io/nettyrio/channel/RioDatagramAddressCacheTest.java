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

import io.nettyrio.rio.SockaddrInet;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The datagram channel's peer cache: never a wrong address, the same object for the same peer. */
class RioDatagramAddressCacheTest {

    @Test
    void aRepeatedSenderIsTheSameObjectAndADifferentOneIsRead() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 8);
            RioDatagramAddressCache cache = new RioDatagramAddressCache();
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
            SockaddrInet.write(m, 8, a);
            InetSocketAddress first = cache.sender(m, 8);
            assertEquals(a, first);
            assertSame(first, cache.sender(m, 8));
            // every field of the key counts: port, address, family, scope
            InetSocketAddress[] others = {
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40000),
                    new InetSocketAddress(InetAddress.getByName("::1"), 40000),
                    new InetSocketAddress(Inet6Address.getByAddress(null,
                            InetAddress.getByName("fe80::1").getAddress(), 1), 40000),
                    new InetSocketAddress(Inet6Address.getByAddress(null,
                            InetAddress.getByName("fe80::1").getAddress(), 2), 40000),
            };
            for (InetSocketAddress other : others) {
                SockaddrInet.write(m, 8, other);
                InetSocketAddress read = cache.sender(m, 8);
                assertEquals(other, read);
                assertEquals(other.getAddress() instanceof Inet6Address i6 ? i6.getScopeId() : 0,
                        read.getAddress() instanceof Inet6Address r6 ? r6.getScopeId() : 0);
                assertSame(read, cache.sender(m, 8));
            }
            SockaddrInet.write(m, 8, a);
            assertEquals(a, cache.sender(m, 8));
        }
    }

    @Test
    void anIpv4MappedSenderIsPlainIpv4() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 8);
            RioDatagramAddressCache cache = new RioDatagramAddressCache();
            InetSocketAddress mapped = new InetSocketAddress(
                    SockaddrInet.ipv4Mapped((Inet4Address) InetAddress.getByName("127.0.0.1")), 5000);
            SockaddrInet.write(m, 0, mapped);
            InetSocketAddress sender = cache.sender(m, 0);
            assertInstanceOf(Inet4Address.class, sender.getAddress());
            assertEquals(new InetSocketAddress("127.0.0.1", 5000), sender);
        }
    }

    @Test
    void everyEntryHoldsItsOwnPeerWhateverTheCollisions() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 8);
            RioDatagramAddressCache cache = new RioDatagramAddressCache();
            // More peers than entries: collisions must evict, never answer with another peer.
            int peers = RioDatagramAddressCache.ENTRIES * 3;
            for (int round = 0; round < 2; round++) {
                for (int p = 0; p < peers; p++) {
                    InetSocketAddress peer = new InetSocketAddress(
                            InetAddress.getByAddress(new byte[] {127, 0, (byte) (p >> 8), (byte) p}), 1024 + p);
                    SockaddrInet.write(m, 0, peer);
                    assertEquals(peer, cache.sender(m, 0));
                }
            }
        }
    }

    @Test
    void anUnknownFamilyIsRefusedAsSockaddrInetRefusesIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 8);
            RioDatagramAddressCache cache = new RioDatagramAddressCache();
            assertThrows(IllegalArgumentException.class, () -> cache.sender(m, 0)); // family 0
        }
    }

    @Test
    void aRememberedRecipientIsWrittenByIdentityOnly() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment written = arena.allocate(32, 8);
            MemorySegment expected = arena.allocate(32, 8);
            RioDatagramAddressCache cache = new RioDatagramAddressCache();
            InetSocketAddress recipient = new InetSocketAddress(
                    Inet6Address.getByAddress(null, InetAddress.getByName("fe80::7").getAddress(), 3), 6000);
            assertFalse(cache.writeRemembered(written, 0, recipient));
            SockaddrInet.write(expected, 0, recipient);
            SockaddrInet.write(written, 0, recipient);
            cache.remember(written, 0, recipient);
            written.fill((byte) 0x5a);
            assertTrue(cache.writeRemembered(written, 0, recipient));
            assertArrayEquals(expected.asSlice(0, SockaddrInet.SIZE).toArray(ValueLayout.JAVA_BYTE),
                    written.asSlice(0, SockaddrInet.SIZE).toArray(ValueLayout.JAVA_BYTE));
            // an equal but different object is not taken for the remembered one (its native form may differ)
            InetSocketAddress equal = new InetSocketAddress(recipient.getAddress(), recipient.getPort());
            assertNotSame(recipient, equal);
            assertFalse(cache.writeRemembered(written, 0, equal));
        }
    }
}
