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

/**
 * One implementation of the RIO model: the RIO table, the socket calls and completion ports of one platform.
 * {@link Rio#provider()} returns the one for the running OS.
 */
public interface RioProvider {

    /** A short name, for example {@code "windows"} or {@code "io_uring"}. */
    String name();

    /** The RIO function table. */
    RegisteredIo registeredIo();

    /** The socket calls. */
    RioSockets sockets();

    /** Opens a completion port. */
    Port openPort() throws RioException;

    /**
     * Opens a completion port that one thread owns for the port's whole life: the first thread that waits on it
     * ({@link Port#getQueuedCompletionStatus}). Only that thread may wait on it or close it afterwards; any thread
     * may still post to it and issue requests whose completion queue notifies it. A provider that runs faster
     * when it knows this (the Linux provider's io_uring with {@code IORING_SETUP_SINGLE_ISSUER} and
     * {@code IORING_SETUP_DEFER_TASKRUN}) uses it; the others return {@link #openPort()}, whose ports on Windows
     * are for one thread anyway ({@code CreateIoCompletionPort} with {@code NumberOfConcurrentThreads} 1).
     */
    default Port openOwnedPort() throws RioException {
        return openPort();
    }
}
