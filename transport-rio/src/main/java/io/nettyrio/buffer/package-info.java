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
 * Registered memory for the RIO transport, the public API: {@link io.nettyrio.buffer.RioByteBufAllocator}, a
 * pooled Netty allocator whose direct buffers live in RIO registered memory (slots, each its own registration),
 * and its metric {@link io.nettyrio.buffer.RioByteBufAllocatorMetric}. What the channel layer needs beyond that
 * lives in {@code io.nettyrio.buffer.internal}, which is not API. See {@code docs/allocator.md}.
 */
package io.nettyrio.buffer;
