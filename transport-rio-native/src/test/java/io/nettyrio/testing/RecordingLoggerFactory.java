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
package io.nettyrio.testing;

import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * Netty's logger factory, wrapped so that every WARN and ERROR event reaches {@link TransportWatch} whatever the
 * logging back end (java.util.logging in the transport modules, logback in the testsuite): Netty and the transport
 * log through {@link InternalLoggerFactory}, and a logger keeps the factory that was the default when its class
 * was initialized, so the wrapper is installed before any transport or Netty class logs.
 *
 * <p>The transport's loggers ({@code io.nettyrio.*}) and Netty's leak detector
 * ({@code io.netty.util.ResourceLeakDetector}, which reports a leak only if ERROR is enabled) say WARN and ERROR are
 * enabled whatever the back end's level, so no such event can be configured away.
 */
final class RecordingLoggerFactory extends InternalLoggerFactory {
    static final String TRANSPORT_PREFIX = "io.nettyrio";
    static final String LEAK_DETECTOR = "io.netty.util.ResourceLeakDetector";

    private static final Method NEW_INSTANCE;

    static {
        try {
            // Protected in Netty's factory: the back end's factory is reached through it, not re-implemented.
            NEW_INSTANCE = InternalLoggerFactory.class.getDeclaredMethod("newInstance", String.class);
            NEW_INSTANCE.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InternalLoggerFactory delegate;
    private final TransportWatch.Recorder recorder;

    private RecordingLoggerFactory(InternalLoggerFactory delegate, TransportWatch.Recorder recorder) {
        this.delegate = delegate;
        this.recorder = recorder;
    }

    /** Makes the recording factory Netty's default, once; later calls do nothing. */
    static synchronized void install(TransportWatch.Recorder recorder) {
        InternalLoggerFactory current = InternalLoggerFactory.getDefaultFactory();
        if (!(current instanceof RecordingLoggerFactory)) {
            InternalLoggerFactory.setDefaultFactory(new RecordingLoggerFactory(current, recorder));
        }
    }

    @Override
    protected InternalLogger newInstance(String name) {
        InternalLogger logger;
        try {
            logger = (InternalLogger) NEW_INSTANCE.invoke(delegate, name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the logger " + name, e);
        }
        boolean alwaysOn = name.startsWith(TRANSPORT_PREFIX) || name.equals(LEAK_DETECTOR);
        return (InternalLogger) Proxy.newProxyInstance(InternalLogger.class.getClassLoader(),
                new Class<?>[] {InternalLogger.class}, new Recording(logger, alwaysOn, recorder));
    }

    /** Passes every call to the back end's logger and records WARN and ERROR events on the way. */
    private static final class Recording implements InvocationHandler {
        private final InternalLogger logger;
        private final boolean alwaysOn;
        private final TransportWatch.Recorder recorder;

        Recording(InternalLogger logger, boolean alwaysOn, TransportWatch.Recorder recorder) {
            this.logger = logger;
            this.alwaysOn = alwaysOn;
            this.recorder = recorder;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "isWarnEnabled", "isErrorEnabled" -> {
                    if (alwaysOn) {
                        return true;
                    }
                }
                case "isEnabled" -> {
                    if (alwaysOn && isWarnOrError((InternalLogLevel) args[0])) {
                        return true;
                    }
                }
                case "warn" -> record(InternalLogLevel.WARN, args, 0);
                case "error" -> record(InternalLogLevel.ERROR, args, 0);
                case "log" -> {
                    InternalLogLevel level = (InternalLogLevel) args[0];
                    if (isWarnOrError(level)) {
                        record(level, args, 1);
                    }
                }
                default -> {
                }
            }
            try {
                return method.invoke(logger, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static boolean isWarnOrError(InternalLogLevel level) {
            return level == InternalLogLevel.WARN || level == InternalLogLevel.ERROR;
        }

        private void record(InternalLogLevel level, Object[] args, int from) {
            StringBuilder text = new StringBuilder();
            Throwable thrown = null;
            for (int i = from; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Throwable t) {
                    thrown = t;
                    continue;
                }
                if (!text.isEmpty()) {
                    text.append(" | ");
                }
                text.append(a instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(a));
                if (a instanceof Object[] array && array.length > 0 && array[array.length - 1] instanceof Throwable t) {
                    thrown = t;
                }
            }
            recorder.logged(logger.name(), level, text.toString(), thrown);
        }
    }
}
