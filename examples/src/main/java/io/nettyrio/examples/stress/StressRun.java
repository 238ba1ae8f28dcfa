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

import io.netty.channel.Channel;
import io.nettyrio.channel.RioIoHandlerMetric;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The shared state of one {@link StressRunner} run: counters, errors, and every channel it opened. */
final class StressRun {
    static final int MAX_ERRORS = 50;

    final StressConfig config;
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder bytesVerified = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder voidPromiseWrites = new LongAdder();
    final LongAdder promisedWrites = new LongAdder();
    final LongAdder promisesSucceeded = new LongAdder();
    final LongAdder flushes = new LongAdder();
    final LongAdder directWrites = new LongAdder();
    final LongAdder heapWrites = new LongAdder();
    final LongAdder compositeWrites = new LongAdder();
    final LongAdder wrappedWrites = new LongAdder();
    final LongAdder autoReadToggles = new LongAdder();
    final LongAdder faultsInjected = new LongAdder();
    final LongAdder toleratedErrors = new LongAdder();
    final LongAdder completedSides = new LongAdder();
    final LongAdder killedSides = new LongAdder();
    final AtomicInteger errorCount = new AtomicInteger();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final Set<Integer> connectionsWithErrors = ConcurrentHashMap.newKeySet();
    final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    final Map<RioIoHandlerMetric, Boolean> rioMetrics = Collections.synchronizedMap(new IdentityHashMap<>());
    final Set<StressPeerHandler> open = ConcurrentHashMap.newKeySet();

    StressRun(StressConfig config) {
        this.config = config;
    }

    /** Records an error: a failure of the run. {@code connection} is -1 when unknown. */
    void error(int connection, String message) {
        errorCount.incrementAndGet();
        if (connection >= 0) {
            connectionsWithErrors.add(connection);
        }
        if (errors.size() < MAX_ERRORS) {
            errors.add(message);
        }
    }

    void track(Channel channel) {
        channels.add(channel);
        RioIoHandlerMetric metric = channel instanceof RioSocketChannel rio ? rio.ioMetric()
                : channel instanceof RioServerSocketChannel rio ? rio.ioMetric() : null;
        if (metric != null) {
            rioMetrics.put(metric, Boolean.TRUE);
        }
    }

    long requestsInFlight() {
        long sum = 0;
        synchronized (rioMetrics) {
            for (RioIoHandlerMetric m : rioMetrics.keySet()) {
                sum += m.requestsInFlight();
            }
        }
        return sum;
    }

    long openChannels() {
        long n = 0;
        for (Channel ch : channels) {
            if (ch.isOpen()) {
                n++;
            }
        }
        return n;
    }
}
