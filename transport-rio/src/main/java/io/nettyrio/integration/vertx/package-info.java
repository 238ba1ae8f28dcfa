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
 * The RIO transport under Vert.x 5: {@link io.nettyrio.integration.vertx.RioTransport}, given to
 * {@code Vertx.builder().withTransport(...)}. Needs {@code io.vertx:vertx-core} on the class path (an optional
 * dependency of this jar). See the README's "Use it with..." section.
 */
package io.nettyrio.integration.vertx;
