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
package io.nettyrio.testsuite.transport;

import io.netty.testsuite.transport.AbstractComboTestsuiteTest;
import io.netty.testsuite.transport.AbstractTestsuiteTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints, after each of Netty's testsuite classes run over RIO, how many bytes the RIO worker loops sent straight
 * from registered buffers (the {@code RioByteBufAllocator} permutation's writes) and how many they copied into
 * staging slots (Netty's allocators' writes), so that the run's output shows the zero-copy path ran under Netty's
 * testsuite. Registered for the testsuite module through {@code META-INF/services} (extension auto-detection is on
 * in every module); it does nothing for other test classes.
 */
public final class ZeroCopyReport implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZeroCopyReport.class);

    /** Auto-detection creates it. */
    public ZeroCopyReport() {
    }

    private static boolean applies(ExtensionContext context) {
        Class<?> c = context.getTestClass().orElse(null);
        return c != null && c.getPackageName().equals(ZeroCopyReport.class.getPackageName())
                && context.getElement().orElse(null) == c
                && (AbstractTestsuiteTest.class.isAssignableFrom(c)
                    || AbstractComboTestsuiteTest.class.isAssignableFrom(c));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (applies(context)) {
            context.getStore(NAMESPACE).put("before", RioSocketTestPermutation.sentBytes());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        long[] before = applies(context) ? context.getStore(NAMESPACE).get("before", long[].class) : null;
        if (before == null) {
            return;
        }
        long[] after = RioSocketTestPermutation.sentBytes();
        System.out.printf("[zero-copy] %s: RIO worker loops sent %d bytes from registered buffers without a copy "
                        + "(RioByteBufAllocator permutation) and copied %d bytes into staging slots%n",
                context.getRequiredTestClass().getSimpleName(), after[0] - before[0], after[1] - before[1]);
    }
}
