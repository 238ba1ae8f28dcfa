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
package io.nettyrio.rio.rules;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Something RIO requires callers to serialize (a request queue, a completion queue, a port): RioRules marks the
 * thread inside a call with one compare-and-set on entry and a plain volatile write on exit, so a second thread
 * entering at the same time is caught without a lock.
 */
abstract class RuleSerialized {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(RuleSerialized.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through OWNER
    private volatile Thread owner;

    /**
     * Marks the current thread as inside a call on this object.
     *
     * @throws RioRuleViolation {@code rule} if another thread is inside a call on it
     */
    final void enter(RioRules.Rule rule, String call) {
        Thread current = Thread.currentThread();
        if (!OWNER.compareAndSet(this, (Thread) null, current)) {
            Thread other = (Thread) OWNER.getVolatile(this);
            throw new RioRuleViolation(rule, call + " on " + this + " from thread '" + current.getName()
                    + "' while thread '" + (other == null ? "?" : other.getName())
                    + "' is inside a call on it; calls on it must be serialized");
        }
    }

    /** Ends a call begun with a successful {@link #enter}. */
    final void exit() {
        OWNER.setVolatile(this, (Thread) null);
    }
}
