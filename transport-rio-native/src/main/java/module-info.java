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
 * The RIO model and its providers. Exported: the model ({@code io.nettyrio.rio}) and its rules checker
 * ({@code io.nettyrio.rio.rules}). The providers ({@code io.nettyrio.rio.uring}, {@code io.nettyrio.rio.windows})
 * stay internal: {@link io.nettyrio.rio.Rio} finds them through {@link java.util.ServiceLoader}, and nothing
 * outside this module names them.
 *
 * <p>The providers make FFM downcalls, which are restricted methods: grant this module native access with
 * {@code --enable-native-access=io.nettyrio.rio} on the module path ({@code ALL-UNNAMED} on the class path);
 * {@code docs/architecture.md}, "Java modules".
 */
module io.nettyrio.rio {
    exports io.nettyrio.rio;
    exports io.nettyrio.rio.rules;

    uses io.nettyrio.rio.RioProvider;

    // Rio tries them in turn; each refuses at once with UnsupportedOperationException on another OS.
    provides io.nettyrio.rio.RioProvider with
            io.nettyrio.rio.uring.IoUringProvider,
            io.nettyrio.rio.windows.WindowsProvider;
}
