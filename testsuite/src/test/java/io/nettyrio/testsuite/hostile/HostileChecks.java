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
package io.nettyrio.testsuite.hostile;

import io.nettyrio.testing.TransportWatch;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every hostile-peer test checks besides its own assertions and besides what {@link TransportWatch} checks in
 * every test (leaks, rule violations, the transport's warnings): no {@link RejectedExecutionException} logged by
 * Netty or the transport (the symptom of work handed to an event loop that is shutting down). Register it with
 * {@code @RegisterExtension final HostileChecks checks = new HostileChecks();}.
 */
final class HostileChecks implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            assertEquals(List.of(), rejectedExecutions(), "RejectedExecutionException logged");
        }
    }

    /** Returns every WARN/ERROR event logged by Netty or the transport that carries a RejectedExecutionException. */
    List<String> rejectedExecutions() {
        return TransportWatch.logged("io.netty").stream()
                .filter(e -> e.contains(RejectedExecutionException.class.getName()))
                .toList();
    }

    /** Returns "logger: LEVEL message (exception)" of every WARN/ERROR event from a logger whose name starts so. */
    List<String> warningsFrom(String... loggerPrefixes) {
        return TransportWatch.logged(loggerPrefixes);
    }
}
