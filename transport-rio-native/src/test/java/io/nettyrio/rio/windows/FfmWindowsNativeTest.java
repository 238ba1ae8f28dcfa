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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The FFM binding layer itself, on an OS without the Windows DLLs: {@link Linking} is retargeted so that every
 * symbol of ws2_32 and kernel32, and every slot of a RIO function table and the three extension pointers, is a
 * Java upcall stub with the same descriptor. Each {@link FfmWindowsNative} method is then called through a real
 * downcall, and the upcall checks which function it reached and what arguments arrived in which order, and returns
 * a value that must come back. This checks the symbol names, the table slot of each RIO function, the
 * {@code invokeExact} types and argument order, and (through {@code errno}, the one capturable state here) the
 * error capture. The descriptors themselves are checked against the C signatures in
 * {@link WindowsDescriptorsTest}.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "on Windows the bindings link to the real DLLs "
        + "(WindowsRioLoopbackTest); retargeting them is only possible before that")
class FfmWindowsNativeTest {
    /** The descriptor of each function, by its exported name. */
    private static final Map<String, FunctionDescriptor> DESCRIPTORS = new HashMap<>();
    private static final List<String> LOOKED_UP = new ArrayList<>();
    private static final List<Object[]> CALLS = new ArrayList<>();
    private static final Map<String, Integer> ERRNO = new HashMap<>();
    private static MethodHandle errnoLocation;
    private static FfmWindowsNative api;

    static {
        d(Ws2_32.WSAStartup, "WSAStartup");
        d(Ws2_32.WSACleanup, "WSACleanup");
        d(Ws2_32.WSASocketW, "WSASocketW");
        d(Ws2_32.closesocket, "closesocket");
        d(Ws2_32.bind, "bind", "connect");
        d(Ws2_32.listen, "listen", "shutdown");
        d(Ws2_32.setsockopt, "setsockopt");
        d(Ws2_32.getsockopt, "getsockopt");
        d(Ws2_32.getsockname, "getsockname", "getpeername");
        d(Ws2_32.WSAIoctl, "WSAIoctl");
        d(Ws2_32.WSAGetOverlappedResult, "WSAGetOverlappedResult");
        d(Kernel32.CreateIoCompletionPort, "CreateIoCompletionPort");
        d(Kernel32.GetQueuedCompletionStatusEx, "GetQueuedCompletionStatusEx");
        d(Kernel32.PostQueuedCompletionStatus, "PostQueuedCompletionStatus");
        d(Kernel32.CloseHandle, "CloseHandle");
        d(MsWsock.RIOReceive, "RIOReceive", "RIOSend");
        d(MsWsock.RIOReceiveEx, "RIOReceiveEx", "RIOSendEx");
        d(MsWsock.RIOCloseCompletionQueue, "RIOCloseCompletionQueue", "RIODeregisterBuffer");
        d(MsWsock.RIOCreateCompletionQueue, "RIOCreateCompletionQueue");
        d(MsWsock.RIOCreateRequestQueue, "RIOCreateRequestQueue");
        d(MsWsock.RIODequeueCompletion, "RIODequeueCompletion");
        d(MsWsock.RIONotify, "RIONotify");
        d(MsWsock.RIORegisterBuffer, "RIORegisterBuffer");
        d(MsWsock.RIOResizeCompletionQueue, "RIOResizeCompletionQueue");
        d(MsWsock.RIOResizeRequestQueue, "RIOResizeRequestQueue");
        d(MsWsock.AcceptEx, "AcceptEx");
        d(MsWsock.GetAcceptExSockaddrs, "GetAcceptExSockaddrs");
        d(MsWsock.ConnectEx, "ConnectEx");
    }

    private static void d(FunctionDescriptor descriptor, String... names) {
        for (String name : names) {
            DESCRIPTORS.put(name, descriptor);
        }
    }

    @BeforeAll
    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    static void linkToUpcalls() throws Exception {
        Linker linker = Linker.nativeLinker();
        errnoLocation = linker.downcallHandle(linker.defaultLookup().findOrThrow("__errno_location"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        Linking.retarget(new Linking.Target(library -> (SymbolLookup) name -> {
            LOOKED_UP.add(library + "!" + name);
            return Optional.of(stub(name));
        }, "errno", "errno"));
        api = new FfmWindowsNative();
        MemorySegment table = Arena.global().allocate(RioFunctionTable.RIO_EXTENSION_FUNCTION_TABLE);
        for (String function : RioFunctionTable.FUNCTIONS) {
            table.set(ValueLayout.ADDRESS, RioFunctionTable.offsetOf(function), stub(function));
        }
        api.bindExtensionFunctions(table, stub("AcceptEx"), stub("GetAcceptExSockaddrs"), stub("ConnectEx"));
    }

    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    private static MemorySegment stub(String name) {
        FunctionDescriptor descriptor = DESCRIPTORS.get(name);
        if (descriptor == null) {
            throw new AssertionError("looked up an unknown function: " + name);
        }
        try {
            MethodHandle handler = MethodHandles.lookup().findStatic(FfmWindowsNativeTest.class, "upcall",
                    MethodType.methodType(Object.class, String.class, Class.class, Object[].class));
            MethodType type = descriptor.toMethodType();
            MethodHandle target = MethodHandles.insertArguments(handler, 0, name, type.returnType())
                    .asCollector(Object[].class, type.parameterCount()).asType(type);
            return Linker.nativeLinker().upcallStub(target, descriptor, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The value every function returns: derived from its name, so a call that reached another function shows. */
    private static long returned(String name) {
        return 1000 + Math.abs(name.hashCode() % 100_000);
    }

    // Restricted FFM call: the tests run with native access granted (docs/architecture.md, "Java modules").
    @SuppressWarnings("restricted")
    private static Object upcall(String name, Class<?> returnType, Object[] args) throws Throwable {
        Object[] call = new Object[args.length + 1];
        call[0] = name;
        for (int i = 0; i < args.length; i++) {
            call[i + 1] = args[i] instanceof MemorySegment s ? s.address() : args[i];
        }
        CALLS.add(call);
        Integer errno = ERRNO.get(name);
        if (errno != null) {
            MemorySegment location = ((MemorySegment) errnoLocation.invokeExact()).reinterpret(4);
            location.set(ValueLayout.JAVA_INT, 0, errno);
        }
        if (returnType == int.class) {
            return (int) returned(name);
        }
        if (returnType == long.class) {
            return returned(name);
        }
        return null;
    }

    @Test
    void everyDowncallReachesItsFunctionWithItsArguments() throws Exception {
        int checked = 0;
        for (Method method : WindowsNative.class.getDeclaredMethods()) {
            String name = method.getName();
            if (Modifier.isStatic(method.getModifiers()) || name.equals("wsaGetLastError")
                    || name.equals("getLastError") || name.equals("bindExtensionFunctions")) {
                continue;
            }
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            Object[] expected = new Object[types.length + 1];
            expected[0] = name;
            for (int i = 0; i < types.length; i++) {
                long distinct = 0x5000L + 16 * i + name.length();
                if (types[i] == int.class) {
                    args[i] = (int) distinct;
                } else if (types[i] == long.class) {
                    args[i] = distinct << 20;
                } else if (types[i] == short.class) {
                    args[i] = (short) distinct;
                } else {
                    args[i] = MemorySegment.ofAddress(distinct << 4);
                }
                expected[i + 1] = args[i] instanceof MemorySegment s ? s.address() : args[i];
            }
            CALLS.clear();
            Object result = FfmWindowsNative.class.getMethod(name, types).invoke(api, args);
            assertEquals(1, CALLS.size(), name);
            assertEquals(Arrays.asList(expected), Arrays.asList(CALLS.get(0)), name);
            if (method.getReturnType() == int.class) {
                assertEquals((int) returned(name), result, name);
            } else if (method.getReturnType() == long.class) {
                assertEquals(returned(name), result, name);
            }
            checked++;
        }
        assertEquals(34, checked, "every downcall of WindowsNative");
    }

    @Test
    void librariesAreLookedUpByTheirWindowsNames() {
        // The RIO and extension functions are not looked up: they come from WSAIoctl's pointers.
        Set<String> expected = Set.of("ws2_32!WSAStartup", "ws2_32!WSACleanup", "ws2_32!WSASocketW",
                "ws2_32!closesocket", "ws2_32!bind", "ws2_32!listen", "ws2_32!connect", "ws2_32!setsockopt",
                "ws2_32!getsockopt", "ws2_32!shutdown", "ws2_32!getsockname", "ws2_32!getpeername",
                "ws2_32!WSAIoctl", "ws2_32!WSAGetOverlappedResult", "kernel32!CreateIoCompletionPort",
                "kernel32!GetQueuedCompletionStatusEx", "kernel32!PostQueuedCompletionStatus",
                "kernel32!CloseHandle");
        assertEquals(expected, new HashSet<>(LOOKED_UP));
    }

    @Test
    void errorsAreCapturedRightAfterTheCall() {
        ERRNO.put("closesocket", 10038);
        ERRNO.put("RIOSend", 10055);
        ERRNO.put("PostQueuedCompletionStatus", 6);
        try {
            api.closesocket(1);
            assertEquals(10038, api.wsaGetLastError());
            api.RIOSend(1, MemorySegment.NULL, 0, 0, 0);
            assertEquals(10055, api.wsaGetLastError());
            api.PostQueuedCompletionStatus(1, 0, 0, MemorySegment.NULL);
            assertEquals(6, api.getLastError());
        } finally {
            ERRNO.clear();
        }
    }
}
