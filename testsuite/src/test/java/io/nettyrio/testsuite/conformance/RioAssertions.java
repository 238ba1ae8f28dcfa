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
package io.nettyrio.testsuite.conformance;

import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.rules.RioRuleViolation;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on the model's errors: the exact exception type and Winsock code. */
final class RioAssertions {
    private RioAssertions() {
    }

    /** Asserts that {@code call} throws a {@link RioException} with exactly {@code wsaError}. */
    static RioException assertWsa(int wsaError, Executable call) {
        RioException e = assertThrows(RioException.class, call,
                () -> "expected a RioException with " + WsaError.name(wsaError));
        assertEquals(wsaError, e.wsaError(),
                () -> "expected " + WsaError.name(wsaError) + " but got " + e.getMessage());
        return e;
    }

    /**
     * Asserts that {@code call} throws a {@link RioException} with one of {@code wsaErrors}: for the few cases where
     * the documentation allows more than one code (each use says why).
     */
    static RioException assertWsaOneOf(Executable call, int... wsaErrors) {
        RioException e = assertThrows(RioException.class, call);
        assertTrue(Arrays.stream(wsaErrors).anyMatch(c -> c == e.wsaError()),
                () -> "expected one of " + Arrays.stream(wsaErrors).mapToObj(WsaError::name)
                        .collect(Collectors.joining(", ")) + " but got " + e.getMessage());
        return e;
    }

    /**
     * Asserts that {@code call} is refused as the documentation says: a {@link RioException} with one of
     * {@code wsaErrors}. Where RioRules checks {@code io}, the refusal may instead be its {@link RioRuleViolation}
     * of {@code rule}: RioRules fails fast, before the provider, on a breach that real RIO does not always report
     * (a deregistered buffer is a use after free on Windows). Either way the request was not started.
     */
    static void assertRefused(RegisteredIo io, RioRules.Rule rule, Executable call, int... wsaErrors) {
        if (RioRules.isChecked(io)) {
            Throwable t = assertThrows(Throwable.class, call);
            if (t instanceof RioRuleViolation v) {
                assertEquals(rule, v.rule(), () -> "RioRules refused the call for another rule: " + v.getMessage());
                return;
            }
            if (!(t instanceof RioException)) {
                fail("expected a RioException or RioRules' " + rule + " violation, but got " + t, t);
            }
        }
        assertWsaOneOf(call, wsaErrors);
    }

    /**
     * Asserts that a call whose pointer argument is bad (freed, heap, too short) is refused: WSAEFAULT ("an invalid
     * pointer address"), or, where RioRules checks {@code io}, RioRules' {@link IllegalArgumentException} for a
     * {@code RIO_BUF} that is not native memory of 16 bytes.
     */
    static void assertBadPointer(RegisteredIo io, Executable call) {
        if (RioRules.isChecked(io)) {
            Throwable t = assertThrows(Throwable.class, call);
            if (t.getClass() == IllegalArgumentException.class) {
                return;
            }
            if (!(t instanceof RioException)) {
                fail("expected WSAEFAULT or IllegalArgumentException, but got " + t, t);
            }
        }
        assertWsa(WsaError.WSAEFAULT, call);
    }

    /** Asserts that {@code call} throws exactly an {@link IllegalArgumentException}. */
    static IllegalArgumentException assertIllegalArgument(Executable call) {
        try {
            call.execute();
        } catch (Throwable t) {
            if (t.getClass() != IllegalArgumentException.class) {
                fail("expected IllegalArgumentException but got " + t, t);
            }
            return (IllegalArgumentException) t;
        }
        return fail("expected IllegalArgumentException, but the call returned");
    }

    /**
     * Asserts that {@code call} throws an {@link IllegalArgumentException} (the model's answer to an argument out
     * of range), or a {@link RioException} with one of {@code wsaErrors}: the code Winsock itself gives for that
     * value, which a provider that passes the value on to the OS reports instead.
     */
    static void assertIllegalOrWsa(Executable call, int... wsaErrors) {
        Throwable t = assertThrows(Throwable.class, call);
        if (t.getClass() == IllegalArgumentException.class) {
            return;
        }
        if (!(t instanceof RioException e)) {
            fail("expected IllegalArgumentException or RioException but got " + t, t);
            return;
        }
        assertTrue(Arrays.stream(wsaErrors).anyMatch(c -> c == e.wsaError()),
                () -> "expected IllegalArgumentException or one of " + Arrays.stream(wsaErrors)
                        .mapToObj(WsaError::name).collect(Collectors.joining(", ")) + " but got " + e.getMessage());
    }

    /** Asserts that a completion status is {@code expected}, naming both codes. */
    static void assertStatus(int expected, int actual, String what) {
        assertEquals(expected, actual,
                () -> what + ": expected status " + WsaError.name(expected) + " but got " + WsaError.name(actual));
    }
}
