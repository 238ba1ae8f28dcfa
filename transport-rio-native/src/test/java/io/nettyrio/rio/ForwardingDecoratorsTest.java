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
package io.nettyrio.rio;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The decorator bases {@link ForwardingRegisteredIo}, {@link ForwardingPort} and {@link ForwardingRioSockets} pass
 * every method of their interface through: each is called with distinct arguments on a decorator that overrides
 * nothing, and the wrapped object must see the same method with the same arguments, and its result must come back.
 */
class ForwardingDecoratorsTest {

    /** A delegate that records each call and returns a value derived from the method's name. */
    private static <T> T recorder(Class<T> type, List<String> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            calls.add(method.getName() + Arrays.deepToString(args == null ? new Object[0] : args));
            return result(method);
        }));
    }

    private static Object result(Method method) throws Exception {
        Class<?> r = method.getReturnType();
        if (r == long.class) {
            return (long) method.getName().hashCode();
        }
        if (r == int.class) {
            return method.getName().length();
        }
        if (r == InetSocketAddress.class) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), method.getName().length());
        }
        return null;
    }

    /** Distinct arguments for each parameter, so a swapped pair would show. */
    private static Object[] arguments(Method method, Port port) throws Exception {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == long.class) {
                args[i] = 1000L + i;
            } else if (t == int.class) {
                args[i] = 100 + i;
            } else if (t == MemorySegment.class) {
                args[i] = MemorySegment.ofAddress(0x1000 + i);
            } else if (t == Port.class) {
                args[i] = port;
            } else if (t == PortCompletions.class) {
                args[i] = new PortCompletions(1 + i);
            } else if (t == InetSocketAddress.class) {
                args[i] = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + i);
            } else if (t == InetAddress.class || t == java.net.Inet4Address.class) {
                args[i] = InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i});
            } else if (t == RioSocketOption.class) {
                args[i] = RioSocketOption.values()[i % RioSocketOption.values().length];
            } else {
                throw new AssertionError("no argument for " + t + " in " + method);
            }
        }
        return args;
    }

    private static <T> void assertForwardsEverything(Class<T> type, T decorator, List<String> calls, Port port)
            throws Exception {
        int methods = 0;
        for (Method method : type.getMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            calls.clear();
            Object[] args = arguments(method, port);
            Object returned;
            try {
                returned = method.invoke(decorator, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(method + " threw", e.getCause());
            }
            assertEquals(List.of(method.getName() + Arrays.deepToString(args)), calls, method.toString());
            assertEquals(result(method), returned, method.toString());
            methods++;
        }
        assertEquals(type.getMethods().length, methods, "every method of " + type.getSimpleName() + " was called");
    }

    @Test
    void forwardingRegisteredIoPassesEveryCall() throws Exception {
        List<String> calls = new ArrayList<>();
        RegisteredIo delegate = recorder(RegisteredIo.class, calls);
        ForwardingRegisteredIo decorator = new ForwardingRegisteredIo(delegate) {
        };
        assertSame(delegate, decorator.delegate());
        assertForwardsEverything(RegisteredIo.class, decorator, calls, null);
    }

    @Test
    void forwardingPortPassesEveryCall() throws Exception {
        List<String> calls = new ArrayList<>();
        Port delegate = recorder(Port.class, calls);
        ForwardingPort decorator = new ForwardingPort(delegate) {
        };
        assertSame(delegate, decorator.delegate());
        assertForwardsEverything(Port.class, decorator, calls, null);
    }

    @Test
    void forwardingRioSocketsPassesEveryCallAndItsOwnPorts() throws Exception {
        List<String> calls = new ArrayList<>();
        RioSockets delegate = recorder(RioSockets.class, calls);
        Port port = recorder(Port.class, new ArrayList<>());
        ForwardingRioSockets decorator = new ForwardingRioSockets(delegate) {
        };
        // Without an unwrap of its own, a decorator hands the provider the port it was given.
        assertForwardsEverything(RioSockets.class, decorator, calls, port);
    }

    @Test
    void unwrapPeelsOnlyItsOwnLayer() {
        Port raw = recorder(Port.class, new ArrayList<>());
        final class Inner extends ForwardingPort {
            Inner(Port delegate) {
                super(delegate);
            }
        }
        final class Outer extends ForwardingPort {
            Outer(Port delegate) {
                super(delegate);
            }
        }
        Port inner = new Inner(raw);
        Port outer = new Outer(inner);
        assertSame(inner, ForwardingPort.unwrap(outer, Outer.class));
        assertSame(outer, ForwardingPort.unwrap(outer, Inner.class));
        assertSame(raw, ForwardingPort.unwrap(inner, Inner.class));
        assertSame(raw, ForwardingPort.unwrap(raw, Inner.class));
        assertArrayEquals(new Object[] {raw}, new Object[] {((ForwardingPort) inner).delegate()});
    }
}
