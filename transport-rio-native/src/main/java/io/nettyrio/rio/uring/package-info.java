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
 * The Linux provider of the RIO model: Windows Registered I/O's documented semantics over io_uring, through the
 * FFM API only. {@link io.nettyrio.rio.uring.IoUringProvider} is its entry point, loaded by
 * {@link io.nettyrio.rio.Rio#provider()} on Linux; {@code docs/linux-provider.md} describes the architecture, how
 * each RIO rule maps onto io_uring, and what is not supported.
 */
package io.nettyrio.rio.uring;
