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
package io.nettyrio.testsuite.frameworks;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketChannel;
import io.nettyrio.channel.RioDatagramChannel;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.integration.reactor.RioLoopResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RioLoopResources} on its own: the groups, the channels it answers, its threads and its disposal. */
@Timeout(60)
class RioLoopResourcesTest {
    private final RioLoopResources loops = RioLoopResources.create("unit", 1, 2, true);

    @AfterEach
    void dispose() {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
    }

    @Test
    void groupsAreRioMadeOnceAndTheClientsColocated() {
        EventLoopGroup server = loops.onServer(true);
        assertInstanceOf(RioEventLoopGroup.class, server);
        assertSame(server, loops.onServer(false));
        EventLoopGroup select = loops.onServerSelect(true);
        assertInstanceOf(RioEventLoopGroup.class, select);
        assertTrue(select != server, "a selector count was given: the acceptors are a group of their own");
        EventLoopGroup client = loops.onClient(true);
        assertSame(client, loops.onClient(false));
        // The client group is reactor-netty's colocating view of the workers: its loops are theirs.
        assertTrue(server.next() != null && client.next() != null);
    }

    @Test
    void rioChannelsForRioGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {loops.onServer(true), loops.onServerSelect(true),
                loops.onClient(true)}) {
            assertSame(RioSocketChannel.class, loops.onChannelClass(SocketChannel.class, group));
            assertSame(RioServerSocketChannel.class, loops.onChannelClass(ServerSocketChannel.class, group));
            assertSame(RioDatagramChannel.class, loops.onChannelClass(DatagramChannel.class, group));
            SocketChannel channel = loops.onChannel(SocketChannel.class, group);
            try {
                assertInstanceOf(RioSocketChannel.class, channel);
            } finally {
                channel.unsafe().closeForcibly();
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> loops.onChannelClass(DomainSocketChannel.class, loops.onServer(true)));
    }

    @Test
    void otherGroupsAreLeftToReactorNetty() throws Exception {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertSame(NioSocketChannel.class, loops.onChannelClass(SocketChannel.class, nio));
        } finally {
            nio.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void eventLoopThreadsAreNonBlockingForReactor() {
        Boolean blockingRefused = Mono.fromCallable(() -> {
            assertTrue(Thread.currentThread().getName().startsWith("unit-rio-"), Thread.currentThread().getName());
            assertTrue(Schedulers.isInNonBlockingThread());
            try {
                // Not Mono.just: a value already there is returned without the check. A delay must be waited for.
                Mono.delay(Duration.ofMillis(1)).block();
                return false;
            } catch (IllegalStateException expected) {
                return true;
            }
        }).subscribeOn(Schedulers.fromExecutor(loops.onServer(true))).block(Duration.ofSeconds(10));
        assertEquals(Boolean.TRUE, blockingRefused);
        assertTrue(loops.daemon());
    }

    @Test
    void disposeTerminatesTheGroups() {
        EventLoopGroup server = loops.onServer(true);
        EventLoopGroup select = loops.onServerSelect(true);
        assertFalse(loops.isDisposed());
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
        assertTrue(loops.isDisposed());
        assertTrue(server.isTerminated());
        assertTrue(select.isTerminated());
    }

    @Test
    void badCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RioLoopResources.create("bad", 0, false));
        assertThrows(IllegalArgumentException.class, () -> RioLoopResources.create("bad", 0, 1, false));
    }
}
