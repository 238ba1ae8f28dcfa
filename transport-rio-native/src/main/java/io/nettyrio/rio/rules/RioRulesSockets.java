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

import io.nettyrio.rio.ForwardingRioSockets;
import io.nettyrio.rio.Port;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioSockets;

/**
 * The {@link RioSockets} of {@link RioRules}: remembers whether each socket is TCP or UDP (for rule 7), treats
 * {@code closesocket} as a call on the socket's request queue (rule 6; it frees the queue, rule 8), and hands the
 * wrapped provider its own {@link Port}s. Every call passes through unchanged otherwise.
 */
final class RioRulesSockets extends ForwardingRioSockets {
    private final RioRulesRegisteredIo io;

    RioRulesSockets(RioSockets delegate, RioRulesRegisteredIo io) {
        super(delegate);
        this.io = io;
    }

    @Override
    protected Port unwrap(Port port) {
        return RioRulesPort.unwrap(port);
    }

    @Override
    public long socket(int addressFamily, int type) throws RioException {
        long socket = delegate.socket(addressFamily, type);
        io.socketCreated(socket, type);
        return socket;
    }

    @Override
    public void close(long socket) throws RioException {
        close(socket, false);
    }

    @Override
    public void abort(long socket) throws RioException {
        close(socket, true);
    }

    private void close(long socket, boolean abort) throws RioException {
        // closesocket frees the request queue ("RIOCreateRequestQueue function (mswsock.h)": there is no
        // RIOCloseRequestQueue; closesocket frees the RQ), so it must not run while another thread is inside a call on
        // that queue.
        RuleRequestQueue queue = io.requestQueueOfSocket(socket);
        if (queue != null) {
            queue.enter(RioRules.Rule.UNSERIALIZED_REQUEST_QUEUE, abort ? "abort (closesocket)" : "closesocket");
        }
        try {
            if (abort) {
                delegate.abort(socket);
            } else {
                delegate.close(socket);
            }
            io.socketClosed(socket);
        } finally {
            if (queue != null) {
                queue.exit();
            }
        }
    }

}
