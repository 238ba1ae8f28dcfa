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
package io.nettyrio.examples.stress;

import java.util.List;

/**
 * The figures of one {@link StressRunner} run. A run {@linkplain #passed() passed} when it recorded no error,
 * finished in time, every channel closed, every promised write succeeded on connections that were not killed, no
 * leak was reported and no RIO request was left in flight.
 *
 * @param config            the run's configuration
 * @param connections       connections opened
 * @param completedSides    channel ends (two per connection) that sent and received everything and half-closed
 * @param killedSides       channel ends of killed connections (or of connections killed before the hello)
 * @param bytesWritten      pattern bytes written (both directions)
 * @param bytesVerified     bytes received and checked against the sender's pattern (both directions)
 * @param writes            writes issued
 * @param promisedWrites    writes with a promise of their own (the others used the void promise)
 * @param promisesSucceeded promises that completed successfully
 * @param flushes           flushes issued
 * @param autoReadToggles   times autoRead was turned off for a moment
 * @param faultsInjected    connections killed (close or reset) part way
 * @param toleratedErrors   errors that were the expected consequence of a kill
 * @param openChannels      channels still open at the end (must be 0)
 * @param requestsInFlight  RIO requests still in flight on the run's RIO event loops at the end (must be 0)
 * @param slotsInUse        registered slots of {@code RioByteBufAllocator.defaultAllocator()} in use at the end
 *                          (must be 0)
 * @param leaks             leaks Netty's detector reported (must be 0)
 * @param nanos             the run's duration
 * @param timedOut          whether the run hit its time limit
 * @param errorCount        errors recorded
 * @param errors            the first errors (at most 50)
 * @param connectionsWithErrors how many connections had an error
 */
public record StressReport(StressConfig config, int connections, long completedSides, long killedSides,
                           long bytesWritten, long bytesVerified, long writes, long promisedWrites,
                           long promisesSucceeded, long flushes, long autoReadToggles, long faultsInjected,
                           long toleratedErrors, long openChannels, long requestsInFlight, long slotsInUse, int leaks,
                           long nanos, boolean timedOut, int errorCount, List<String> errors,
                           int connectionsWithErrors) {

    /** Returns whether the run passed (see the class comment). */
    public boolean passed() {
        return errorCount == 0 && !timedOut && openChannels == 0 && requestsInFlight == 0 && slotsInUse == 0
                && leaks == 0 && (faultsInjected > 0 || promisesSucceeded == promisedWrites);
    }

    /** Returns the faults injected after which the run went on without an error on the killed connection. */
    public long faultsSurvived() {
        return faultsInjected - Math.min(faultsInjected, connectionsWithErrors);
    }

    /** Returns the verified bytes per second. */
    public double bytesPerSecond() {
        return nanos == 0 ? 0 : bytesVerified * 1e9 / nanos;
    }

    /** Returns the report as lines of text. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("config: ").append(config).append('\n')
                .append(String.format("connections: %,d (channel ends completed %,d, of killed connections %,d)%n",
                        connections, completedSides, killedSides))
                .append(String.format("bytes written: %,d, bytes verified: %,d%n", bytesWritten, bytesVerified))
                .append(String.format("time: %.2f s, throughput (verified): %.1f MB/s%n", nanos / 1e9,
                        bytesPerSecond() / 1e6))
                .append(String.format(
                        "writes: %,d (promised %,d, succeeded %,d), flushes: %,d, autoRead toggles: %,d%n",
                        writes, promisedWrites, promisesSucceeded, flushes, autoReadToggles))
                .append(String.format("faults injected: %,d, survived: %,d, tolerated errors: %,d%n",
                        faultsInjected, faultsSurvived(), toleratedErrors))
                .append(String.format("errors: %,d, open channels: %,d, RIO requests in flight: %,d, registered slots "
                        + "in use: %,d, leaks: %,d (detection %s), timed out: %s%n", errorCount, openChannels,
                        requestsInFlight, slotsInUse, leaks, LeakCounter.level(), timedOut));
        for (String e : errors) {
            sb.append("  error: ").append(e).append('\n');
        }
        return sb.toString();
    }
}
