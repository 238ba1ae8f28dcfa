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
 * Internal to the RIO transport, not API: the parts of {@link io.nettyrio.buffer.RioByteBufAllocator} that the
 * channel layer ({@code io.nettyrio.channel}) uses and users must not: registered slots ({@link
 * io.nettyrio.buffer.internal.RioSlot}), an event loop's view of the allocator ({@link
 * io.nettyrio.buffer.internal.RioSlotPool}) and the buffer a receive hands up the pipeline ({@link
 * io.nettyrio.buffer.internal.RioSlotByteBuf}), and the allocator's own machinery behind its facade (size-class
 * pools, thread caches, the ceiling of registered memory, slab registration), split the way Netty splits
 * {@code PooledByteBufAllocator} over {@code PoolArena} and {@code PoolThreadCache}. The module does not export
 * this package; anything here may change without notice. See {@code docs/allocator.md}.
 */
package io.nettyrio.buffer.internal;
