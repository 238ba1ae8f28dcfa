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

import io.nettyrio.rio.Port;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

import java.util.Objects;

/**
 * A {@link RioProvider} decorator that injects faults on a seeded random schedule ({@link FaultConfig}): it fails
 * sends and receives with the documented errors before they reach the provider, rewrites successful completions
 * to error statuses (and then really resets the TCP connection), holds completions back for later dequeues, and
 * posts TCP receives with a smaller length so that data arrive in small pieces. {@link #counters()} counts every
 * fault injected. {@code docs/fault-injection.md} describes each fault, its knobs and how to replay a seed.
 *
 * <p>It may wrap RioRules or be wrapped by it: {@code FaultInjectingProvider.wrap(Rio.provider(), config)}
 * puts the rules between the decorator and the provider (they then check the decorator's own calls, for example
 * that a split receive's {@code RIO_BUF} stays inside its registration), and
 * {@code RioRules.wrap(FaultInjectingProvider.wrap(RioRules.unwrap(Rio.provider()), config))} puts them above it
 * (they then check the caller against what the decorator reports).
 */
public final class FaultInjectingProvider implements RioProvider {
    private final RioProvider delegate;
    private final FaultConfig config;
    private final FaultCounters counters = new FaultCounters();
    private final FaultRegisteredIo registeredIo;
    private final FaultSockets sockets;

    private FaultInjectingProvider(RioProvider delegate, FaultConfig config) {
        this.delegate = delegate;
        this.config = config;
        RioSockets delegateSockets = delegate.sockets();
        this.registeredIo = new FaultRegisteredIo(delegate.registeredIo(), delegateSockets, config, counters);
        this.sockets = new FaultSockets(delegateSockets, registeredIo);
    }

    /** Wraps {@code provider} with the faults of {@code config}. */
    public static FaultInjectingProvider wrap(RioProvider provider, FaultConfig config) {
        return new FaultInjectingProvider(Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(config, "config"));
    }

    /** The wrapped provider. */
    public RioProvider delegate() {
        return delegate;
    }

    /** The knobs and the random seed. */
    public FaultConfig config() {
        return config;
    }

    /** What was injected so far. */
    public FaultCounters counters() {
        return counters;
    }

    /** Requests passed to the provider whose completion has not yet been dequeued from it. */
    public int requestsInFlight() {
        return registeredIo.requestsInFlight();
    }

    /** Split receives' {@code RIO_BUF} copies not yet given back (their request is with the provider). */
    public int splitBuffersInUse() {
        return registeredIo.splitBufsInUse();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public RegisteredIo registeredIo() {
        return registeredIo;
    }

    @Override
    public RioSockets sockets() {
        return sockets;
    }

    @Override
    public Port openPort() throws RioException {
        return opened(delegate.openPort());
    }

    @Override
    public Port openOwnedPort() throws RioException {
        return opened(delegate.openOwnedPort());
    }

    private Port opened(Port delegatePort) {
        FaultPort port = new FaultPort(delegatePort, registeredIo);
        registeredIo.portOpened(port);
        return port;
    }

    @Override
    public String toString() {
        return "FaultInjecting(" + delegate + ", " + config + ")";
    }
}
