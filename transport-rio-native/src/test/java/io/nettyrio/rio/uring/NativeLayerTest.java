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
package io.nettyrio.rio.uring;

import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tests of the native layer: ABI layouts, errno translation, sockaddr conversion, options, handles. */
class NativeLayerTest {

    @Test
    void ioUringStructsMatchTheHeader() {
        // sizes and offsets of /usr/include/linux/io_uring.h on every 64-bit Linux
        assertEquals(120, IoUringAbi.IO_URING_PARAMS.byteSize());
        assertEquals(40, IoUringAbi.IO_SQRING_OFFSETS.byteSize());
        assertEquals(40, IoUringAbi.IO_CQRING_OFFSETS.byteSize());
        assertEquals(64, IoUringAbi.SQE_SIZE);
        assertEquals(16, IoUringAbi.CQE_SIZE);
        assertEquals(24, IoUringAbi.IO_URING_GETEVENTS_ARG.byteSize());
        assertEquals(40, IoUringAbi.PARAMS_sq_off);
        assertEquals(80, IoUringAbi.PARAMS_cq_off);
        assertEquals(20, IoUringAbi.PARAMS_features);
        assertEquals(4, IoUringAbi.SQE_fd);
        assertEquals(8, IoUringAbi.SQE_off);
        assertEquals(16, IoUringAbi.SQE_addr);
        assertEquals(24, IoUringAbi.SQE_len);
        assertEquals(28, IoUringAbi.SQE_op_flags);
        assertEquals(32, IoUringAbi.SQE_user_data);
        assertEquals(44, IoUringAbi.SQE_addr_len);
        assertEquals(8, IoUringAbi.CQE_res);
        assertEquals(12, IoUringAbi.CQE_flags);
        assertEquals(20, IoUringAbi.CQOFF_cqes);
        assertEquals(24, IoUringAbi.SQOFF_array);
        assertEquals(32, IoUringAbi.IO_URING_RSRC_REGISTER.byteSize());
        assertEquals(4, IoUringAbi.RSRC_REGISTER_flags);
        assertEquals(16, IoUringAbi.IO_URING_FILES_UPDATE.byteSize());
        assertEquals(8, IoUringAbi.FILES_UPDATE_fds);
    }

    @Test
    void ringSetUpSubmitAndReap() throws RioException {
        IoUringStatistics stats = new IoUringStatistics();
        long[] seen = new long[2];
        Ring ring = Ring.open(8, stats, (userData, res, flags) -> {
            seen[0] = userData;
            seen[1] = res;
        });
        ring.lock.lock();
        try {
            ring.prepare(IoUringAbi.IORING_OP_NOP, -1, 0, 0, 0, 0, 0xABCDL);
            assertEquals(1, ring.pending());
            ring.submit();
            assertEquals(0, ring.pending());
            assertEquals(1, stats.enterCalls());
            assertEquals(1, stats.sqesSubmitted());
        } finally {
            ring.lock.unlock();
        }
        assertTrue(ring.waitForCompletions(1_000_000_000L));
        ring.lock.lock();
        try {
            assertEquals(1, ring.reap());
            assertEquals(0xABCDL, seen[0]);
            assertEquals(0, seen[1]);
            assertEquals(0, ring.inFlight());
            // More SQEs than the ring holds: prepare submits what the SQ holds and goes on.
            for (int i = 0; i < 20; i++) {
                ring.prepare(IoUringAbi.IORING_OP_NOP, -1, 0, 0, 0, 0, i);
            }
            ring.submit();
        } finally {
            ring.lock.unlock();
        }
        assertEquals(21, stats.sqesSubmitted());
        long deadline = System.nanoTime() + 1_000_000_000L;
        int reaped = 0;
        while (reaped < 20 && System.nanoTime() < deadline) {
            ring.lock.lock();
            try {
                reaped += ring.reap();
            } finally {
                ring.lock.unlock();
            }
        }
        assertEquals(20, reaped);
        assertTrue(!ring.waitForCompletions(1_000_000L), "a wait with nothing in flight times out");
        ring.lock.lock();
        try {
            ring.close();
        } finally {
            ring.lock.unlock();
        }
    }

    @Test
    void kernelReleasesAreCompared() {
        assertTrue(IoUringProvider.releaseAtLeast("6.18.44-fc-v1045", 6, 1));
        assertTrue(IoUringProvider.releaseAtLeast("6.1.0", 6, 1));
        assertTrue(IoUringProvider.releaseAtLeast("7.0-rc1", 6, 1));
        assertFalse(IoUringProvider.releaseAtLeast("6.0.19", 6, 1));
        assertFalse(IoUringProvider.releaseAtLeast("5.19.0-45-generic", 6, 1));
        assertFalse(IoUringProvider.releaseAtLeast("", 6, 1));
        assertFalse(IoUringProvider.releaseAtLeast("unknown", 6, 1));
    }

    @Test
    void unusableIoUringIsExplained() {
        assertTrue(Ring.setupFailureCause(Errno.EPERM).getMessage().contains("io_uring_disabled"));
        assertTrue(Ring.setupFailureCause(Errno.ENOSYS) instanceof UnsupportedOperationException);
        assertTrue(Ring.setupFailureCause(Errno.EINVAL) instanceof UnsupportedOperationException);
        assertTrue(Ring.setupFailureCause(Errno.EMFILE) instanceof RioException);
        assertNull(Ring.missingFeatures(IoUringAbi.REQUIRED_FEATURES | 0x1000));
        String missing = Ring.missingFeatures(IoUringAbi.REQUIRED_FEATURES & ~IoUringAbi.IORING_FEAT_EXT_ARG);
        assertTrue(missing.contains("IORING_FEAT_EXT_ARG") && !missing.contains("NODROP"), missing);
    }

    @Test
    void errnoTranslation() {
        assertEquals(WsaError.WSAECONNRESET, Errno.toWsa(Errno.ECONNRESET));
        assertEquals(WsaError.WSAECONNRESET, Errno.toWsa(Errno.EPIPE));
        assertEquals(WsaError.WSAECONNREFUSED, Errno.toWsa(Errno.ECONNREFUSED));
        assertEquals(WsaError.WSA_OPERATION_ABORTED, Errno.toWsa(Errno.ECANCELED));
        assertEquals(WsaError.WSAENOTSOCK, Errno.toWsa(Errno.EBADF));
        assertEquals(WsaError.WSAEINVAL, Errno.toWsa(Errno.EINVAL));
        assertEquals(WsaError.WSAENOBUFS, Errno.toWsa(Errno.ENOBUFS));
        assertEquals(WsaError.WSAENOBUFS, Errno.toWsa(Errno.ENOMEM));
        assertEquals(WsaError.WSAEADDRINUSE, Errno.toWsa(Errno.EADDRINUSE));
        assertEquals(WsaError.WSAEADDRNOTAVAIL, Errno.toWsa(Errno.EADDRNOTAVAIL));
        assertEquals(WsaError.WSAENETUNREACH, Errno.toWsa(Errno.ENETUNREACH));
        assertEquals(WsaError.WSAEHOSTUNREACH, Errno.toWsa(Errno.EHOSTUNREACH));
        assertEquals(WsaError.WSAETIMEDOUT, Errno.toWsa(Errno.ETIMEDOUT));
        assertEquals(WsaError.WSAENOTCONN, Errno.toWsa(Errno.ENOTCONN));
        assertEquals(WsaError.WSAEMSGSIZE, Errno.toWsa(Errno.EMSGSIZE));
        assertEquals(WsaError.WSAEAFNOSUPPORT, Errno.toWsa(Errno.EAFNOSUPPORT));
        assertEquals(WsaError.WSAEACCES, Errno.toWsa(Errno.EACCES));
        assertEquals(WsaError.WSAEMFILE, Errno.toWsa(Errno.EMFILE));
        assertEquals(WsaError.NO_ERROR, Errno.toWsa(0));
        assertEquals(WsaError.WSAEINVAL, Errno.toWsa(9999), "unknown errno");
        for (int errno = 1; errno < 134; errno++) {
            int wsa = Errno.toWsa(errno);
            assertTrue(wsa == WsaError.WSA_OPERATION_ABORTED || wsa >= 10000,
                    "errno " + errno + " becomes a Winsock code");
            assertTrue(!WsaError.name(wsa).startsWith("WSA error"), "a named code for errno " + errno);
        }
    }

    @Test
    void sockaddrConversions() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment linux = arena.allocate(28, 8);
            MemorySegment windows = arena.allocate(28, 8);
            InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 4321);
            assertEquals(16, LinuxSockaddr.write(linux, v4, LinuxSockaddr.AF_INET));
            assertEquals(LinuxSockaddr.AF_INET, linux.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals((byte) 0x10, linux.get(ValueLayout.JAVA_BYTE, 2)); // 4321 = 0x10E1, big-endian
            assertEquals((byte) 0xE1, linux.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(v4, LinuxSockaddr.read(linux));
            // an IPv4 address on a dual-stack socket is IPv4-mapped, and read back as IPv4
            assertEquals(28, LinuxSockaddr.write(linux, v4, LinuxSockaddr.AF_INET6));
            assertEquals(LinuxSockaddr.AF_INET6, linux.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(v4, LinuxSockaddr.read(linux));
            LinuxSockaddr.toSockaddrInet(linux, windows);
            assertEquals(RioConstants.AF_INET, windows.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(v4, SockaddrInet.read(windows, 0));
            InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 80);
            LinuxSockaddr.write(linux, v6, LinuxSockaddr.AF_INET6);
            assertEquals(v6, LinuxSockaddr.read(linux));
            LinuxSockaddr.toSockaddrInet(linux, windows);
            assertEquals(RioConstants.AF_INET6, windows.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(v6, SockaddrInet.read(windows, 0));
            // Windows -> Linux
            SockaddrInet.write(windows, 0, v6);
            assertEquals(28, LinuxSockaddr.fromSockaddrInet(windows, linux, LinuxSockaddr.AF_INET6));
            assertEquals(LinuxSockaddr.AF_INET6, linux.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(v6, LinuxSockaddr.read(linux));
            assertEquals(-1, LinuxSockaddr.fromSockaddrInet(windows, linux, LinuxSockaddr.AF_INET));
            SockaddrInet.write(windows, 0, v4);
            assertEquals(16, LinuxSockaddr.fromSockaddrInet(windows, linux, LinuxSockaddr.AF_INET));
            assertEquals(v4, LinuxSockaddr.read(linux));
            assertEquals(28, LinuxSockaddr.fromSockaddrInet(windows, linux, LinuxSockaddr.AF_INET6));
            assertEquals(v4, LinuxSockaddr.read(linux));
            windows.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            assertEquals(-1, LinuxSockaddr.fromSockaddrInet(windows, linux, LinuxSockaddr.AF_INET6));
            linux.fill((byte) 0);
            assertNull(LinuxSockaddr.read(linux), "AF_UNSPEC");
            assertThrows(IllegalArgumentException.class, () -> LinuxSockaddr.write(linux,
                    InetSocketAddress.createUnresolved("example.org", 1), LinuxSockaddr.AF_INET));
            assertThrows(IllegalArgumentException.class, () -> LinuxSockaddr.write(linux,
                    new InetSocketAddress(InetAddress.getByName("::1"), 1), LinuxSockaddr.AF_INET));
            assertEquals(LinuxSockaddr.AF_INET6, LinuxSockaddr.toLinuxFamily(RioConstants.AF_INET6));
            assertEquals(-1, LinuxSockaddr.toLinuxFamily(10));
        }
    }

    @Test
    void everyOptionHasALinuxLevelAndName() {
        Set<Long> seen = new HashSet<>();
        for (RioSocketOption option : RioSocketOption.values()) {
            long key = ((long) SocketOptions.level(option) << 32) | SocketOptions.name(option);
            assertTrue(seen.add(key), "distinct level/name for " + option);
        }
        assertEquals(SocketOptions.SOL_SOCKET, SocketOptions.level(RioSocketOption.SO_LINGER));
        assertEquals(13, SocketOptions.name(RioSocketOption.SO_LINGER));
        assertEquals(SocketOptions.IPPROTO_TCP, SocketOptions.level(RioSocketOption.TCP_NODELAY));
        assertEquals(26, SocketOptions.name(RioSocketOption.IPV6_V6ONLY));
        assertEquals(EnumSet.of(RioSocketOption.SO_ERROR, RioSocketOption.SO_TYPE),
                EnumSet.copyOf(java.util.Arrays.stream(RioSocketOption.values())
                        .filter(SocketOptions::isReadOnly).toList()));
    }

    @Test
    void handlesAreTaggedAndStaleHandlesDoNotResolve() {
        HandleTable<String> a = new HandleTable<>(1);
        HandleTable<String> b = new HandleTable<>(2);
        long h = a.add("x");
        assertNotEquals(0, h);
        assertNotEquals(RioConstants.RIO_INVALID_BUFFERID, h);
        assertSame("x", a.get(h));
        assertNull(b.get(h), "another kind's handle");
        assertSame("x", a.remove(h));
        assertNull(a.get(h));
        long h2 = a.add("y");
        assertEquals(HandleTable.index(h), HandleTable.index(h2), "the slot is reused");
        assertNull(a.get(h), "with a new generation");
        assertSame("y", a.get(h2));
        for (int i = 0; i < 200; i++) {
            a.add("z" + i);
        }
        assertSame("y", a.get(h2));
        assertNull(a.get(-1));
        assertNull(a.get(0));
    }

    @Test
    void userDataRoundTrips() {
        long u = UserData.of(UserData.SEND_BATCH, 0x7fff_ffff, 0xabcdef);
        assertEquals(UserData.SEND_BATCH, UserData.type(u));
        assertEquals(0x7fff_ffff, UserData.owner(u));
        assertEquals(0xabcdef, UserData.slot(u));
    }

    @Test
    void rioLoadsThisProvider() {
        assertTrue(Rio.isAvailable(), () -> String.valueOf(Rio.unavailabilityCause()));
        assertEquals("io_uring", Rio.provider().name());
    }
}
