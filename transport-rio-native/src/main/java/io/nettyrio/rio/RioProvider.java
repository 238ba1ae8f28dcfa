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
}
