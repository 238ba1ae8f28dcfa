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

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link Rio} picks a provider among the {@link RioProvider} services, and what it says when none opens: a
 * provider for another OS refuses with {@link UnsupportedOperationException}; any other failure is the reason.
 */
class RioProviderSelectionTest {

    private static ServiceLoader.Provider<RioProvider> candidate(Supplier<RioProvider> constructor) {
        return new ServiceLoader.Provider<>() {
            @Override
            public Class<? extends RioProvider> type() {
                return RioProvider.class;
            }

            @Override
            public RioProvider get() {
                try {
                    return constructor.get();
                } catch (RuntimeException e) {
                    // What ServiceLoader does with a constructor's exception.
                    throw new ServiceConfigurationError("RioProvider: could not be instantiated", e);
                }
            }
        };
    }

    private static ServiceLoader.Provider<RioProvider> refusing(String why) {
        return candidate(() -> {
            throw new UnsupportedOperationException(why);
        });
    }

    private static ServiceLoader.Provider<RioProvider> failing(RuntimeException e) {
        return candidate(() -> {
            throw e;
        });
    }

    private static final RioProvider OPENED = (RioProvider) java.lang.reflect.Proxy.newProxyInstance(
            RioProvider.class.getClassLoader(), new Class<?>[] {RioProvider.class}, (p, m, a) -> null);

    @Test
    void theFirstProviderThatOpensIsTaken() throws Exception {
        assertSame(OPENED, Rio.firstThatOpens(List.of(refusing("not Linux"), candidate(() -> OPENED),
                failing(new IllegalStateException("never asked")))));
    }

    @Test
    void aRealFailureIsTheCauseAsItIs() {
        IllegalStateException disabled = new IllegalStateException("io_uring is disabled");
        Exception e = assertThrows(Exception.class, () -> Rio.firstThatOpens(List.of(failing(disabled),
                refusing("the Windows RIO provider needs Windows 8 or later, not Linux"))));
        assertSame(disabled, e);
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0] instanceof UnsupportedOperationException);
    }

    @Test
    void everyProviderRefusingNamesTheOsAndEachReason() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () ->
                Rio.firstThatOpens(List.of(refusing("the io_uring provider needs Linux, not Plan 9"),
                        refusing("the Windows RIO provider needs Windows 8 or later, not Plan 9"))));
        assertTrue(e.getMessage().startsWith("no RIO provider for " + System.getProperty("os.name")),
                e.getMessage());
        assertTrue(e.getMessage().contains("needs Linux, not Plan 9"), e.getMessage());
        assertTrue(e.getMessage().contains("needs Windows 8 or later, not Plan 9"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
    }

    @Test
    void noDeclaredServiceSaysSo() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () ->
                Rio.firstThatOpens(List.of()));
        assertTrue(e.getMessage().contains("no RioProvider service is declared"), e.getMessage());
    }

    @Test
    void bothProvidersAreDeclaredServices() {
        List<String> types = ServiceLoader.load(RioProvider.class, Rio.class.getClassLoader()).stream()
                .map(p -> p.type().getName()).toList();
        assertEquals(List.of("io.nettyrio.rio.uring.IoUringProvider", "io.nettyrio.rio.windows.WindowsProvider"),
                types);
    }
}
