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

/**
 * Tells whether the RIO transport can be used here, beside its channels, as Netty's {@code Epoll} and
 * {@code IoUring} classes do for theirs ({@code io.netty.channel.epoll.Epoll},
 * {@code io.netty.channel.uring.IoUring}):
 *
 * <pre>{@code
 * EventLoopGroup group = Rio.isAvailable()
 *         ? new MultiThreadIoEventLoopGroup(RioIoHandler.newFactory())
 *         : new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
 * }</pre>
 *
 * <p>Every method delegates to the RIO model's own entry point, {@link io.nettyrio.rio.Rio}, which opens the
 * provider of this OS once (mswsock's RIO on Windows, the io_uring provider on Linux) and keeps why it could not.
 */
public final class Rio {

    private Rio() {
    }

    /**
     * Returns whether the RIO transport can be used: whether {@link io.nettyrio.rio.Rio#isAvailable()} could open a
     * provider on this machine.
     */
    public static boolean isAvailable() {
        return io.nettyrio.rio.Rio.isAvailable();
    }

    /**
     * Throws, with the reason as its cause, if the RIO transport cannot be used; see
     * {@link io.nettyrio.rio.Rio#ensureAvailability()}.
     *
     * @throws UnsatisfiedLinkError if RIO is not available
     */
    public static void ensureAvailability() {
        io.nettyrio.rio.Rio.ensureAvailability();
    }

    /**
     * Returns why the RIO transport cannot be used, or {@code null} if it can; see
     * {@link io.nettyrio.rio.Rio#unavailabilityCause()}.
     */
    public static Throwable unavailabilityCause() {
        return io.nettyrio.rio.Rio.unavailabilityCause();
    }
}
