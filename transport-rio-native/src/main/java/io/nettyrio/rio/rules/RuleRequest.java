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

/**
 * One request in flight as RioRules tracks it: the caller's context (given back in {@code RIORESULT} on dequeue),
 * the completion queue it completes on, the {@code RIO_BUF}s it passed and the registered slices they describe.
 * Its {@link #id} is the context the wrapped provider sees.
 */
final class RuleRequest {
    /** {@code pData} plus, for the Ex calls, the four address, control and flags slices. */
    static final int MAX_SLICES = 5;

    final long id;
    final long callerContext;
    final RuleCompletionQueue completionQueue;

    final RuleRegistration[] registrations;
    final long[] starts;
    final long[] ends;
    final byte[] kinds;
    /** The address of each slice's {@code RIO_BUF}. */
    final long[] rioBufs;
    int slices;

    /** How many of {@link #rioBufs} are claimed, and how many distinct registrations. */
    int claimedRioBufs;
    final RuleRegistration[] claimedRegistrations;
    int claimedRegistrationCount;

    /**
     * @param maxSlices 1 for RIOSend/RIOReceive, {@link #MAX_SLICES} for the Ex calls
     */
    RuleRequest(long id, long callerContext, RuleCompletionQueue completionQueue, int maxSlices) {
        this.id = id;
        this.callerContext = callerContext;
        this.completionQueue = completionQueue;
        registrations = new RuleRegistration[maxSlices];
        starts = new long[maxSlices];
        ends = new long[maxSlices];
        kinds = new byte[maxSlices];
        rioBufs = new long[maxSlices];
        claimedRegistrations = new RuleRegistration[maxSlices];
    }

    void addSlice(RuleRegistration registration, long start, long end, byte kind, long rioBuf) {
        registrations[slices] = registration;
        starts[slices] = start;
        ends[slices] = end;
        kinds[slices] = kind;
        rioBufs[slices] = rioBuf;
        slices++;
    }
}
