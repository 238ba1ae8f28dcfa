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

import java.io.IOException;

/**
 * A failed call of the RIO model: carries the Winsock error code ({@link WsaError}) and its name, and says which
 * call failed. Providers throw it where Windows would return FALSE, NULL or {@code SOCKET_ERROR} and report the
 * reason through {@code WSAGetLastError}.
 */
public class RioException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int wsaError;
    private final String call;

    /**
     * Creates an exception for {@code call} failing with {@code wsaError}.
     *
     * @param call     the failed call as the documentation names it, for example {@code "RIOSend"}
     * @param wsaError the Winsock error code
     * @param detail   what went wrong, in words; may be null
     */
    public RioException(String call, int wsaError, String detail) {
        super(message(call, wsaError, detail));
        this.call = call;
        this.wsaError = wsaError;
    }

    /**
     * Creates an exception for {@code call} failing with {@code wsaError}.
     */
    public RioException(String call, int wsaError) {
        this(call, wsaError, null);
    }

    /** Returns the Winsock error code, one of {@link WsaError}'s constants. */
    public int wsaError() {
        return wsaError;
    }

    /** Returns the name of the error code, for example {@code "WSAENOBUFS"}. */
    public String wsaErrorName() {
        return WsaError.name(wsaError);
    }

    /** Returns the call that failed, for example {@code "RIOSend"}. */
    public String call() {
        return call;
    }

    private static String message(String call, int wsaError, String detail) {
        String base = call + " failed: " + WsaError.name(wsaError) + " (" + wsaError + ")";
        return detail == null ? base : base + ": " + detail;
    }
}
