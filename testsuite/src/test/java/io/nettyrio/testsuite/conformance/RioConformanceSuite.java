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

import io.nettyrio.rio.RioProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * The conformance suite of the RIO model: every rule, flag and error code that Microsoft documents for the RIO
 * functions (the Microsoft Learn pages "RIOSend function (mswsock.h)", "RIOReceive function (mswsock.h)",
 * "RIOCreateRequestQueue function (mswsock.h)", "RIONotify function (mswsock.h)", "RIODequeueCompletion function
 * (mswsock.h)" and the other pages of the RIO table; the reference table is {@code docs/conformance.md}), plus the
 * {@link io.nettyrio.rio.Port} and {@link io.nettyrio.rio.RioSockets} contracts of the model's Javadoc. Each case
 * names, in its comment, the sentence of the documentation it checks.
 *
 * <p>The cases live in one interface per section, each a focused file: {@link DataBufferCountConformance},
 * {@link FlagsConformance}, {@link BufferConformance}, {@link DeferAndCommitConformance},
 * {@link OutstandingCapacityConformance}, {@link CompletionQueueCapacityConformance},
 * {@link RequestQueueArgumentsConformance}, {@link NotifyConformance}, {@link DequeueConformance},
 * {@link EndOfStreamConformance}, {@link PortConformance} and {@link DataTransferConformance}. This class owns the
 * fixture, one per case, and runs them all.
 *
 * <p>A subclass says which {@link RioProvider} to check. The suite uses only the model's interfaces and loopback
 * sockets, nothing of one operating system, so it runs unchanged against the io_uring provider here and against
 * real RIO on Windows. Bad input (invalid handles, freed memory, nulls) is checked by {@link RioBadInputSuite}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RioConformanceSuite implements DataBufferCountConformance, FlagsConformance, BufferConformance,
        DeferAndCommitConformance, OutstandingCapacityConformance, CompletionQueueCapacityConformance,
        RequestQueueArgumentsConformance, NotifyConformance, DequeueConformance, EndOfStreamConformance,
        PortConformance, DataTransferConformance {

    /** The provider under test. Called once per case. */
    protected abstract RioProvider provider() throws Exception;

    RioFixture fx;

    @Override
    public final RioFixture fx() {
        return fx;
    }

    @BeforeEach
    void openFixture() throws Exception {
        fx = new RioFixture(provider());
    }

    @AfterEach
    void closeFixture() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }
}
