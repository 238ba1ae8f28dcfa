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

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@link RioSockets} that passes every call to another one: the base of decorators (RioRules, fault injection)
 * that change only a few calls; the same family as {@link ForwardingRegisteredIo} and {@link ForwardingPort}. A
 * decorator that wraps {@link Port}s too maps each port it hands out back to the wrapped provider's own with
 * {@link #unwrap(Port)} (usually {@link ForwardingPort#unwrap(Port, Class)}), since accept and connect complete on
 * the provider's port.
 */
public abstract class ForwardingRioSockets implements RioSockets {
    /** The wrapped socket calls. */
    protected final RioSockets delegate;

    /** Creates a decorator of {@code delegate}. */
    protected ForwardingRioSockets(RioSockets delegate) {
        this.delegate = delegate;
    }

    /** Returns the wrapped provider's own port for {@code port}; by default the port itself. */
    protected Port unwrap(Port port) {
        return port;
    }

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        return delegate.socket(addressFamily, type);
    }

    @Override
    public void bind(long socket, InetSocketAddress localAddress) throws RioException {
        delegate.bind(socket, localAddress);
    }

    @Override
    public void listen(long socket, int backlog) throws RioException {
        delegate.listen(socket, backlog);
    }

    @Override
    public void accept(long listenSocket, Port port, long completionKey, long context) throws RioException {
        delegate.accept(listenSocket, unwrap(port), completionKey, context);
    }

    @Override
    public void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException {
        delegate.connect(socket, remoteAddress, unwrap(port), completionKey, context);
    }

    @Override
    public void connectDatagram(long socket, InetSocketAddress remoteAddress) throws RioException {
        delegate.connectDatagram(socket, remoteAddress);
    }

    @Override
    public void shutdown(long socket, int how) throws RioException {
        delegate.shutdown(socket, how);
    }

    @Override
    public void close(long socket) throws RioException {
        delegate.close(socket);
    }

    @Override
    public void abort(long socket) throws RioException {
        delegate.abort(socket);
    }

    @Override
    public int getOption(long socket, RioSocketOption option) throws RioException {
        return delegate.getOption(socket, option);
    }

    @Override
    public void setOption(long socket, RioSocketOption option, int value) throws RioException {
        delegate.setOption(socket, option, value);
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws RioException {
        return delegate.localAddress(socket);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws RioException {
        return delegate.remoteAddress(socket);
    }

    @Override
    public void joinGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        delegate.joinGroup(socket, group, interfaceIndex, source);
    }

    @Override
    public void leaveGroup(long socket, InetAddress group, int interfaceIndex, InetAddress source)
            throws RioException {
        delegate.leaveGroup(socket, group, interfaceIndex, source);
    }

    @Override
    public void setMulticastInterface(long socket, Inet4Address interfaceAddress) throws RioException {
        delegate.setMulticastInterface(socket, interfaceAddress);
    }
}
