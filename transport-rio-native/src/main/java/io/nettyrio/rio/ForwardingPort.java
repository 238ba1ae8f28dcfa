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
package io.nettyrio.rio;

import java.util.Objects;

/**
 * A {@link Port} that passes every call to another one: the base of decorators (RioRules, fault injection) that
 * check or filter a few port calls. The same family as {@link ForwardingRegisteredIo} and
 * {@link ForwardingRioSockets}.
 *
 * <p>A provider's socket calls expect the provider's own port (accepts and connects complete on it), so a
 * decorator that hands out {@code ForwardingPort}s maps them back with {@link #unwrap(Port, Class)} in its
 * {@link ForwardingRioSockets#unwrap(Port)}.
 */
public abstract class ForwardingPort implements Port {
    /** The wrapped port. */
    protected final Port delegate;

    /** Creates a decorator of {@code delegate}. */
    protected ForwardingPort(Port delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Returns the wrapped port. */
    public final Port delegate() {
        return delegate;
    }

    /**
     * Returns the port {@code port} wraps if it is a decorator of type {@code type}, else {@code port} itself:
     * each decorator peels off only its own layer, so decorators stack in any order.
     */
    public static Port unwrap(Port port, Class<? extends ForwardingPort> type) {
        return type.isInstance(port) ? ((ForwardingPort) port).delegate : port;
    }

    @Override
    public long handle() {
        return delegate.handle();
    }

    @Override
    public int getQueuedCompletionStatus(PortCompletions out, long timeoutNanos) throws RioException {
        return delegate.getQueuedCompletionStatus(out, timeoutNanos);
    }

    @Override
    public void post(long completionKey, long context) throws RioException {
        delegate.post(completionKey, context);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
