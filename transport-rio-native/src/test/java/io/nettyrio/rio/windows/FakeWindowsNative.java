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

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A fake of every downcall, for testing the provider's logic on any OS. It records each call with its arguments
 * (the bytes of every struct argument as they were at the call), succeeds by default, and can be scripted: a call
 * that fails with an error ({@link #failNext}), values the kernel would write (addresses, options, completion
 * packets, overlapped results). Failures set the captured error exactly as {@code captureCallState} would.
 */
final class FakeWindowsNative implements WindowsNative {
    /** The fake RIO table's first function pointer; entry i is {@code RIO_TABLE_BASE + 16 * i}. */
    static final long RIO_TABLE_BASE = 0x7FF0_0000_1000L;
    static final long ACCEPTEX = 0x7FF0_0000_2000L;
    static final long GETACCEPTEXSOCKADDRS = 0x7FF0_0000_3000L;
    static final long CONNECTEX = 0x7FF0_0000_4000L;
    static final long PORT_HANDLE = 0x4A0L;

    /** One recorded call: struct arguments are {@link Seg} snapshots, NULL pointers are {@code null}. */
    record Call(String function, List<Object> args) {
        Object arg(int i) {
            return args.get(i);
        }

        long longArg(int i) {
            return ((Number) args.get(i)).longValue();
        }

        int intArg(int i) {
            return ((Number) args.get(i)).intValue();
        }

        Seg seg(int i) {
            return (Seg) args.get(i);
        }
    }

    /** A pointer argument: its address and the bytes it pointed to at the call. */
    record Seg(long address, byte[] bytes) {
        @Override
        public String toString() {
            return "Seg@" + Long.toHexString(address) + Arrays.toString(bytes);
        }
    }

    /** A completion packet for {@code GetQueuedCompletionStatusEx}. */
    record Packet(long key, long overlapped, int bytes) {
    }

    final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Integer>> failures = new HashMap<>();
    private int wsaLastError;
    private int lastError;
    private long nextSocket = 0x100;

    // scripted kernel state
    short wsaVersion = WindowsConstants.WINSOCK_VERSION_2_2;
    int startupResult;
    final Deque<Packet> packets = new ArrayDeque<>();
    final Map<Long, Integer> overlappedStatus = new HashMap<>();
    final Deque<Integer> acceptExReturns = new ArrayDeque<>();
    final Deque<Integer> notifyReturns = new ArrayDeque<>();
    final Deque<Integer> dequeueReturns = new ArrayDeque<>();
    final Set<Long> closedSockets = new HashSet<>();
    final Set<String> nullTableEntries = new HashSet<>();
    byte[] sockname;
    byte[] peername;
    byte[] optionValue = new byte[4];
    int optionLength = 4;
    int socketsOpen;
    MemorySegment boundTable;
    long boundAcceptEx;
    long boundGetAcceptExSockaddrs;
    long boundConnectEx;

    /**
     * The next call of {@code function} fails and captures {@code error}; an error of 0 lets that call succeed, so
     * that a later one can be made to fail.
     */
    FakeWindowsNative failNext(String function, int error) {
        failures.computeIfAbsent(function, f -> new ArrayDeque<>()).add(error);
        return this;
    }

    List<Call> calls(String function) {
        return calls.stream().filter(c -> c.function().equals(function)).toList();
    }

    Call last(String function) {
        List<Call> all = calls(function);
        if (all.isEmpty()) {
            throw new AssertionError("no call of " + function + " in " + names());
        }
        return all.get(all.size() - 1);
    }

    int count(String function) {
        return calls(function).size();
    }

    List<String> names() {
        return calls.stream().map(Call::function).toList();
    }

    private void record(String function, Object... args) {
        List<Object> list = new ArrayList<>(args.length);
        for (Object arg : args) {
            if (arg instanceof MemorySegment s) {
                list.add(s.equals(MemorySegment.NULL) ? null : new Seg(s.address(), s.toArray(JAVA_BYTE)));
            } else {
                list.add(arg);
            }
        }
        calls.add(new Call(function, List.copyOf(list.stream().map(o -> o == null ? (Object) "NULL" : o).toList())));
    }

    /** Whether this call was scripted to fail; if so its error is captured (WSAGetLastError). */
    private boolean fails(String function) {
        Deque<Integer> d = failures.get(function);
        Integer error = d == null ? null : d.poll();
        if (error == null || error == 0) {
            return false;
        }
        wsaLastError = error;
        lastError = error;
        return true;
    }

    @Override
    public int wsaGetLastError() {
        return wsaLastError;
    }

    @Override
    public int getLastError() {
        return lastError;
    }

    @Override
    public int WSAStartup(short versionRequested, MemorySegment wsaData) {
        record("WSAStartup", versionRequested, wsaData);
        if (startupResult == 0) {
            wsaData.set(JAVA_SHORT, 0, wsaVersion);
            wsaData.set(JAVA_SHORT, 2, (short) 0x0202);
        }
        return startupResult;
    }

    @Override
    public int WSACleanup() {
        record("WSACleanup");
        return fails("WSACleanup") ? -1 : 0;
    }

    @Override
    public long WSASocketW(int af, int type, int protocol, MemorySegment protocolInfo, int group, int flags) {
        record("WSASocketW", af, type, protocol, protocolInfo, group, flags);
        if (fails("WSASocketW")) {
            return WindowsConstants.INVALID_SOCKET;
        }
        socketsOpen++;
        return nextSocket++;
    }

    @Override
    public int closesocket(long socket) {
        record("closesocket", socket);
        if (fails("closesocket")) {
            return -1;
        }
        socketsOpen--;
        closedSockets.add(socket);
        return 0;
    }

    @Override
    public int bind(long socket, MemorySegment name, int nameLength) {
        record("bind", socket, name, nameLength);
        return fails("bind") ? -1 : 0;
    }

    @Override
    public int listen(long socket, int backlog) {
        record("listen", socket, backlog);
        return fails("listen") ? -1 : 0;
    }

    @Override
    public int connect(long socket, MemorySegment name, int nameLength) {
        record("connect", socket, name, nameLength);
        return fails("connect") ? -1 : 0;
    }

    @Override
    public int setsockopt(long socket, int level, int optionName, MemorySegment optionValue, int optionLength) {
        record("setsockopt", socket, level, optionName, optionValue, optionLength);
        return fails("setsockopt") ? -1 : 0;
    }

    @Override
    public int getsockopt(long socket, int level, int optionName, MemorySegment value, MemorySegment length) {
        record("getsockopt", socket, level, optionName, value, length);
        if (fails("getsockopt")) {
            return -1;
        }
        MemorySegment.copy(optionValue, 0, value, JAVA_BYTE, 0, optionValue.length);
        length.set(JAVA_INT, 0, optionLength);
        return 0;
    }

    @Override
    public int shutdown(long socket, int how) {
        record("shutdown", socket, how);
        return fails("shutdown") ? -1 : 0;
    }

    @Override
    public int getsockname(long socket, MemorySegment name, MemorySegment nameLength) {
        record("getsockname", socket, name, nameLength);
        return address("getsockname", sockname, name, nameLength);
    }

    @Override
    public int getpeername(long socket, MemorySegment name, MemorySegment nameLength) {
        record("getpeername", socket, name, nameLength);
        return address("getpeername", peername, name, nameLength);
    }

    private int address(String function, byte[] value, MemorySegment name, MemorySegment nameLength) {
        if (fails(function)) {
            return -1;
        }
        MemorySegment.copy(value, 0, name, JAVA_BYTE, 0, value.length);
        nameLength.set(JAVA_INT, 0, value.length);
        return 0;
    }

    @Override
    public int WSAIoctl(long socket, int ioControlCode, MemorySegment in, int inLength, MemorySegment out,
                        int outLength, MemorySegment bytesReturned, MemorySegment overlapped,
                        MemorySegment completionRoutine) {
        record("WSAIoctl", socket, ioControlCode, in, inLength, out, outLength, bytesReturned, overlapped,
                completionRoutine);
        if (fails("WSAIoctl")) {
            return -1;
        }
        if (ioControlCode == WindowsConstants.SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) {
            for (int i = 0; i < RioFunctionTable.FUNCTIONS.size(); i++) {
                String name = RioFunctionTable.FUNCTIONS.get(i);
                long pointer = nullTableEntries.contains(name) ? 0 : RIO_TABLE_BASE + 16L * i;
                out.set(JAVA_LONG, 8 + 8L * i, pointer);
            }
            bytesReturned.set(JAVA_INT, 0, outLength);
        } else if (ioControlCode == WindowsConstants.SIO_GET_EXTENSION_FUNCTION_POINTER) {
            int data1 = in.get(JAVA_INT, 0);
            long pointer = switch (data1) {
                case 0xb5367df1 -> ACCEPTEX;
                case 0xb5367df2 -> GETACCEPTEXSOCKADDRS;
                case 0x25a207b9 -> CONNECTEX;
                default -> 0;
            };
            if (pointer == 0) {
                wsaLastError = WsaError.WSAEINVAL;
                return -1;
            }
            out.set(JAVA_LONG, 0, pointer);
            bytesReturned.set(JAVA_INT, 0, 8);
        } else if (ioControlCode != WindowsConstants.SIO_UDP_CONNRESET) {
            throw new AssertionError("unexpected ioctl " + Integer.toHexString(ioControlCode));
        }
        return 0;
    }

    @Override
    public int WSAGetOverlappedResult(long socket, MemorySegment overlapped, MemorySegment bytesTransferred,
                                      int wait, MemorySegment flags) {
        record("WSAGetOverlappedResult", socket, overlapped, bytesTransferred, wait, flags);
        int status = overlappedStatus.getOrDefault(overlapped.address(), 0);
        if (status != 0) {
            wsaLastError = status;
            return 0;
        }
        bytesTransferred.set(JAVA_INT, 0, 0);
        return 1;
    }

    @Override
    public long CreateIoCompletionPort(long fileHandle, long existingPort, long completionKey,
                                       int concurrentThreads) {
        record("CreateIoCompletionPort", fileHandle, existingPort, completionKey, concurrentThreads);
        if (fails("CreateIoCompletionPort")) {
            return 0;
        }
        return existingPort == 0 ? PORT_HANDLE : existingPort;
    }

    @Override
    public int GetQueuedCompletionStatusEx(long port, MemorySegment entries, int count,
                                           MemorySegment entriesRemoved, int milliseconds, int alertable) {
        record("GetQueuedCompletionStatusEx", port, entries, count, entriesRemoved, milliseconds, alertable);
        if (fails("GetQueuedCompletionStatusEx")) {
            return 0;
        }
        if (packets.isEmpty()) {
            lastError = WsaError.WAIT_TIMEOUT;
            return 0;
        }
        int n = 0;
        while (n < count && !packets.isEmpty()) {
            Packet p = packets.poll();
            long base = 32L * n;
            entries.set(JAVA_LONG, base, p.key());
            entries.set(JAVA_LONG, base + 8, p.overlapped());
            entries.set(JAVA_LONG, base + 16, 0xDEADL);
            entries.set(JAVA_INT, base + 24, p.bytes());
            n++;
        }
        entriesRemoved.set(JAVA_INT, 0, n);
        return 1;
    }

    @Override
    public int PostQueuedCompletionStatus(long port, int bytesTransferred, long completionKey,
                                          MemorySegment overlapped) {
        record("PostQueuedCompletionStatus", port, bytesTransferred, completionKey, overlapped.address());
        if (fails("PostQueuedCompletionStatus")) {
            return 0;
        }
        packets.add(new Packet(completionKey, overlapped.address(), bytesTransferred));
        return 1;
    }

    @Override
    public int CloseHandle(long handle) {
        record("CloseHandle", handle);
        return fails("CloseHandle") ? 0 : 1;
    }

    @Override
    public void bindExtensionFunctions(MemorySegment rioTable, MemorySegment acceptEx,
                                       MemorySegment getAcceptExSockaddrs, MemorySegment connectEx) {
        record("bindExtensionFunctions", rioTable, acceptEx.address(), getAcceptExSockaddrs.address(),
                connectEx.address());
        boundTable = Arena.ofAuto().allocate(rioTable.byteSize(), 8).copyFrom(rioTable);
        boundAcceptEx = acceptEx.address();
        boundGetAcceptExSockaddrs = getAcceptExSockaddrs.address();
        boundConnectEx = connectEx.address();
    }

    @Override
    public int AcceptEx(long listenSocket, long acceptSocket, MemorySegment outputBuffer, int receiveDataLength,
                        int localAddressLength, int remoteAddressLength, MemorySegment bytesReceived,
                        MemorySegment overlapped) {
        record("AcceptEx", listenSocket, acceptSocket, outputBuffer, receiveDataLength, localAddressLength,
                remoteAddressLength, bytesReceived, overlapped);
        if (fails("AcceptEx")) {
            return 0;
        }
        Integer scripted = acceptExReturns.poll();
        if (scripted != null) {
            return scripted;
        }
        wsaLastError = WsaError.WSA_IO_PENDING;
        return 0;
    }

    @Override
    public void GetAcceptExSockaddrs(MemorySegment outputBuffer, int receiveDataLength, int localAddressLength,
                                     int remoteAddressLength, MemorySegment localSockaddr,
                                     MemorySegment localSockaddrLength, MemorySegment remoteSockaddr,
                                     MemorySegment remoteSockaddrLength) {
        record("GetAcceptExSockaddrs", outputBuffer, receiveDataLength, localAddressLength, remoteAddressLength);
    }

    @Override
    public int ConnectEx(long socket, MemorySegment name, int nameLength, MemorySegment sendBuffer,
                         int sendDataLength, MemorySegment bytesSent, MemorySegment overlapped) {
        record("ConnectEx", socket, name, nameLength, sendBuffer, sendDataLength, bytesSent, overlapped);
        if (fails("ConnectEx")) {
            return 0;
        }
        wsaLastError = WsaError.WSA_IO_PENDING;
        return 0;
    }

    @Override
    public int RIOReceive(long rq, MemorySegment pData, int count, int flags, long context) {
        record("RIOReceive", rq, pData, count, flags, context);
        return fails("RIOReceive") ? 0 : 1;
    }

    @Override
    public int RIOReceiveEx(long rq, MemorySegment pData, int count, MemorySegment local, MemorySegment remote,
                            MemorySegment control, MemorySegment pFlags, int flags, long context) {
        record("RIOReceiveEx", rq, pData, count, local, remote, control, pFlags, flags, context);
        return fails("RIOReceiveEx") ? 0 : 1;
    }

    @Override
    public int RIOSend(long rq, MemorySegment pData, int count, int flags, long context) {
        record("RIOSend", rq, pData, count, flags, context);
        return fails("RIOSend") ? 0 : 1;
    }

    @Override
    public int RIOSendEx(long rq, MemorySegment pData, int count, MemorySegment local, MemorySegment remote,
                         MemorySegment control, MemorySegment pFlags, int flags, long context) {
        record("RIOSendEx", rq, pData, count, local, remote, control, pFlags, flags, context);
        return fails("RIOSendEx") ? 0 : 1;
    }

    @Override
    public void RIOCloseCompletionQueue(long completionQueue) {
        record("RIOCloseCompletionQueue", completionQueue);
    }

    @Override
    public long RIOCreateCompletionQueue(int queueSize, MemorySegment notificationCompletion) {
        record("RIOCreateCompletionQueue", queueSize, notificationCompletion);
        return fails("RIOCreateCompletionQueue") ? RioConstants.RIO_INVALID_CQ : 0xC0L;
    }

    @Override
    public long RIOCreateRequestQueue(long socket, int maxOutstandingReceive, int maxReceiveDataBuffers,
                                      int maxOutstandingSend, int maxSendDataBuffers, long receiveCq, long sendCq,
                                      long socketContext) {
        record("RIOCreateRequestQueue", socket, maxOutstandingReceive, maxReceiveDataBuffers, maxOutstandingSend,
                maxSendDataBuffers, receiveCq, sendCq, socketContext);
        return fails("RIOCreateRequestQueue") ? RioConstants.RIO_INVALID_RQ : 0xA0L;
    }

    @Override
    public int RIODequeueCompletion(long completionQueue, MemorySegment array, int arraySize) {
        record("RIODequeueCompletion", completionQueue, array.address(), arraySize);
        Integer n = dequeueReturns.poll();
        return n == null ? 0 : n;
    }

    @Override
    public void RIODeregisterBuffer(long bufferId) {
        record("RIODeregisterBuffer", bufferId);
    }

    @Override
    public int RIONotify(long completionQueue) {
        record("RIONotify", completionQueue);
        Integer code = notifyReturns.poll();
        return code == null ? 0 : code;
    }

    @Override
    public long RIORegisterBuffer(MemorySegment dataBuffer, int dataLength) {
        record("RIORegisterBuffer", dataBuffer.address(), dataLength);
        return fails("RIORegisterBuffer") ? RioConstants.RIO_INVALID_BUFFERID : 0xB0L;
    }

    @Override
    public int RIOResizeCompletionQueue(long completionQueue, int queueSize) {
        record("RIOResizeCompletionQueue", completionQueue, queueSize);
        return fails("RIOResizeCompletionQueue") ? 0 : 1;
    }

    @Override
    public int RIOResizeRequestQueue(long requestQueue, int maxOutstandingReceive, int maxOutstandingSend) {
        record("RIOResizeRequestQueue", requestQueue, maxOutstandingReceive, maxOutstandingSend);
        return fails("RIOResizeRequestQueue") ? 0 : 1;
    }

    /** Reads the fake table pointer the provider bound for {@code function}. */
    long boundPointer(String function) {
        return boundTable.get(ADDRESS, RioFunctionTable.offsetOf(function)).address();
    }
}
