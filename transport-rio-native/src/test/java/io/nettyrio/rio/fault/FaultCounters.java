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
package io.nettyrio.rio.fault;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link FaultInjectingProvider} injected, counted per fault kind. Thread-safe; read it at any time.
 */
public final class FaultCounters {
    final LongAdder callFailures = new LongAdder();
    final LongAdder commitOnlyFailures = new LongAdder();
    final LongAdder acceptConnectFailures = new LongAdder();
    final LongAdder completionErrors = new LongAdder();
    final LongAdder socketsBroken = new LongAdder();
    final LongAdder followUpErrors = new LongAdder();
    final LongAdder synthesizedCompletions = new LongAdder();
    final LongAdder heldDequeues = new LongAdder();
    final LongAdder heldCompletions = new LongAdder();
    final LongAdder wakeUps = new LongAdder();
    final LongAdder splitReceives = new LongAdder();
    final LongAdder surplusNotifications = new LongAdder();

    FaultCounters() {
    }

    /** Sends and receives failed before they reached the provider (nothing started). */
    public long callFailures() {
        return callFailures.sum();
    }

    /** {@code RIO_MSG_COMMIT_ONLY} calls failed before they reached the provider. */
    public long commitOnlyFailures() {
        return commitOnlyFailures.sum();
    }

    /** Accept and connect calls failed before they reached the provider (nothing started). */
    public long acceptConnectFailures() {
        return acceptConnectFailures.sum();
    }

    /** Successful completions whose status was rewritten to an injected error (the first of a socket). */
    public long completionErrors() {
        return completionErrors.sum();
    }

    /** TCP sockets aborted (reset) through the provider after an injected completion error. */
    public long socketsBroken() {
        return socketsBroken.sum();
    }

    /** Later completions of a broken socket given the socket's injected error. */
    public long followUpErrors() {
        return followUpErrors.sum();
    }

    /** Requests posted on a broken socket, accepted and completed with its error by the decorator itself. */
    public long synthesizedCompletions() {
        return synthesizedCompletions.sum();
    }

    /** Dequeues that held back at least one completion they could have returned. */
    public long heldDequeues() {
        return heldDequeues.sum();
    }

    /** Completions held back, counted once per dequeue that held them. */
    public long heldCompletions() {
        return heldCompletions.sum();
    }

    /** Notifications posted to a port by the decorator, so that held completions are not stranded. */
    public long wakeUps() {
        return wakeUps.sum();
    }

    /**
     * Notification packets dropped because the caller had already been given its notification (the provider's
     * firing after the decorator's own post for the same RIONotify).
     */
    public long surplusNotifications() {
        return surplusNotifications.sum();
    }

    /** Receives posted to the provider with a smaller length than asked. */
    public long splitReceives() {
        return splitReceives.sum();
    }

    /** Every fault injected: call failures, completion errors (first and follow-up), held dequeues, splits. */
    public long total() {
        return callFailures() + commitOnlyFailures() + acceptConnectFailures() + completionErrors() + followUpErrors()
                + synthesizedCompletions() + heldDequeues() + splitReceives();
    }

    @Override
    public String toString() {
        return "FaultCounters{callFailures=" + callFailures() + ", commitOnlyFailures=" + commitOnlyFailures()
                + ", acceptConnectFailures=" + acceptConnectFailures()
                + ", completionErrors=" + completionErrors() + ", socketsBroken=" + socketsBroken()
                + ", followUpErrors=" + followUpErrors() + ", synthesizedCompletions=" + synthesizedCompletions()
                + ", heldDequeues=" + heldDequeues() + ", heldCompletions=" + heldCompletions()
                + ", wakeUps=" + wakeUps() + ", surplusNotifications=" + surplusNotifications()
                + ", splitReceives=" + splitReceives() + "}";
    }
}
