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

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

import static io.nettyrio.rio.RioConstants.AF_INET;
import static io.nettyrio.rio.RioConstants.SOCK_STREAM;
import static io.nettyrio.rio.windows.WindowsConstants.INVALID_SOCKET;
import static io.nettyrio.rio.windows.WindowsConstants.IPPROTO_TCP;
import static io.nettyrio.rio.windows.WindowsConstants.SIO_GET_EXTENSION_FUNCTION_POINTER;
import static io.nettyrio.rio.windows.WindowsConstants.SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER;
import static io.nettyrio.rio.windows.WindowsConstants.SOCKET_FLAGS;
import static io.nettyrio.rio.windows.WindowsConstants.WSAID_ACCEPTEX;
import static io.nettyrio.rio.windows.WindowsConstants.WSAID_CONNECTEX;
import static io.nettyrio.rio.windows.WindowsConstants.WSAID_GETACCEPTEXSOCKADDRS;
import static io.nettyrio.rio.windows.WindowsConstants.WSAID_MULTIPLE_RIO;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code RIO_EXTENSION_FUNCTION_TABLE} ({@code MSWSock.h}; 112 bytes, align 8) and how it is fetched: every RIO
 * reference page says the function pointers "must be obtained at run time" with {@code WSAIoctl} and
 * {@code SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER} / {@code WSAID_MULTIPLE_RIO} ("RIO_EXTENSION_FUNCTION_TABLE
 * structure (mswsock.h)"). AcceptEx, GetAcceptExSockaddrs and ConnectEx are fetched the same way, one at a time, with
 * {@code SIO_GET_EXTENSION_FUNCTION_POINTER}, as their pages ask.
 */
final class RioFunctionTable {
    /** The names of the table's function pointers, in the header's order (cbSize comes first). */
    static final List<String> FUNCTIONS = List.of(
            "RIOReceive", "RIOReceiveEx", "RIOSend", "RIOSendEx", "RIOCloseCompletionQueue",
            "RIOCreateCompletionQueue", "RIOCreateRequestQueue", "RIODequeueCompletion", "RIODeregisterBuffer",
            "RIONotify", "RIORegisterBuffer", "RIOResizeCompletionQueue", "RIOResizeRequestQueue");

    /** {@code RIO_EXTENSION_FUNCTION_TABLE}: cbSize u32@0, 4 bytes padding, then 13 pointers from offset 8. */
    static final StructLayout RIO_EXTENSION_FUNCTION_TABLE = MemoryLayout.structLayout(
            JAVA_INT.withName("cbSize"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("RIOReceive"),
            ADDRESS.withName("RIOReceiveEx"),
            ADDRESS.withName("RIOSend"),
            ADDRESS.withName("RIOSendEx"),
            ADDRESS.withName("RIOCloseCompletionQueue"),
            ADDRESS.withName("RIOCreateCompletionQueue"),
            ADDRESS.withName("RIOCreateRequestQueue"),
            ADDRESS.withName("RIODequeueCompletion"),
            ADDRESS.withName("RIODeregisterBuffer"),
            ADDRESS.withName("RIONotify"),
            ADDRESS.withName("RIORegisterBuffer"),
            ADDRESS.withName("RIOResizeCompletionQueue"),
            ADDRESS.withName("RIOResizeRequestQueue")).withName("RIO_EXTENSION_FUNCTION_TABLE");

    /** {@code RIO_EXTENSION_FUNCTION_TABLE.cbSize}. */
    static final VarHandle cbSize = RIO_EXTENSION_FUNCTION_TABLE.varHandle(groupElement("cbSize"));

    private RioFunctionTable() {
    }

    /** Returns the offset of the named function pointer in the table. */
    static long offsetOf(String function) {
        return RIO_EXTENSION_FUNCTION_TABLE.byteOffset(groupElement(function));
    }

    /**
     * Fetches the RIO table and the three extension functions through a throwaway registered-I/O socket and hands
     * them to {@link WindowsNative#bindExtensionFunctions}. WSAStartup must have succeeded.
     *
     * @throws RioException naming the call that failed and, for the RIO table, saying that Registered I/O needs
     *                      Windows 8 / Windows Server 2012 or later
     */
    static void fetch(WindowsNative api) throws RioException {
        // A socket of the kind the transport uses: the ioctl is answered by its provider (the TCP/IP one).
        long socket = api.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, MemorySegment.NULL, 0, SOCKET_FLAGS);
        if (socket == INVALID_SOCKET) {
            int error = api.wsaGetLastError();
            throw new RioException("WSASocketW", error, "cannot create the socket that fetches the RIO function "
                    + "table (WSA_FLAG_REGISTERED_IO needs Windows 8 or later)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(RIO_EXTENSION_FUNCTION_TABLE);
            // Microsoft's WIL sets cbSize before the call; the table is otherwise output only.
            cbSize.set(table, 0L, (int) RIO_EXTENSION_FUNCTION_TABLE.byteSize());
            MemorySegment guid = Guid.allocate(arena, WSAID_MULTIPLE_RIO);
            MemorySegment bytesReturned = arena.allocate(JAVA_INT);
            if (api.WSAIoctl(socket, SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, guid, (int) guid.byteSize(),
                    table, (int) table.byteSize(), bytesReturned, MemorySegment.NULL, MemorySegment.NULL) != 0) {
                int error = api.wsaGetLastError();
                throw new RioException("WSAIoctl", error, "SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER with "
                        + "WSAID_MULTIPLE_RIO failed, so Registered I/O is not available here (it needs Windows 8 "
                        + "or Windows Server 2012 or later)");
            }
            for (String function : FUNCTIONS) {
                if (table.get(ADDRESS, offsetOf(function)).equals(MemorySegment.NULL)) {
                    throw new RioException("WSAIoctl", WsaError.WSAEINVAL,
                            "the RIO function table returned has no " + function);
                }
            }
            MemorySegment acceptEx = extensionFunction(api, arena, socket, WSAID_ACCEPTEX, "AcceptEx");
            MemorySegment getAcceptExSockaddrs = extensionFunction(api, arena, socket, WSAID_GETACCEPTEXSOCKADDRS,
                    "GetAcceptExSockaddrs");
            MemorySegment connectEx = extensionFunction(api, arena, socket, WSAID_CONNECTEX, "ConnectEx");
            api.bindExtensionFunctions(table, acceptEx, getAcceptExSockaddrs, connectEx);
        } finally {
            // The pointers stay valid after the socket is closed: they point into mswsock, not the socket.
            api.closesocket(socket);
        }
    }

    private static MemorySegment extensionFunction(WindowsNative api, Arena arena, long socket, String guidText,
                                                   String name) throws RioException {
        MemorySegment guid = Guid.allocate(arena, guidText);
        MemorySegment pointer = arena.allocate(ADDRESS);
        MemorySegment bytesReturned = arena.allocate(JAVA_INT);
        if (api.WSAIoctl(socket, SIO_GET_EXTENSION_FUNCTION_POINTER, guid, (int) guid.byteSize(), pointer,
                (int) pointer.byteSize(), bytesReturned, MemorySegment.NULL, MemorySegment.NULL) != 0) {
            int error = api.wsaGetLastError();
            throw new RioException("WSAIoctl", error, "SIO_GET_EXTENSION_FUNCTION_POINTER for " + name + " failed");
        }
        MemorySegment function = pointer.get(ADDRESS, 0);
        if (function.equals(MemorySegment.NULL)) {
            throw new RioException("WSAIoctl", WsaError.WSAEINVAL,
                    "SIO_GET_EXTENSION_FUNCTION_POINTER returned NULL for " + name);
        }
        return function;
    }
}
