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

import io.nettyrio.rio.ForwardingRioSockets;
import io.nettyrio.rio.Port;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.net.InetSocketAddress;

/**
 * The {@link RioSockets} of a {@link FaultInjectingProvider}: the provider's calls, with ports unwrapped, and with
 * the sockets the decorator reset after an injected error answered here (their provider handle is gone): closing
 * one succeeds, asking for its peer returns null, anything else fails with {@code WSAECONNRESET}.
 */
final class FaultSockets extends ForwardingRioSockets {
    private final FaultRegisteredIo io;

    FaultSockets(RioSockets delegate, FaultRegisteredIo io) {
        super(delegate);
        this.io = io;
    }

    private void checkNotReset(String call, long socket) throws RioException {
        if (io.isReset(socket)) {
            throw new RioException(call, WsaError.WSAECONNRESET, "connection reset by an injected fault");
        }
    }

    @Override
    protected Port unwrap(Port port) {
        return FaultPort.unwrap(port);
    }

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        long s = delegate.socket(addressFamily, type);
        io.socketCreated(s, type == RioConstants.SOCK_STREAM);
        return s;
    }

    @Override
    public void accept(long listenSocket, Port port, long completionKey, long context) throws RioException {
        io.failAcceptOrConnect("AcceptEx", context);
        super.accept(listenSocket, port, completionKey, context);
    }

    @Override
    public void connect(long socket, InetSocketAddress remoteAddress, Port port, long completionKey, long context)
            throws RioException {
        io.failAcceptOrConnect("ConnectEx", context);
        super.connect(socket, remoteAddress, port, completionKey, context);
    }

    @Override
    public void shutdown(long socket, int how) throws RioException {
        checkNotReset("shutdown", socket);
        delegate.shutdown(socket, how);
    }

    @Override
    public void close(long socket) throws RioException {
        if (io.socketClosing(socket)) {
            delegate.close(socket);
        }
    }

    @Override
    public void abort(long socket) throws RioException {
        if (io.socketClosing(socket)) {
            delegate.abort(socket);
        }
    }

    @Override
    public int getOption(long socket, RioSocketOption option) throws RioException {
        checkNotReset("getsockopt", socket);
        return delegate.getOption(socket, option);
    }

    @Override
    public void setOption(long socket, RioSocketOption option, int value) throws RioException {
        checkNotReset("setsockopt", socket);
        delegate.setOption(socket, option, value);
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws RioException {
        checkNotReset("getsockname", socket);
        return delegate.localAddress(socket);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws RioException {
        return io.isReset(socket) ? null : delegate.remoteAddress(socket);
    }

}
