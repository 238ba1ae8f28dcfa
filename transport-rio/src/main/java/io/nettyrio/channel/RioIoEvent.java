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
package io.nettyrio.channel;

import io.netty.channel.IoEvent;

/**
 * One completion delivered to a {@link RioIoHandle}: either a {@code RIORESULT} dequeued from the completion queue
 * (a send or a receive) or a completion-port entry (an accept or a connect). The handler reuses one instance, so
 * it is valid only during {@link io.netty.channel.IoHandle#handle}.
 */
public final class RioIoEvent implements IoEvent {
    /** A {@code RIORESULT} of a send or receive. */
    public static final int RIO_RESULT = 1;
    /** A port entry: an accept or a connect completed. */
    public static final int PORT = 2;

    private int kind;
    private int status;
    private long result;
    private long requestContext;

    RioIoEvent() {
    }

    RioIoEvent set(int kind, int status, long result, long requestContext) {
        this.kind = kind;
        this.status = status;
        this.result = result;
        this.requestContext = requestContext;
        return this;
    }

    /** Returns {@link #RIO_RESULT} or {@link #PORT}. */
    public int kind() {
        return kind;
    }

    /** Returns the status: 0 on success, else a {@link io.nettyrio.rio.WsaError} code. */
    public int status() {
        return status;
    }

    /**
     * Returns {@code RIORESULT.BytesTransferred} for a send or receive, or the port entry's result (the accepted
     * {@code SOCKET} of an accept).
     */
    public long result() {
        return result;
    }

    /** Returns {@code RIORESULT.RequestContext}, or the port entry's context. */
    public long requestContext() {
        return requestContext;
    }

    @Override
    public String toString() {
        return "RioIoEvent(kind=" + kind + ", status=" + status + ", result=" + result + ", context="
                + requestContext + ')';
    }
}
