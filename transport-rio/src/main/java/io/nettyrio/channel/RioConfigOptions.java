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
package io.nettyrio.channel;

import io.netty.channel.ChannelOption;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link ChannelOption}s a RIO channel config answers, each with its getter and setter: the one place that maps
 * an option to the config's typed accessors, which {@link io.netty.channel.DefaultChannelConfig}'s subclasses in
 * Netty spell out as {@code if (option == X)} chains in {@code getOption}, {@code setOption} and
 * {@code getOptions}. A table is built once per config class (a {@code static final}), and a subclass's table
 * {@link #extend() extends} its superclass's. Immutable: {@link #with} returns a new table.
 *
 * @param <C> the config type the accessors take
 */
final class RioConfigOptions<C> {
    private record Accessor<C, T>(Function<? super C, T> getter, BiConsumer<? super C, T> setter) {
    }

    private final Map<ChannelOption<?>, Accessor<C, ?>> accessors;
    private final ChannelOption<?>[] options;

    private RioConfigOptions(Map<ChannelOption<?>, Accessor<C, ?>> accessors) {
        this.accessors = accessors;
        this.options = accessors.keySet().toArray(new ChannelOption<?>[0]);
    }

    /** Returns an empty table. */
    static <C> RioConfigOptions<C> empty() {
        return new RioConfigOptions<>(new IdentityHashMap<>());
    }

    /** Returns this table with {@code option} added. */
    <T> RioConfigOptions<C> with(ChannelOption<T> option, Function<? super C, T> getter,
                                 BiConsumer<? super C, T> setter) {
        Map<ChannelOption<?>, Accessor<C, ?>> copy = new IdentityHashMap<>(accessors);
        copy.put(option, new Accessor<>(getter, setter));
        return new RioConfigOptions<>(copy);
    }

    /** Returns this table for a subclass {@code D} of {@code C}, to add the subclass's own options to. */
    @SuppressWarnings("unchecked")
    <D extends C> RioConfigOptions<D> extend() {
        // Safe: the table is immutable, and an accessor that takes any C takes any D.
        return (RioConfigOptions<D>) this;
    }

    /** Returns the options of this table, for {@code DefaultChannelConfig.getOptions(Map, ChannelOption...)}. */
    ChannelOption<?>[] options() {
        return options.clone();
    }

    /** Returns whether {@code option} is in this table. */
    boolean has(ChannelOption<?> option) {
        return accessors.containsKey(option);
    }

    /** Returns the value of {@code option}, which must be in this table ({@link #has}). */
    @SuppressWarnings("unchecked")
    <T> T get(C config, ChannelOption<T> option) {
        return ((Accessor<C, T>) accessors.get(option)).getter().apply(config);
    }

    /**
     * Sets {@code option} and returns true if it is in this table, else returns false. The value has passed
     * {@code DefaultChannelConfig.validate} (it has the option's type).
     */
    @SuppressWarnings("unchecked")
    <T> boolean set(C config, ChannelOption<T> option, T value) {
        Accessor<C, T> accessor = (Accessor<C, T>) accessors.get(option);
        if (accessor == null) {
            return false;
        }
        accessor.setter().accept(config, value);
        return true;
    }
}
