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

import java.lang.foreign.MemorySegment;

/**
 * Every downcall of the Windows provider, one method per native function, named as Windows names it and taking and
 * returning the raw values (handles as {@code long}, pointers as {@link MemorySegment}, {@code BOOL} as
 * {@code int}). Nothing here interprets a result: that is the provider's job, so that its logic (marshalling,
 * error mapping, the wait loop, the AcceptEx and ConnectEx states) runs on Linux against a fake of this interface.
 * {@link FfmWindowsNative} binds the real DLLs and is only constructed on Windows.
 *
 * <p>The error of a failed call is not fetched with a later {@code WSAGetLastError} downcall, which the JVM may
 * precede with calls of its own: each downcall captures it ({@code Linker.Option.captureCallState}) and
 * {@link #wsaGetLastError()} / {@link #getLastError()} return what the calling thread's last call captured.
 *
 * <p>The RIO functions and the Winsock extension functions (AcceptEx, GetAcceptExSockaddrs, ConnectEx) are only
 * callable after {@link #bindExtensionFunctions} has been given the pointers that {@code WSAIoctl} returned.
 */
interface WindowsNative {

    // ---- error capture

    /** The {@code WSAGetLastError} value captured by this thread's last ws2_32, mswsock or RIO call. */
    int wsaGetLastError();

    /** The {@code GetLastError} value captured by this thread's last kernel32 call. */
    int getLastError();

    // ---- ws2_32.dll

    /** {@code int WSAStartup(WORD, LPWSADATA)}: returns the error code directly. */
    int WSAStartup(short versionRequested, MemorySegment wsaData);

    /** {@code int WSACleanup(void)}. */
    int WSACleanup();

    /** {@code SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW, GROUP, DWORD flags)}. */
    long WSASocketW(int af, int type, int protocol, MemorySegment protocolInfo, int group, int flags);

    /** {@code int closesocket(SOCKET)}. */
    int closesocket(long socket);

    /** {@code int bind(SOCKET, const struct sockaddr*, int)}. */
    int bind(long socket, MemorySegment name, int nameLength);

    /** {@code int listen(SOCKET, int)}. */
    int listen(long socket, int backlog);

    /** {@code int connect(SOCKET, const struct sockaddr*, int)}: used for UDP sockets only. */
    int connect(long socket, MemorySegment name, int nameLength);

    /** {@code int setsockopt(SOCKET, int level, int optname, const char* optval, int optlen)}. */
    int setsockopt(long socket, int level, int optionName, MemorySegment optionValue, int optionLength);

    /** {@code int getsockopt(SOCKET, int level, int optname, char* optval, int* optlen)}. */
    int getsockopt(long socket, int level, int optionName, MemorySegment optionValue, MemorySegment optionLength);

    /** {@code int shutdown(SOCKET, int how)}. */
    int shutdown(long socket, int how);

    /** {@code int getsockname(SOCKET, struct sockaddr*, int*)}. */
    int getsockname(long socket, MemorySegment name, MemorySegment nameLength);

    /** {@code int getpeername(SOCKET, struct sockaddr*, int*)}. */
    int getpeername(long socket, MemorySegment name, MemorySegment nameLength);

    /**
     * {@code int WSAIoctl(SOCKET, DWORD code, LPVOID in, DWORD cbIn, LPVOID out, DWORD cbOut, LPDWORD cbReturned,
     * LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)}.
     */
    int WSAIoctl(long socket, int ioControlCode, MemorySegment in, int inLength, MemorySegment out, int outLength,
                 MemorySegment bytesReturned, MemorySegment overlapped, MemorySegment completionRoutine);

    /** {@code BOOL WSAGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD cbTransfer, BOOL fWait, LPDWORD flags)}. */
    int WSAGetOverlappedResult(long socket, MemorySegment overlapped, MemorySegment bytesTransferred, int wait,
                               MemorySegment flags);

    // ---- kernel32.dll

    /** {@code HANDLE CreateIoCompletionPort(HANDLE, HANDLE ExistingPort, ULONG_PTR key, DWORD threads)}. */
    long CreateIoCompletionPort(long fileHandle, long existingPort, long completionKey, int concurrentThreads);

    /**
     * {@code BOOL GetQueuedCompletionStatusEx(HANDLE, LPOVERLAPPED_ENTRY, ULONG count, PULONG removed, DWORD ms,
     * BOOL alertable)}.
     */
    int GetQueuedCompletionStatusEx(long port, MemorySegment entries, int count, MemorySegment entriesRemoved,
                                    int milliseconds, int alertable);

    /** {@code BOOL PostQueuedCompletionStatus(HANDLE, DWORD bytes, ULONG_PTR key, LPOVERLAPPED)}. */
    int PostQueuedCompletionStatus(long port, int bytesTransferred, long completionKey, MemorySegment overlapped);

    /** {@code BOOL CloseHandle(HANDLE)}. */
    int CloseHandle(long handle);

    // ---- extension functions, from WSAIoctl

    /**
     * Binds the RIO functions from a copy of the {@code RIO_EXTENSION_FUNCTION_TABLE} that
     * {@code SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER} filled, and AcceptEx, GetAcceptExSockaddrs and ConnectEx
     * from the pointers {@code SIO_GET_EXTENSION_FUNCTION_POINTER} returned. Called once, by
     * {@link RioFunctionTable#fetch}.
     */
    void bindExtensionFunctions(MemorySegment rioTable, MemorySegment acceptEx, MemorySegment getAcceptExSockaddrs,
                                MemorySegment connectEx);

    /**
     * {@code BOOL AcceptEx(SOCKET listen, SOCKET accept, PVOID out, DWORD receiveLength, DWORD localLength,
     * DWORD remoteLength, LPDWORD bytesReceived, LPOVERLAPPED)}.
     */
    int AcceptEx(long listenSocket, long acceptSocket, MemorySegment outputBuffer, int receiveDataLength,
                 int localAddressLength, int remoteAddressLength, MemorySegment bytesReceived,
                 MemorySegment overlapped);

    /**
     * {@code VOID GetAcceptExSockaddrs(PVOID out, DWORD receiveLength, DWORD localLength, DWORD remoteLength,
     * sockaddr** local, LPINT localLength, sockaddr** remote, LPINT remoteLength)}.
     */
    void GetAcceptExSockaddrs(MemorySegment outputBuffer, int receiveDataLength, int localAddressLength,
                              int remoteAddressLength, MemorySegment localSockaddr, MemorySegment localSockaddrLength,
                              MemorySegment remoteSockaddr, MemorySegment remoteSockaddrLength);

    /**
     * {@code BOOL ConnectEx(SOCKET, const sockaddr*, int namelen, PVOID sendBuffer, DWORD sendLength,
     * LPDWORD bytesSent, LPOVERLAPPED)}.
     */
    int ConnectEx(long socket, MemorySegment name, int nameLength, MemorySegment sendBuffer, int sendDataLength,
                  MemorySegment bytesSent, MemorySegment overlapped);

    /** {@code BOOL RIOReceive(RIO_RQ, PRIO_BUF, ULONG count, DWORD flags, PVOID context)}. */
    int RIOReceive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext);

    /** {@code int RIOReceiveEx(RIO_RQ, PRIO_BUF, ULONG, PRIO_BUF local, remote, control, flags, DWORD, PVOID)}. */
    int RIOReceiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                     MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                     long requestContext);

    /** {@code BOOL RIOSend(RIO_RQ, PRIO_BUF, ULONG count, DWORD flags, PVOID context)}. */
    int RIOSend(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext);

    /** {@code BOOL RIOSendEx(RIO_RQ, PRIO_BUF, ULONG, PRIO_BUF local, remote, control, flags, DWORD, PVOID)}. */
    int RIOSendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
                  MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                  long requestContext);

    /** {@code VOID RIOCloseCompletionQueue(RIO_CQ)}. */
    void RIOCloseCompletionQueue(long completionQueue);

    /** {@code RIO_CQ RIOCreateCompletionQueue(DWORD size, PRIO_NOTIFICATION_COMPLETION)}. */
    long RIOCreateCompletionQueue(int queueSize, MemorySegment notificationCompletion);

    /**
     * {@code RIO_RQ RIOCreateRequestQueue(SOCKET, ULONG maxOutstandingReceive, ULONG maxReceiveDataBuffers,
     * ULONG maxOutstandingSend, ULONG maxSendDataBuffers, RIO_CQ receiveCQ, RIO_CQ sendCQ, PVOID socketContext)}.
     */
    long RIOCreateRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                               int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue,
                               long sendCompletionQueue, long socketContext);

    /** {@code ULONG RIODequeueCompletion(RIO_CQ, PRIORESULT, ULONG)}. */
    int RIODequeueCompletion(long completionQueue, MemorySegment array, int arraySize);

    /** {@code VOID RIODeregisterBuffer(RIO_BUFFERID)}. */
    void RIODeregisterBuffer(long bufferId);

    /** {@code INT RIONotify(RIO_CQ)}: returns its error code directly. */
    int RIONotify(long completionQueue);

    /** {@code RIO_BUFFERID RIORegisterBuffer(PCHAR, DWORD)}. */
    long RIORegisterBuffer(MemorySegment dataBuffer, int dataLength);

    /** {@code BOOL RIOResizeCompletionQueue(RIO_CQ, DWORD)}. */
    int RIOResizeCompletionQueue(long completionQueue, int queueSize);

    /** {@code BOOL RIOResizeRequestQueue(RIO_RQ, DWORD maxOutstandingReceive, DWORD maxOutstandingSend)}. */
    int RIOResizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend);
}
