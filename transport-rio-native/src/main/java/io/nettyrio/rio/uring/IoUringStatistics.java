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
package io.nettyrio.rio.uring;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link IoUringProvider}: how many SQEs it submitted and how many {@code io_uring_enter} calls
 * it made (submissions and waits alike), over all its rings. They show, for example, that a batch of deferred
 * sends costs no system call until its commit, and that the requests a loop commits while handing out a batch
 * of completions go out together (docs/linux-provider.md, "When requests reach the kernel").
 */
public final class IoUringStatistics {
    final LongAdder sqesSubmitted = new LongAdder();
    final LongAdder enterCalls = new LongAdder();
    final LongAdder sendWaits = new LongAdder();

    IoUringStatistics() {
    }

    /** Returns the number of SQEs handed to the kernel so far. */
    public long sqesSubmitted() {
        return sqesSubmitted.sum();
    }

    /** Returns the number of {@code io_uring_enter} system calls made so far. */
    public long enterCalls() {
        return enterCalls.sum();
    }

    /**
     * Returns how many times a TCP send found no room and io_uring could not wait for it (the peer had
     * half-closed the connection), so that the send waited for {@code EPOLLOUT} in the provider's epoll set.
     */
    public long sendWaits() {
        return sendWaits.sum();
    }

    @Override
    public String toString() {
        return "IoUringStatistics[sqesSubmitted=" + sqesSubmitted() + ", enterCalls=" + enterCalls()
                + ", sendWaits=" + sendWaits() + "]";
    }
}
