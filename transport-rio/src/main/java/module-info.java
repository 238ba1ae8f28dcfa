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

/**
 * The Netty transport over the RIO model ({@code io.nettyrio.channel}) and its registered memory
 * ({@code io.nettyrio.buffer}). The allocator's internals ({@code io.nettyrio.buffer.internal}) are not exported.
 *
 * <p>Channels, handlers and allocators are Netty types in the API, and users check the model first
 * ({@code Rio.isAvailable()}, as with Netty's {@code Epoll}), so those modules are read transitively. Run with
 * {@code --enable-native-access=io.nettyrio.rio} (the module that makes the downcalls) on the module path;
 * {@code docs/architecture.md}, "Java modules".
 *
 * <p>The framework glue ({@code io.nettyrio.integration.reactor}, {@code io.nettyrio.integration.vertx}) reads the
 * frameworks {@code requires static} and not transitively, although their types are in its signatures: a
 * transitive edge would make every application on the module path compile against Reactor and Vert.x, used or
 * not, and a user of the glue requires its framework anyway.
 */
// reactor-core and reactor-netty-core ship as automatic modules (an Automatic-Module-Name in their manifests, no
// module descriptor): there is nothing else to require, and the Reactor glue cannot do without them.
@SuppressWarnings("requires-automatic")
module io.nettyrio.transport {
    requires transitive io.nettyrio.rio;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;

    // Framework glue: compiled against the frameworks, needed at run time only by those who use them.
    requires static reactor.core;
    requires static reactor.netty.core;
    requires static io.vertx.core;

    exports io.nettyrio.buffer;
    exports io.nettyrio.channel;
    exports io.nettyrio.integration.reactor;
    exports io.nettyrio.integration.vertx;
}
