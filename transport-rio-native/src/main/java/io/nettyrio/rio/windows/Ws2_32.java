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

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The downcalls of {@code ws2_32.dll} (their Microsoft Learn pages, e.g. "WSASocketW function
 * (winsock2.h)"). x64 Windows is LLP64: {@code int},
 * {@code DWORD} and {@code BOOL} are {@code JAVA_INT}; {@code SOCKET} (UINT_PTR) is {@code JAVA_LONG}. The
 * descriptors are plain data, checked on any OS; the handles in {@link Bound} look the DLL up, so only Windows
 * loads that class.
 */
final class Ws2_32 {
    /** {@code int WSAStartup(WORD, LPWSADATA)}: no capture, it returns its error code. */
    static final FunctionDescriptor WSAStartup = FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS);
    /** {@code int WSACleanup(void)}. */
    static final FunctionDescriptor WSACleanup = FunctionDescriptor.of(JAVA_INT);
    /** {@code SOCKET WSASocketW(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD)}. */
    static final FunctionDescriptor WSASocketW =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** {@code int closesocket(SOCKET)}. */
    static final FunctionDescriptor closesocket = FunctionDescriptor.of(JAVA_INT, JAVA_LONG);
    /** {@code int bind(SOCKET, const sockaddr*, int)}; also {@code connect}. */
    static final FunctionDescriptor bind = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT);
    /** {@code int listen(SOCKET, int)}; also {@code shutdown(SOCKET, int)}. */
    static final FunctionDescriptor listen = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT);
    /** {@code int setsockopt(SOCKET, int, int, const char*, int)}. */
    static final FunctionDescriptor setsockopt =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    /** {@code int getsockopt(SOCKET, int, int, char*, int*)}. */
    static final FunctionDescriptor getsockopt =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    /** {@code int getsockname(SOCKET, sockaddr*, int*)}; also {@code getpeername}. */
    static final FunctionDescriptor getsockname = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    /** {@code int WSAIoctl(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED, routine)}. */
    static final FunctionDescriptor WSAIoctl = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    /** {@code BOOL WSAGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD)}. */
    static final FunctionDescriptor WSAGetOverlappedResult =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);

    private Ws2_32() {
    }

    /** The bound handles; initializing this class loads ws2_32.dll. */
    @SuppressWarnings("restricted") // FFM linking; users grant the module native access (docs/architecture.md)
    static final class Bound {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup WS2_32 = Linking.target().libraries().apply("ws2_32");

        static final MethodHandle WSAStartup = bind("WSAStartup", Ws2_32.WSAStartup, false);
        static final MethodHandle WSACleanup = bind("WSACleanup", Ws2_32.WSACleanup, true);
        static final MethodHandle WSASocketW = bind("WSASocketW", Ws2_32.WSASocketW, true);
        static final MethodHandle closesocket = bind("closesocket", Ws2_32.closesocket, true);
        static final MethodHandle bind = bind("bind", Ws2_32.bind, true);
        static final MethodHandle listen = bind("listen", Ws2_32.listen, true);
        static final MethodHandle connect = bind("connect", Ws2_32.bind, true);
        static final MethodHandle setsockopt = bind("setsockopt", Ws2_32.setsockopt, true);
        static final MethodHandle getsockopt = bind("getsockopt", Ws2_32.getsockopt, true);
        static final MethodHandle shutdown = bind("shutdown", Ws2_32.listen, true);
        static final MethodHandle getsockname = bind("getsockname", Ws2_32.getsockname, true);
        static final MethodHandle getpeername = bind("getpeername", Ws2_32.getsockname, true);
        static final MethodHandle WSAIoctl = bind("WSAIoctl", Ws2_32.WSAIoctl, true);
        static final MethodHandle WSAGetOverlappedResult =
                bind("WSAGetOverlappedResult", Ws2_32.WSAGetOverlappedResult, true);

        private Bound() {
        }

        private static MethodHandle bind(String name, FunctionDescriptor descriptor, boolean capture) {
            var address = WS2_32.findOrThrow(name);
            return capture ? LINKER.downcallHandle(address, descriptor, CallState.WSA)
                    : LINKER.downcallHandle(address, descriptor);
        }
    }
}
