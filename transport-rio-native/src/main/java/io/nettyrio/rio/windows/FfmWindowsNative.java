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
import java.util.Locale;
import java.util.Objects;

/**
 * {@link WindowsNative} bound to the real DLLs through FFM: ws2_32 and kernel32 by name
 * ({@code SymbolLookup.libraryLookup}), the RIO and extension functions from the pointers {@code WSAIoctl}
 * returned. Every call that reports through {@code WSAGetLastError} or {@code GetLastError} captures it into this
 * thread's {@link CallState}. Constructed on Windows only.
 */
final class FfmWindowsNative implements WindowsNative {

    /**
     * Loads ws2_32.dll and kernel32.dll and binds their functions.
     *
     * @throws UnsupportedOperationException if this is not Windows (and {@link Linking} was not retargeted)
     */
    FfmWindowsNative() {
        String os = System.getProperty("os.name", "");
        if (!Linking.retargeted() && !os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new UnsupportedOperationException("the Windows RIO provider needs Windows, not " + os);
        }
        // Bind everything now (class initialization), so that a missing DLL or function is reported here.
        Objects.requireNonNull(Ws2_32.Bound.WSAStartup);
        Objects.requireNonNull(Kernel32.Bound.CreateIoCompletionPort);
    }

    @Override
    public int wsaGetLastError() {
        return CallState.wsaLastError();
    }

    @Override
    public int getLastError() {
        return CallState.lastError();
    }

    @Override
    public void bindExtensionFunctions(MemorySegment rioTable, MemorySegment acceptEx,
                                       MemorySegment getAcceptExSockaddrs, MemorySegment connectEx) {
        MsWsock.install(rioTable, acceptEx, getAcceptExSockaddrs, connectEx);
        Objects.requireNonNull(MsWsock.Bound.RIOSend);
    }

    @Override
    public int WSAStartup(short versionRequested, MemorySegment wsaData) {
        try {
            return (int) Ws2_32.Bound.WSAStartup.invokeExact(versionRequested, wsaData);
        } catch (Throwable t) {
            throw unexpected("WSAStartup", t);
        }
    }

    @Override
    public int WSACleanup() {
        try {
            return (int) Ws2_32.Bound.WSACleanup.invokeExact(CallState.current());
        } catch (Throwable t) {
            throw unexpected("WSACleanup", t);
        }
    }

    @Override
    public long WSASocketW(int af, int type, int protocol, MemorySegment protocolInfo, int group, int flags) {
        try {
            return (long) Ws2_32.Bound.WSASocketW.invokeExact(CallState.current(), af, type, protocol, protocolInfo,
                    group, flags);
        } catch (Throwable t) {
            throw unexpected("WSASocketW", t);
        }
    }

    @Override
    public int closesocket(long socket) {
        try {
            return (int) Ws2_32.Bound.closesocket.invokeExact(CallState.current(), socket);
        } catch (Throwable t) {
            throw unexpected("closesocket", t);
        }
    }

    @Override
    public int bind(long socket, MemorySegment name, int nameLength) {
        try {
            return (int) Ws2_32.Bound.bind.invokeExact(CallState.current(), socket, name, nameLength);
        } catch (Throwable t) {
            throw unexpected("bind", t);
        }
    }

    @Override
    public int listen(long socket, int backlog) {
        try {
            return (int) Ws2_32.Bound.listen.invokeExact(CallState.current(), socket, backlog);
        } catch (Throwable t) {
            throw unexpected("listen", t);
        }
    }

    @Override
    public int connect(long socket, MemorySegment name, int nameLength) {
        try {
            return (int) Ws2_32.Bound.connect.invokeExact(CallState.current(), socket, name, nameLength);
        } catch (Throwable t) {
            throw unexpected("connect", t);
        }
    }

    @Override
    public int setsockopt(long socket, int level, int optionName, MemorySegment optionValue, int optionLength) {
        try {
            return (int) Ws2_32.Bound.setsockopt.invokeExact(CallState.current(), socket, level, optionName,
                    optionValue, optionLength);
        } catch (Throwable t) {
            throw unexpected("setsockopt", t);
        }
    }

    @Override
    public int getsockopt(long socket, int level, int optionName, MemorySegment optionValue,
            MemorySegment optionLength) {
        try {
            return (int) Ws2_32.Bound.getsockopt.invokeExact(CallState.current(), socket, level, optionName,
                    optionValue, optionLength);
        } catch (Throwable t) {
            throw unexpected("getsockopt", t);
        }
    }

    @Override
    public int shutdown(long socket, int how) {
        try {
            return (int) Ws2_32.Bound.shutdown.invokeExact(CallState.current(), socket, how);
        } catch (Throwable t) {
            throw unexpected("shutdown", t);
        }
    }

    @Override
    public int getsockname(long socket, MemorySegment name, MemorySegment nameLength) {
        try {
            return (int) Ws2_32.Bound.getsockname.invokeExact(CallState.current(), socket, name, nameLength);
        } catch (Throwable t) {
            throw unexpected("getsockname", t);
        }
    }

    @Override
    public int getpeername(long socket, MemorySegment name, MemorySegment nameLength) {
        try {
            return (int) Ws2_32.Bound.getpeername.invokeExact(CallState.current(), socket, name, nameLength);
        } catch (Throwable t) {
            throw unexpected("getpeername", t);
        }
    }

    @Override
    public int WSAIoctl(long socket, int ioControlCode, MemorySegment in, int inLength, MemorySegment out,
            int outLength, MemorySegment bytesReturned, MemorySegment overlapped, MemorySegment completionRoutine) {
        try {
            return (int) Ws2_32.Bound.WSAIoctl.invokeExact(CallState.current(), socket, ioControlCode, in, inLength,
                    out, outLength, bytesReturned, overlapped, completionRoutine);
        } catch (Throwable t) {
            throw unexpected("WSAIoctl", t);
        }
    }

    @Override
    public int WSAGetOverlappedResult(long socket, MemorySegment overlapped, MemorySegment bytesTransferred,
            int wait, MemorySegment flags) {
        try {
            return (int) Ws2_32.Bound.WSAGetOverlappedResult.invokeExact(CallState.current(), socket, overlapped,
                    bytesTransferred, wait, flags);
        } catch (Throwable t) {
            throw unexpected("WSAGetOverlappedResult", t);
        }
    }

    @Override
    public long CreateIoCompletionPort(long fileHandle, long existingPort, long completionKey, int concurrentThreads) {
        try {
            return (long) Kernel32.Bound.CreateIoCompletionPort.invokeExact(CallState.current(), fileHandle,
                    existingPort, completionKey, concurrentThreads);
        } catch (Throwable t) {
            throw unexpected("CreateIoCompletionPort", t);
        }
    }

    @Override
    public int GetQueuedCompletionStatusEx(long port, MemorySegment entries, int count, MemorySegment entriesRemoved,
            int milliseconds, int alertable) {
        try {
            return (int) Kernel32.Bound.GetQueuedCompletionStatusEx.invokeExact(CallState.current(), port, entries,
                    count, entriesRemoved, milliseconds, alertable);
        } catch (Throwable t) {
            throw unexpected("GetQueuedCompletionStatusEx", t);
        }
    }

    @Override
    public int PostQueuedCompletionStatus(long port, int bytesTransferred, long completionKey,
            MemorySegment overlapped) {
        try {
            return (int) Kernel32.Bound.PostQueuedCompletionStatus.invokeExact(CallState.current(), port,
                    bytesTransferred, completionKey, overlapped);
        } catch (Throwable t) {
            throw unexpected("PostQueuedCompletionStatus", t);
        }
    }

    @Override
    public int CloseHandle(long handle) {
        try {
            return (int) Kernel32.Bound.CloseHandle.invokeExact(CallState.current(), handle);
        } catch (Throwable t) {
            throw unexpected("CloseHandle", t);
        }
    }

    @Override
    public int AcceptEx(long listenSocket, long acceptSocket, MemorySegment outputBuffer, int receiveDataLength,
            int localAddressLength, int remoteAddressLength, MemorySegment bytesReceived, MemorySegment overlapped) {
        try {
            return (int) MsWsock.Bound.AcceptEx.invokeExact(CallState.current(), listenSocket, acceptSocket,
                    outputBuffer, receiveDataLength, localAddressLength, remoteAddressLength, bytesReceived,
                            overlapped);
        } catch (Throwable t) {
            throw unexpected("AcceptEx", t);
        }
    }

    @Override
    public void GetAcceptExSockaddrs(MemorySegment outputBuffer, int receiveDataLength, int localAddressLength,
            int remoteAddressLength, MemorySegment localSockaddr, MemorySegment localSockaddrLength,
                    MemorySegment remoteSockaddr, MemorySegment remoteSockaddrLength) {
        try {
            MsWsock.Bound.GetAcceptExSockaddrs.invokeExact(outputBuffer, receiveDataLength, localAddressLength,
                    remoteAddressLength, localSockaddr, localSockaddrLength, remoteSockaddr, remoteSockaddrLength);
        } catch (Throwable t) {
            throw unexpected("GetAcceptExSockaddrs", t);
        }
    }

    @Override
    public int ConnectEx(long socket, MemorySegment name, int nameLength, MemorySegment sendBuffer,
            int sendDataLength, MemorySegment bytesSent, MemorySegment overlapped) {
        try {
            return (int) MsWsock.Bound.ConnectEx.invokeExact(CallState.current(), socket, name, nameLength,
                    sendBuffer, sendDataLength, bytesSent, overlapped);
        } catch (Throwable t) {
            throw unexpected("ConnectEx", t);
        }
    }

    @Override
    public int RIOReceive(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext) {
        try {
            return (int) MsWsock.Bound.RIOReceive.invokeExact(CallState.current(), requestQueue, pData,
                    dataBufferCount, flags, requestContext);
        } catch (Throwable t) {
            throw unexpected("RIOReceive", t);
        }
    }

    @Override
    public int RIOReceiveEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
            MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                    long requestContext) {
        try {
            return (int) MsWsock.Bound.RIOReceiveEx.invokeExact(CallState.current(), requestQueue, pData,
                    dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext, pFlags, flags, requestContext);
        } catch (Throwable t) {
            throw unexpected("RIOReceiveEx", t);
        }
    }

    @Override
    public int RIOSend(long requestQueue, MemorySegment pData, int dataBufferCount, int flags, long requestContext) {
        try {
            return (int) MsWsock.Bound.RIOSend.invokeExact(CallState.current(), requestQueue, pData, dataBufferCount,
                    flags, requestContext);
        } catch (Throwable t) {
            throw unexpected("RIOSend", t);
        }
    }

    @Override
    public int RIOSendEx(long requestQueue, MemorySegment pData, int dataBufferCount, MemorySegment pLocalAddress,
            MemorySegment pRemoteAddress, MemorySegment pControlContext, MemorySegment pFlags, int flags,
                    long requestContext) {
        try {
            return (int) MsWsock.Bound.RIOSendEx.invokeExact(CallState.current(), requestQueue, pData,
                    dataBufferCount, pLocalAddress, pRemoteAddress, pControlContext, pFlags, flags, requestContext);
        } catch (Throwable t) {
            throw unexpected("RIOSendEx", t);
        }
    }

    @Override
    public void RIOCloseCompletionQueue(long completionQueue) {
        try {
            MsWsock.Bound.RIOCloseCompletionQueue.invokeExact(completionQueue);
        } catch (Throwable t) {
            throw unexpected("RIOCloseCompletionQueue", t);
        }
    }

    @Override
    public long RIOCreateCompletionQueue(int queueSize, MemorySegment notificationCompletion) {
        try {
            return (long) MsWsock.Bound.RIOCreateCompletionQueue.invokeExact(CallState.current(), queueSize,
                    notificationCompletion);
        } catch (Throwable t) {
            throw unexpected("RIOCreateCompletionQueue", t);
        }
    }

    @Override
    public long RIOCreateRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
            int maxOutstandingSend, int maxSendDataBuffers, long receiveCompletionQueue, long sendCompletionQueue,
                    long socketContext) {
        try {
            return (long) MsWsock.Bound.RIOCreateRequestQueue.invokeExact(CallState.current(), socket,
                    maxOutstandingReceive, maxReceiveDataBuffers, maxOutstandingSend, maxSendDataBuffers,
                            receiveCompletionQueue, sendCompletionQueue, socketContext);
        } catch (Throwable t) {
            throw unexpected("RIOCreateRequestQueue", t);
        }
    }

    @Override
    public int RIODequeueCompletion(long completionQueue, MemorySegment array, int arraySize) {
        try {
            return (int) MsWsock.Bound.RIODequeueCompletion.invokeExact(completionQueue, array, arraySize);
        } catch (Throwable t) {
            throw unexpected("RIODequeueCompletion", t);
        }
    }

    @Override
    public void RIODeregisterBuffer(long bufferId) {
        try {
            MsWsock.Bound.RIODeregisterBuffer.invokeExact(bufferId);
        } catch (Throwable t) {
            throw unexpected("RIODeregisterBuffer", t);
        }
    }

    @Override
    public int RIONotify(long completionQueue) {
        try {
            return (int) MsWsock.Bound.RIONotify.invokeExact(completionQueue);
        } catch (Throwable t) {
            throw unexpected("RIONotify", t);
        }
    }

    @Override
    public long RIORegisterBuffer(MemorySegment dataBuffer, int dataLength) {
        try {
            return (long) MsWsock.Bound.RIORegisterBuffer.invokeExact(CallState.current(), dataBuffer, dataLength);
        } catch (Throwable t) {
            throw unexpected("RIORegisterBuffer", t);
        }
    }

    @Override
    public int RIOResizeCompletionQueue(long completionQueue, int queueSize) {
        try {
            return (int) MsWsock.Bound.RIOResizeCompletionQueue.invokeExact(CallState.current(), completionQueue,
                    queueSize);
        } catch (Throwable t) {
            throw unexpected("RIOResizeCompletionQueue", t);
        }
    }

    @Override
    public int RIOResizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend) {
        try {
            return (int) MsWsock.Bound.RIOResizeRequestQueue.invokeExact(CallState.current(), requestQueue,
                    maxOutstandingReceive, maxOutstandingSend);
        } catch (Throwable t) {
            throw unexpected("RIOResizeRequestQueue", t);
        }
    }

    private static RuntimeException unexpected(String function, Throwable t) {
        // A downcall does not throw checked exceptions; anything else is a binding bug worth its stack trace.
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(function + " downcall failed", t);
    }
}
