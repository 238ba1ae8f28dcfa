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

import io.nettyrio.rio.rules.RioRules;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Entry point of the RIO model: whether it is available here and, if it is, the provider for the running OS
 * (real RIO on Windows, RIO's semantics over io_uring on Linux). Mirrors Netty's {@code Epoll} and
 * {@code IoUring} classes. Providers are {@link RioProvider} services ({@link ServiceLoader}): the first that opens
 * on this machine is used.
 *
 * <p>With the system property {@value #RULES_PROPERTY} set to {@code true}, the provider is wrapped in
 * {@link RioRules}, which fails fast on the documented rules whose breach Windows does not report.
 */
public final class Rio {
    /** The system property that switches RioRules on. */
    public static final String RULES_PROPERTY = "io.nettyrio.rules";
    /** The system property that names a provider class to use instead of the OS default (for tests). */
    public static final String PROVIDER_PROPERTY = "io.nettyrio.provider";

    private static final RioProvider PROVIDER;
    private static final Throwable UNAVAILABILITY_CAUSE;

    static {
        RioProvider provider = null;
        Throwable cause = null;
        try {
            provider = load();
        } catch (Throwable t) {
            cause = t;
        }
        PROVIDER = provider;
        UNAVAILABILITY_CAUSE = cause;
    }

    private Rio() {
    }

    /** Returns whether a provider could be opened on this machine. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /**
     * Throws, with the reason as its cause, if no provider is available.
     *
     * @throws UnsatisfiedLinkError if RIO is not available
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw (Error) new UnsatisfiedLinkError("the RIO transport is not available: "
                    + UNAVAILABILITY_CAUSE.getMessage()).initCause(UNAVAILABILITY_CAUSE);
        }
    }

    /** Returns why no provider is available, or {@code null} if one is. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /**
     * Returns the provider for this OS (wrapped in RioRules when {@value #RULES_PROPERTY} is true).
     *
     * @throws UnsatisfiedLinkError if RIO is not available
     */
    public static RioProvider provider() {
        ensureAvailability();
        return PROVIDER;
    }

    /** Returns whether RioRules checks every call ({@value #RULES_PROPERTY}). */
    public static boolean rulesEnabled() {
        return Boolean.getBoolean(RULES_PROPERTY);
    }

    private static RioProvider load() throws Exception {
        String className = System.getProperty(PROVIDER_PROPERTY);
        RioProvider provider = className != null ? loadNamed(className) : loadService();
        return rulesEnabled() ? RioRules.wrap(provider) : provider;
    }

    /** The test override: a provider class named by {@value #PROVIDER_PROPERTY}, public with a public constructor. */
    private static RioProvider loadNamed(String className) throws Exception {
        try {
            return (RioProvider) Class.forName(className).getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        }
    }

    /**
     * The first provider declared as a {@link RioProvider} service (this module's {@code provides}, or
     * {@code META-INF/services} on the class path) that opens. A provider refuses another OS at once with
     * {@link UnsupportedOperationException}; any other failure (io_uring disabled, RIO missing) is the real reason
     * and becomes the unavailability cause as it is.
     */
    private static RioProvider loadService() throws Exception {
        return firstThatOpens(ServiceLoader.load(RioProvider.class, Rio.class.getClassLoader()).stream().toList());
    }

    /** {@link #loadService()} over the given candidates, in order; package-private for tests. */
    static RioProvider firstThatOpens(List<? extends ServiceLoader.Provider<RioProvider>> candidates)
            throws Exception {
        List<Throwable> refused = new ArrayList<>();
        Throwable failure = null;
        for (ServiceLoader.Provider<RioProvider> candidate : candidates) {
            try {
                return candidate.get();
            } catch (ServiceConfigurationError e) {
                // ServiceLoader wraps what the constructor threw.
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof UnsupportedOperationException) {
                    refused.add(cause);
                } else if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            refused.forEach(failure::addSuppressed);
            throw rethrow(failure);
        }
        StringBuilder why = new StringBuilder("no RIO provider for ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.arch")).append(
                        ": RIO needs Windows 8 or later, and its io_uring emulation needs Linux");
        for (Throwable t : refused) {
            why.append("; ").append(t.getMessage());
        }
        if (refused.isEmpty()) {
            why.append("; no RioProvider service is declared (META-INF/services or the module's provides)");
        }
        UnsupportedOperationException e = new UnsupportedOperationException(why.toString());
        refused.forEach(e::addSuppressed);
        throw e;
    }

    private static Exception rethrow(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        throw (Error) t;
    }
}
