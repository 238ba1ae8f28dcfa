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
package io.nettyrio.rio.rules;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * RioRules: a checked decorator of a {@link RioProvider} that tracks every request in flight and fails fast on the
 * breaches of the documented RIO rules that Windows does not report (it corrupts memory instead). It is on in every
 * test ({@code -Dio.nettyrio.rules=true}, see {@link Rio#RULES_PROPERTY}) and can be switched on in production
 * with the same system property; {@code docs/rio-rules.md} lists the rules, their sources and their cost.
 *
 * <p>A breach of a rule Windows does not report throws {@link RioRuleViolation}; a breach of an argument rule for
 * which Windows documents an error code ({@code WSAEINVAL}) throws {@link RioRulesException}, a
 * {@link RioException} with that code. Either way the call never reaches the wrapped provider. Everything else
 * passes through unchanged: the same results and the same exceptions as the wrapped provider.
 */
public final class RioRules {

    private static volatile Consumer<? super Exception> violationListener;

    private RioRules() {
    }

    /**
     * Sets the listener told of every {@link RioRuleViolation} and {@link RioRulesException} the checker raises,
     * on the raising thread, before it is thrown; {@code null} removes it. For test harnesses: a violation that a
     * caller catches and only logs (an event loop catches what a channel's completion handling throws) still
     * reaches the listener, so a test can fail on it.
     */
    public static void setViolationListener(Consumer<? super Exception> listener) {
        violationListener = listener;
    }

    /** Tells the listener, if any, of {@code violation}; called by the two exception types' constructors. */
    static void raised(Exception violation) {
        Consumer<? super Exception> listener = violationListener;
        if (listener != null) {
            listener.accept(violation);
        }
    }

    /**
     * Wraps {@code provider} so that its {@link RegisteredIo}, {@link RioSockets} and {@link Port}s check the rules.
     * Wrapping an already wrapped provider returns it unchanged.
     */
    public static RioProvider wrap(RioProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (provider instanceof RioRulesProvider) {
            return provider;
        }
        return new RioRulesProvider(provider);
    }

    /**
     * Returns the provider {@code provider} wraps, or {@code provider} itself if it is not wrapped: for tests that
     * check what the raw provider reports.
     */
    public static RioProvider unwrap(RioProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return provider instanceof RioRulesProvider rules ? rules.delegate() : provider;
    }

    /** Returns whether {@code io} is a {@link RegisteredIo} checked by RioRules. */
    public static boolean isChecked(RegisteredIo io) {
        return io instanceof RioRulesRegisteredIo;
    }

    /**
     * Rule 5: throws {@link RioRuleViolation} ({@link Rule#POOL_REUSE_IN_FLIGHT}) if a request in flight still
     * references the registration {@code bufferId}. The registered-memory pool calls it before it hands a slot to
     * a new owner; it is a no-op when {@code io} is not checked by RioRules, so the pool can call it always.
     *
     * @param io       the {@link RegisteredIo} the buffer was registered with
     * @param bufferId the slot's {@code RIO_BUFFERID}
     */
    public static void checkNotInFlight(RegisteredIo io, long bufferId) {
        if (io instanceof RioRulesRegisteredIo rules) {
            rules.checkNotInFlight(bufferId, 0, -1);
        }
    }

    /**
     * Rule 5 for a slot that is a slice of a larger registration: throws {@link RioRuleViolation}
     * ({@link Rule#POOL_REUSE_IN_FLIGHT}) if a request in flight references bytes {@code [offset, offset+length)}
     * of the registration {@code bufferId}, or ("RIOSend function (mswsock.h)", Remarks) if a send in flight references
     * any part of it. A no-op when {@code io} is not checked by RioRules.
     */
    public static void checkNotInFlight(RegisteredIo io, long bufferId, int offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
        }
        if (io instanceof RioRulesRegisteredIo rules) {
            rules.checkNotInFlight(bufferId, offset, length);
        }
    }

    /**
     * The rules RioRules checks. {@link #number()} is the rule's number in {@code docs/rio-rules.md}.
     */
    public enum Rule {
        /** Rule 1: a send's registration must not be referenced by any other request in flight, and a request
         * must not reference a registration that a pending send references ("RIOSend function (mswsock.h)": "entire
         * registered buffer" rule). */
        SEND_REGISTRATION_EXCLUSIVE(1),
        /** Rule 2: the same {@code RIO_BUF} memory passed again while a request that used it is pending. */
        RIO_BUF_REUSED(2),
        /** Rule 2: two slices the kernel writes (receives) overlap within one registration. */
        RECEIVE_SLICES_OVERLAP(2),
        /** Rule 3: a slice ({@code Offset}, {@code Length}) not entirely inside its registration. */
        SLICE_OUTSIDE_REGISTRATION(3),
        /** Rule 3: a {@code BufferId} that was never registered, or was deregistered. */
        UNKNOWN_BUFFER(3),
        /** Rule 4: deregistering a buffer that a request in flight still references. */
        DEREGISTER_IN_FLIGHT(4),
        /** Rule 5: returning to a pool memory that a request in flight still references. */
        POOL_REUSE_IN_FLIGHT(5),
        /** Rule 6: two threads inside calls on one request queue at once (COMMIT_ONLY excepted). */
        UNSERIALIZED_REQUEST_QUEUE(6),
        /** Rule 6: two threads inside calls on one completion queue at once. */
        UNSERIALIZED_COMPLETION_QUEUE(6),
        /** Rule 6: two threads inside a wait or close of one port at once. */
        UNSERIALIZED_PORT(6),
        /** Rule 6: an owned port ({@code RioProvider.openOwnedPort}) waited on or closed by a thread other than the
         * first that waited on it. */
        OWNED_PORT_OTHER_THREAD(6),
        /** Rule 7 (WSAEINVAL): COMMIT_ONLY with another flag, data, an address, a context or a count. */
        COMMIT_ONLY_ARGUMENTS(7),
        /** Rule 7 (WSAEINVAL): {@code pData} NULL with a count other than 0, or non-NULL with a count other
         * than 1. */
        DATA_BUFFER_COUNT(7),
        /** Rule 7 (WSAEINVAL): {@code pData} NULL where only a UDP send may pass NULL. */
        NULL_DATA(7),
        /** Rule 7 (WSAEINVAL): a flag not valid for the call (WAITALL on a send, WAITALL on UDP, unknown bits). */
        INVALID_FLAGS(7),
        /** Rule 7 (WSAEINVAL): {@code RIOSendEx}'s {@code pLocalAddress}, "reserved and must be NULL". */
        RESERVED_ARGUMENT(7),
        /** Rule 7 (WSAEINVAL): a request queue or completion queue handle that was never created. */
        UNKNOWN_HANDLE(7),
        /** Rule 8: a completion queue, request queue or port used after it was closed. */
        USE_AFTER_CLOSE(8),
        /** Rule 8: a completion queue closed while request queues bound to it are open or requests on it are in
         * flight, or a port closed while a completion queue notifies it. */
        CLOSE_ORDER(8);

        private final int number;

        Rule(int number) {
            this.number = number;
        }

        /** Returns the rule's number in {@code docs/rio-rules.md} (1 to 8). */
        public int number() {
            return number;
        }
    }
}
