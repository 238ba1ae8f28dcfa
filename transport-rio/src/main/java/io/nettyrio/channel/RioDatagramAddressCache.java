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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.SockaddrInet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * The peers a datagram channel talks to, remembered in both forms: the {@code SOCKADDR_INET} bytes of an address
 * slot and the {@link InetSocketAddress} the pipeline sees. A UDP server hears from and answers the same few peers
 * again and again; with this cache a datagram from a known peer creates no address object (the {@code byte[]},
 * {@code InetAddress} and {@code InetSocketAddress} of {@link SockaddrInet#read}), and an answer to it writes the
 * remembered bytes instead of encoding the address again.
 *
 * <p>Direct-mapped, {@value #ENTRIES} entries per direction; a collision replaces the older entry (a miss costs
 * only what every datagram cost without the cache). Receives are looked up by their bytes (family, port and
 * address; for IPv6 the scope too; the IPv6 flow information is ignored, as {@link SockaddrInet#read} ignores it),
 * sends by the identity of the recipient object, whose bytes are those {@link SockaddrInet#write} wrote for it the
 * first time. Event loop only.
 */
final class RioDatagramAddressCache {
    /** Entries per direction: a power of two. */
    static final int ENTRIES = 512;
    private static final int MASK = ENTRIES - 1;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    // SOCKADDR_INET ("SOCKADDR_INET union (ws2ipdef.h)"): family and port in the first 4 bytes, then the IPv4
    // address; for IPv6 the flow information at 4, the address at 8 and the scope id at 24.
    private static final long IPV4_ADDRESS = 4;
    private static final long IPV6_ADDRESS = 8;
    private static final long IPV6_SCOPE = 24;

    // Receives: the key bytes and the address delivered for them.
    private final int[] familyPort = new int[ENTRIES];
    private final long[] address0 = new long[ENTRIES];
    private final long[] address1 = new long[ENTRIES];
    private final int[] scope = new int[ENTRIES];
    private final InetSocketAddress[] senders = new InetSocketAddress[ENTRIES];

    // Sends: the recipient object and the 28 bytes written for it.
    private final InetSocketAddress[] recipients = new InetSocketAddress[ENTRIES];
    private final long[] bytes = new long[ENTRIES * 4];

    /**
     * Returns the sender whose {@code SOCKADDR_INET} is at {@code offset} of {@code memory}, as the pipeline sees it
     * (IPv4-mapped IPv6 as plain IPv4, {@link SockaddrInet#unmapIpv4}): the cached object if these bytes were seen
     * last in its entry, else a new one, which the entry keeps.
     *
     * @throws IllegalArgumentException if the family is neither {@code AF_INET} nor {@code AF_INET6}
     */
    InetSocketAddress sender(MemorySegment memory, long offset) {
        int head = memory.get(INT, offset);
        short family = memory.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset);
        long a0;
        long a1;
        int s;
        if (family == RioConstants.AF_INET) {
            a0 = memory.get(INT, offset + IPV4_ADDRESS);
            a1 = 0;
            s = 0;
        } else {
            a0 = memory.get(LONG, offset + IPV6_ADDRESS);
            a1 = memory.get(LONG, offset + IPV6_ADDRESS + 8);
            s = memory.get(INT, offset + IPV6_SCOPE);
        }
        int i = index(head, a0 ^ a1);
        InetSocketAddress cached = senders[i];
        if (cached != null && familyPort[i] == head && address0[i] == a0 && address1[i] == a1 && scope[i] == s) {
            return cached;
        }
        InetSocketAddress sender = SockaddrInet.unmapIpv4(SockaddrInet.read(memory, offset));
        familyPort[i] = head;
        address0[i] = a0;
        address1[i] = a1;
        scope[i] = s;
        senders[i] = sender;
        return sender;
    }

    /**
     * Writes the {@code SOCKADDR_INET} remembered for {@code recipient} at {@code offset} of {@code memory}, if this
     * very object was {@linkplain #remember remembered} last in its entry.
     *
     * @return whether it was written; if not, the caller writes it and {@linkplain #remember remembers} it
     */
    boolean writeRemembered(MemorySegment memory, long offset, InetSocketAddress recipient) {
        int i = System.identityHashCode(recipient) & MASK;
        if (recipients[i] != recipient) {
            return false;
        }
        int b = i * 4;
        memory.set(LONG, offset, bytes[b]);
        memory.set(LONG, offset + 8, bytes[b + 1]);
        memory.set(LONG, offset + 16, bytes[b + 2]);
        memory.set(INT, offset + 24, (int) bytes[b + 3]);
        return true;
    }

    /** Remembers the {@code SOCKADDR_INET} just written for {@code recipient} at {@code offset} of {@code memory}. */
    void remember(MemorySegment memory, long offset, InetSocketAddress recipient) {
        int i = System.identityHashCode(recipient) & MASK;
        int b = i * 4;
        bytes[b] = memory.get(LONG, offset);
        bytes[b + 1] = memory.get(LONG, offset + 8);
        bytes[b + 2] = memory.get(LONG, offset + 16);
        bytes[b + 3] = memory.get(INT, offset + 24);
        recipients[i] = recipient;
    }

    private static int index(int head, long address) {
        int h = head * 31 + (int) (address ^ (address >>> 32));
        return (h * 0x9E3779B9 >>> 23) & MASK;
    }
}
