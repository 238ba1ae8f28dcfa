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

import java.util.Arrays;

/**
 * What RioRules knows of one registration ({@code RIO_BUFFERID}): its size and the requests in flight that reference
 * it. Its methods are synchronized on the registration only, for the few instructions of a check, never across a
 * provider call; two threads contend only when they use the same registration at once.
 */
final class RuleRegistration {
    /**
     * The kernel reads the slice as send data: the whole registration is the send's ("RIOSend function
     * (mswsock.h)", Remarks).
     */
    static final byte SEND_DATA = 0;
    /** The kernel writes the slice (receive data, and receiveEx's address, control and flags slices). */
    static final byte WRITE = 1;
    /** The kernel reads the slice, but it is not send data (sendEx's address, control and flags slices). */
    static final byte READ = 2;

    final long bufferId;
    final long length;

    private boolean deregistered;
    /** Requests in flight that reference this registration (each counted once). */
    private int requests;
    /** Sends in flight whose data is in this registration. */
    private int sends;
    /** Slices in flight: [start, end) with their kind and request. */
    private long[] starts = new long[2];
    private long[] ends = new long[2];
    private byte[] kinds = new byte[2];
    private RuleRequest[] owners = new RuleRequest[2];
    private int slices;

    RuleRegistration(long bufferId, long length) {
        this.bufferId = bufferId;
        this.length = length;
    }

    /**
     * Claims this registration for the slices of {@code request} that lie in it, or throws without claiming.
     */
    synchronized void claim(RuleRequest request, String call) {
        if (deregistered) {
            throw new RioRuleViolation(RioRules.Rule.UNKNOWN_BUFFER,
                    call + " references BufferId 0x" + Long.toHexString(bufferId) + ", which was deregistered");
        }
        boolean send = false;
        for (int i = 0; i < request.slices; i++) {
            if (request.registrations[i] == this && request.kinds[i] == SEND_DATA) {
                send = true;
            }
        }
        // "RIOSend function (mswsock.h)", Remarks: "when send data references a registered buffer (either a portion or
        // the entire buffer), the entire registered buffer must not be used until the send has completed. This includes
        // using a portion of the registered buffer for a receive operation or another send operation."
        if (send && requests > 0) {
            throw new RioRuleViolation(RioRules.Rule.SEND_REGISTRATION_EXCLUSIVE, call + " sends from BufferId 0x"
                    + Long.toHexString(bufferId) + " while " + requests + " other request(s) in flight reference it;"
                    + " the entire registered buffer must not be used by another request until the send completes");
        }
        if (sends > 0) {
            throw new RioRuleViolation(RioRules.Rule.SEND_REGISTRATION_EXCLUSIVE, call + " references BufferId 0x"
                    + Long.toHexString(bufferId) + " while a send in flight references it; the entire registered"
                    + " buffer must not be used until the send has completed");
        }
        for (int i = 0; i < request.slices; i++) {
            if (request.registrations[i] != this || request.kinds[i] != WRITE) {
                continue;
            }
            long start = request.starts[i];
            long end = request.ends[i];
            for (int j = 0; j < slices; j++) {
                if (kinds[j] == WRITE && overlaps(start, end, starts[j], ends[j])) {
                    throw overlap(call, start, end, starts[j], ends[j], "a request in flight");
                }
            }
            for (int j = 0; j < i; j++) {
                if (request.registrations[j] == this && request.kinds[j] == WRITE
                        && overlaps(start, end, request.starts[j], request.ends[j])) {
                    throw overlap(call, start, end, request.starts[j], request.ends[j], "another slice of the call");
                }
            }
        }
        requests++;
        if (send) {
            sends++;
        }
        for (int i = 0; i < request.slices; i++) {
            if (request.registrations[i] == this) {
                add(request.starts[i], request.ends[i], request.kinds[i], request);
            }
        }
    }

    /** Gives back what {@link #claim} took for {@code request}. */
    synchronized void release(RuleRequest request) {
        requests--;
        int i = 0;
        boolean send = false;
        while (i < slices) {
            if (owners[i] == request) {
                send |= kinds[i] == SEND_DATA;
                slices--;
                starts[i] = starts[slices];
                ends[i] = ends[slices];
                kinds[i] = kinds[slices];
                owners[i] = owners[slices];
                owners[slices] = null;
            } else {
                i++;
            }
        }
        if (send) {
            sends--;
        }
    }

    /**
     * Marks the registration deregistered, or throws if a request in flight references it (rule 4).
     */
    synchronized void deregister() {
        if (requests > 0) {
            throw new RioRuleViolation(RioRules.Rule.DEREGISTER_IN_FLIGHT, "RIODeregisterBuffer of BufferId 0x"
                    + Long.toHexString(bufferId) + " while " + requests + " request(s) in flight reference it;"
                    + " deregistering a buffer still in use is undefined");
        }
        deregistered = true;
    }

    /**
     * Rule 5: throws if a request in flight references bytes {@code [offset, offset+length)}, or any byte when
     * {@code length} is negative, or if a send in flight references the registration at all.
     */
    synchronized void checkNotInFlight(long offset, long length) {
        if (length < 0 ? requests > 0 : sends > 0 || anyOverlap(offset, offset + length)) {
            throw new RioRuleViolation(RioRules.Rule.POOL_REUSE_IN_FLIGHT, "memory of BufferId 0x"
                    + Long.toHexString(bufferId) + (length < 0 ? "" : " [" + offset + ", " + (offset + length) + ")")
                    + " returned to a pool while " + requests + " request(s) in flight reference it");
        }
    }

    /** Returns the number of requests in flight that reference this registration. */
    synchronized int requestsInFlight() {
        return requests;
    }

    private boolean anyOverlap(long start, long end) {
        for (int j = 0; j < slices; j++) {
            // A zero-length slice in flight still names its place in the registration.
            boolean empty = starts[j] == ends[j] && start <= starts[j] && starts[j] < end;
            if (empty || overlaps(start, end, starts[j], ends[j])) {
                return true;
            }
        }
        return false;
    }

    private void add(long start, long end, byte kind, RuleRequest owner) {
        if (slices == starts.length) {
            int n = slices * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            kinds = Arrays.copyOf(kinds, n);
            owners = Arrays.copyOf(owners, n);
        }
        starts[slices] = start;
        ends[slices] = end;
        kinds[slices] = kind;
        owners[slices] = owner;
        slices++;
    }

    private static boolean overlaps(long start, long end, long otherStart, long otherEnd) {
        return start < otherEnd && otherStart < end;
    }

    private RioRuleViolation overlap(String call, long start, long end, long otherStart, long otherEnd,
                                     String other) {
        return new RioRuleViolation(RioRules.Rule.RECEIVE_SLICES_OVERLAP, call + " writes [" + start + ", " + end
                + ") of BufferId 0x" + Long.toHexString(bufferId) + ", which overlaps [" + otherStart + ", "
                + otherEnd + ") written by " + other);
    }
}
