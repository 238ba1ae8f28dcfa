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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Windows provider of the RIO model: the real Registered I/O functions of mswsock, Winsock sockets with
 * AcceptEx and ConnectEx, and I/O completion ports, all through FFM. {@code io.nettyrio.rio.Rio} loads it by name
 * on Windows.
 *
 * <p>Construction starts Winsock 2.2 ({@code WSAStartup}), fetches the RIO function table with
 * {@code WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, WSAID_MULTIPLE_RIO)} and AcceptEx,
 * GetAcceptExSockaddrs and ConnectEx with {@code SIO_GET_EXTENSION_FUNCTION_POINTER}. When any of this is not
 * possible (not Windows, Windows before 8 / Server 2012, the ioctl fails) the constructor throws an exception that
 * says why, which {@code Rio.unavailabilityCause()} then returns.
 *
 * <p>About {@code WSAENOBUFS}: a send or receive that exceeds the request queue's outstanding capacity or the
 * completion queue's size fails with {@code RioException(WSAENOBUFS)} and is not started; the transport waits for
 * completions (which give the capacity back when dequeued) and retries.
 */
public final class WindowsProvider implements RioProvider {
    private final RegisteredIo registeredIo;
    private final WindowsSockets sockets;
    private final WindowsNative api;

    /**
     * Opens the provider on this machine.
     *
     * @throws UnsupportedOperationException if this is not Windows 8 / Server 2012 or later
     * @throws RioException                  if Winsock cannot start or the RIO functions cannot be fetched
     */
    public WindowsProvider() throws RioException {
        this(System.getProperty("os.name", ""), System.getProperty("os.version", ""), FfmWindowsNative::new,
                WindowsHandles.PROCESS);
    }

    /** Opens the provider over {@code natives}, which is only asked for once the OS is known to fit. */
    WindowsProvider(String osName, String osVersion, Supplier<WindowsNative> natives) throws RioException {
        this(osName, osVersion, natives, new WindowsHandles());
    }

    private WindowsProvider(String osName, String osVersion, Supplier<WindowsNative> natives,
                            WindowsHandles handles) throws RioException {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new UnsupportedOperationException("the Windows RIO provider needs Windows 8 or later, not "
                    + osName);
        }
        if (olderThanWindows8(osVersion)) {
            throw new UnsupportedOperationException("Registered I/O needs Windows 8 or Windows Server 2012 "
                    + "(NT 6.2) or later; this is " + osName + " " + osVersion);
        }
        this.api = natives.get();
        startup(api);
        try {
            RioFunctionTable.fetch(api);
        } catch (RioException | RuntimeException e) {
            api.WSACleanup();
            throw e;
        }
        this.registeredIo = new WindowsRegisteredIo(api, handles);
        this.sockets = new WindowsSockets(api, handles);
    }

    private static void startup(WindowsNative api) throws RioException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wsaData = arena.allocate(WinsockStructs.WSADATA);
            int error = api.WSAStartup(WindowsConstants.WINSOCK_VERSION_2_2, wsaData);
            if (error != 0) {
                throw new RioException("WSAStartup", error, "Winsock 2.2 cannot start");
            }
            short version = (short) WinsockStructs.WSADATA_wVersion.get(wsaData, 0L);
            if (version != WindowsConstants.WINSOCK_VERSION_2_2) {
                api.WSACleanup();
                throw new RioException("WSAStartup", WindowsConstants.WSAVERNOTSUPPORTED,
                        "Winsock offers version " + (version & 0xff) + "." + (version >> 8 & 0xff) + ", not 2.2");
            }
        }
    }

    /** Whether an {@code os.version} ("6.1", "10.0") is below NT 6.2; unknown forms are left to the ioctl. */
    static boolean olderThanWindows8(String osVersion) {
        String[] parts = osVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0].trim());
            int minor = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
            return major < 6 || major == 6 && minor < 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "windows";
    }

    @Override
    public RegisteredIo registeredIo() {
        return registeredIo;
    }

    @Override
    public RioSockets sockets() {
        return sockets;
    }

    @Override
    public Port openPort() throws RioException {
        return IocpPort.open(api, sockets);
    }
}
