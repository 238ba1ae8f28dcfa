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

import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up of the provider: OS checks, WSAStartup, the RIO table fetch, and the reasons it gives when it fails. */
class WindowsProviderTest {
    private static final String RIO_GUID = "81 e0 09 85 dd 96 05 40 b1 65 9e 2e e8 c7 9e 3f";

    private static WindowsProvider open(FakeWindowsNative fake) throws RioException {
        return new WindowsProvider("Windows 11", "10.0", () -> fake);
    }

    @Test
    void refusesAnotherOsWithoutTouchingNativeCode() {
        AtomicBoolean asked = new AtomicBoolean();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new WindowsProvider("Linux", "6.8", () -> {
                    asked.set(true);
                    return new FakeWindowsNative();
                }));
        assertTrue(e.getMessage().contains("needs Windows 8 or later, not Linux"), e.getMessage());
        assertFalse(asked.get());
    }

    @Test
    void theRealConstructorExplainsWhyItCannotRunHere() {
        // This is what Rio.unavailabilityCause() holds when the Windows provider is asked for off Windows.
        String os = System.getProperty("os.name");
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    WindowsProvider::new);
            assertTrue(e.getMessage().contains(os), e.getMessage());
        } else {
            // On Windows 8 or later (every CI runner) the real provider must open.
            assertEquals("windows", assertDoesNotThrowProvider().name());
        }
    }

    private static WindowsProvider assertDoesNotThrowProvider() {
        try {
            return new WindowsProvider();
        } catch (RioException e) {
            throw new AssertionError("RIO unavailable on this Windows: " + e.getMessage(), e);
        }
    }

    /** Run in a fresh JVM by {@link #rioSaysWhyTheWindowsProviderIsUnavailable}: prints what Rio reports. */
    public static final class RioProbe {
        public static void main(String[] args) {
            Throwable cause = io.nettyrio.rio.Rio.unavailabilityCause();
            System.out.println(io.nettyrio.rio.Rio.isAvailable() + "|" + cause);
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "on Windows the provider is available: "
            + "WindowsRioLoopbackTest.rioSelectsThisProvider checks that Rio selects it")
    void rioSaysWhyTheWindowsProviderIsUnavailable() throws Exception {
        // A fresh JVM, because Rio chooses its provider once, when its class is initialized.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-D" + io.nettyrio.rio.Rio.PROVIDER_PROPERTY + "=" + WindowsProvider.class.getName(),
                "-cp", System.getProperty("java.class.path"), RioProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("false|java.lang.UnsupportedOperationException: the Windows RIO provider "
                + "needs Windows 8 or later, not " + System.getProperty("os.name")), output);
    }

    @Test
    void refusesWindowsBefore8() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new WindowsProvider("Windows 7", "6.1", FakeWindowsNative::new));
        assertTrue(e.getMessage().contains("Windows 8"), e.getMessage());
        assertTrue(WindowsProvider.olderThanWindows8("6.1"));
        assertTrue(WindowsProvider.olderThanWindows8("5.2"));
        assertFalse(WindowsProvider.olderThanWindows8("6.2"));
        assertFalse(WindowsProvider.olderThanWindows8("6.3"));
        assertFalse(WindowsProvider.olderThanWindows8("10.0"));
        assertFalse(WindowsProvider.olderThanWindows8("weird"), "unknown versions are left to the ioctl");
    }

    @Test
    void startsWinsockAndFetchesTheRioTable() throws Exception {
        FakeWindowsNative fake = new FakeWindowsNative();
        WindowsProvider provider = open(fake);
        assertEquals("windows", provider.name());

        FakeWindowsNative.Call startup = fake.last("WSAStartup");
        assertEquals((short) 0x0202, startup.arg(0));
        assertEquals(408, startup.seg(1).bytes().length, "a Win64 WSADATA");

        // The throwaway socket: TCP, registered I/O, closed at the end.
        FakeWindowsNative.Call socket = fake.last("WSASocketW");
        assertEquals(List.of(2, 1, 6, "NULL", 0, 0x181), socket.args());
        assertEquals(0, fake.socketsOpen);

        List<FakeWindowsNative.Call> ioctls = fake.calls("WSAIoctl");
        assertEquals(4, ioctls.size());
        FakeWindowsNative.Call rio = ioctls.get(0);
        assertEquals(0x100L, rio.longArg(0));
        assertEquals(0xC8000024, rio.intArg(1));
        assertArrayEquals(HexFormat.ofDelimiter(" ").parseHex(RIO_GUID), rio.seg(2).bytes());
        assertEquals(16, rio.intArg(3));
        assertEquals(112, rio.seg(4).bytes().length);
        assertEquals(112, rio.intArg(5));
        assertEquals(112, ByteBuffer.wrap(rio.seg(4).bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt(0),
                "cbSize is set before the call");
        assertEquals("NULL", rio.arg(7), "synchronous: no OVERLAPPED");
        assertEquals("NULL", rio.arg(8));

        String[] extensions = {"f1 7d 36 b5 ac cb cf 11 95 ca 00 80 5f 48 a1 92",
            "f2 7d 36 b5 ac cb cf 11 95 ca 00 80 5f 48 a1 92", "b9 07 a2 25 f3 dd 60 46 8e e9 76 e5 8c 74 06 3e"};
        for (int i = 0; i < 3; i++) {
            FakeWindowsNative.Call ioctl = ioctls.get(i + 1);
            assertEquals(0xC8000006, ioctl.intArg(1));
            assertArrayEquals(HexFormat.ofDelimiter(" ").parseHex(extensions[i]), ioctl.seg(2).bytes());
            assertEquals(8, ioctl.intArg(5), "out is one function pointer");
        }

        for (int i = 0; i < RioFunctionTable.FUNCTIONS.size(); i++) {
            assertEquals(FakeWindowsNative.RIO_TABLE_BASE + 16L * i,
                    fake.boundPointer(RioFunctionTable.FUNCTIONS.get(i)), RioFunctionTable.FUNCTIONS.get(i));
        }
        assertEquals(FakeWindowsNative.ACCEPTEX, fake.boundAcceptEx);
        assertEquals(FakeWindowsNative.GETACCEPTEXSOCKADDRS, fake.boundGetAcceptExSockaddrs);
        assertEquals(FakeWindowsNative.CONNECTEX, fake.boundConnectEx);
        assertEquals(0, fake.count("WSACleanup"));
        assertTrue(provider.registeredIo() instanceof WindowsRegisteredIo);
        assertSame(provider.sockets(), provider.sockets());
    }

    @Test
    void wsaStartupFailureSaysSo() {
        FakeWindowsNative fake = new FakeWindowsNative();
        fake.startupResult = WsaError.WSANOTINITIALISED;
        RioException e = assertThrows(RioException.class, () -> open(fake));
        assertEquals("WSAStartup", e.call());
        assertEquals(WsaError.WSANOTINITIALISED, e.wsaError());
        assertEquals(0, fake.count("WSAIoctl"));
    }

    @Test
    void oldWinsockVersionIsRefused() {
        FakeWindowsNative fake = new FakeWindowsNative();
        fake.wsaVersion = 0x0101;
        RioException e = assertThrows(RioException.class, () -> open(fake));
        assertEquals(WindowsConstants.WSAVERNOTSUPPORTED, e.wsaError());
        assertTrue(e.getMessage().contains("1.1"), e.getMessage());
        assertEquals(1, fake.count("WSACleanup"));
    }

    @Test
    void failedRioIoctlMeansRioIsUnavailable() {
        FakeWindowsNative fake = new FakeWindowsNative().failNext("WSAIoctl", WsaError.WSAEINVAL);
        RioException e = assertThrows(RioException.class, () -> open(fake));
        assertEquals("WSAIoctl", e.call());
        assertEquals(WsaError.WSAEINVAL, e.wsaError());
        assertTrue(e.getMessage().contains("SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER"), e.getMessage());
        assertTrue(e.getMessage().contains("Windows 8"), e.getMessage());
        assertEquals(0, fake.socketsOpen, "the throwaway socket is closed");
        assertEquals(1, fake.count("WSACleanup"));
        assertEquals(0, fake.count("bindExtensionFunctions"));
    }

    @Test
    void tableWithoutAFunctionIsRefused() {
        FakeWindowsNative fake = new FakeWindowsNative();
        fake.nullTableEntries.add("RIONotify");
        RioException e = assertThrows(RioException.class, () -> open(fake));
        assertTrue(e.getMessage().contains("RIONotify"), e.getMessage());
        assertEquals(0, fake.socketsOpen);
    }

    @Test
    void failedExtensionIoctlNamesTheFunction() {
        // The RIO table's ioctl succeeds, then AcceptEx's fails.
        FakeWindowsNative failing = new FakeWindowsNative().failNext("WSAIoctl", 0)
                .failNext("WSAIoctl", WsaError.WSAEOPNOTSUPP);
        RioException e = assertThrows(RioException.class, () -> open(failing));
        assertEquals(WsaError.WSAEOPNOTSUPP, e.wsaError());
        assertTrue(e.getMessage().contains("AcceptEx"), e.getMessage());
        assertEquals(0, failing.socketsOpen);
    }

    @Test
    void socketFailureDuringFetchSaysWhy() {
        FakeWindowsNative fake = new FakeWindowsNative().failNext("WSASocketW", WsaError.WSAEINVAL);
        RioException e = assertThrows(RioException.class, () -> open(fake));
        assertEquals("WSASocketW", e.call());
        assertTrue(e.getMessage().contains("WSA_FLAG_REGISTERED_IO"), e.getMessage());
        assertEquals(1, fake.count("WSACleanup"));
    }

    @Test
    void opensPorts() throws Exception {
        FakeWindowsNative fake = new FakeWindowsNative();
        try (var port = open(fake).openPort()) {
            assertEquals(FakeWindowsNative.PORT_HANDLE, port.handle());
            assertEquals(List.of(-1L, 0L, 0L, 1), fake.last("CreateIoCompletionPort").args());
        }
        fake.failNext("CreateIoCompletionPort", 8);
        RioException e = assertThrows(RioException.class, () -> open(fake).openPort());
        assertEquals(8, e.wsaError(), "GetLastError, captured");
    }
}
