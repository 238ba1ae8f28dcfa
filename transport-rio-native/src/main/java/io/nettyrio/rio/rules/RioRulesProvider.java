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
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;

/**
 * The {@link RioProvider} {@link RioRules#wrap} returns: the wrapped provider's name, with a checked
 * {@link RegisteredIo}, {@link RioSockets} and {@link Port}s that share one set of tracking tables.
 */
final class RioRulesProvider implements RioProvider {
    private final RioProvider delegate;
    private final RioRulesRegisteredIo registeredIo;
    private final RioRulesSockets sockets;

    RioRulesProvider(RioProvider delegate) {
        this.delegate = delegate;
        RioSockets delegateSockets = delegate.sockets();
        this.registeredIo = new RioRulesRegisteredIo(delegate.registeredIo(), delegateSockets);
        this.sockets = new RioRulesSockets(delegateSockets, registeredIo);
    }

    RioProvider delegate() {
        return delegate;
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
        return new RioRulesPort(delegate.openPort(), registeredIo, false);
    }

    @Override
    public Port openOwnedPort() throws RioException {
        return new RioRulesPort(delegate.openOwnedPort(), registeredIo, true);
    }

    @Override
    public String toString() {
        return "RioRules(" + delegate + ")";
    }
}
