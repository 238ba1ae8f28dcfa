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

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.InOrder;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The handler's completion-queue bookkeeping, wakeups and the channel options' validation, over the mocked
 * provider.
 */
@Timeout(30)
class RioIoHandlerTest {
    private FakeRio fake;
    private EventLoopGroup group;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeRio();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private RioSocketChannel connect(int receives, int sends) throws Exception {
        return (RioSocketChannel) new Bootstrap().group(group)
                .channelFactory(() -> new RioSocketChannel(fake.sockets))
                .option(RioChannelOption.RIO_OUTSTANDING_RECEIVES, receives)
                .option(RioChannelOption.RIO_OUTSTANDING_SENDS, sends)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress("127.0.0.1", 9)).sync().channel();
    }

    @Test
    void completionQueueGrowsBeforeARequestQueueThatWouldNotFit() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider,
                new RioIoHandlerConfig().setCompletionQueueSize(8)));
        connect(2, 4);
        verify(fake.rio, never()).resizeCompletionQueue(anyLong(), anyInt());
        connect(4, 16);
        InOrder order = inOrder(fake.rio);
        order.verify(fake.rio).createRequestQueue(anyLong(), eq(2), eq(1), eq(4), eq(1), eq(FakeRio.CQ),
                eq(FakeRio.CQ), anyLong());
        // 6 + 20 entries do not fit in 8: the queue doubles at least, to 26, before the second request queue.
        order.verify(fake.rio).resizeCompletionQueue(FakeRio.CQ, 26);
        order.verify(fake.rio).createRequestQueue(anyLong(), eq(4), eq(1), eq(16), eq(1), eq(FakeRio.CQ),
                eq(FakeRio.CQ), anyLong());
    }

    @Test
    void factorySupportsChangingThreadsOnlyWithoutASingleIssuer() throws Exception {
        // Without this Netty creates the event loops without suspension support, and an auto-scaling group can
        // never scale them down (RioEventLoopTest in the testsuite runs Netty's auto-scaling tests this way).
        assertTrue(RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig().setSingleIssuer(false))
                .isChangingThreadSupported());
        // By default the handler's port is owned by its loop's thread, which therefore cannot change.
        assertFalse(RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()).isChangingThreadSupported());
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()));
        group.submit(() -> { }).sync();
        verify(fake.provider).openOwnedPort();
        verify(fake.provider, never()).openPort();
    }

    @Test
    void wakeupFromAnotherThreadRunsTheTaskPromptly() throws Exception {
        // The idle loop blocks in the port for up to a minute: only the wakeup (a post to the port) runs a task
        // submitted meanwhile within the 10 s each task is given. A bound in time (rather than a wait that the
        // fake port ends after 50 ms anyway) would measure the machine's load, not the wakeup.
        fake.port.maxWaitNanos = TimeUnit.MINUTES.toNanos(1);
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()));
        group.submit(() -> { }).sync();
        for (int i = 0; i < 20; i++) {
            // Let the loop go back to its blocking wait before the next task arrives.
            Thread.sleep(5);
            assertEquals(i, (int) group.submit(() -> Integer.valueOf(0)).get(10, TimeUnit.SECONDS) + i);
        }
        verify(fake.rio, never()).createRequestQueue(anyLong(), anyInt(), anyInt(), anyInt(), anyInt(), anyLong(),
                anyLong(), anyLong());
        verify(fake.rio).createCompletionQueue(anyInt(), any());
    }

    @Test
    void invalidOptionValuesAreRejected() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory(fake.provider, new RioIoHandlerConfig()));
        RioSocketChannel ch = connect(1, 1);
        assertThrows(IllegalArgumentException.class,
                () -> ch.config().setOption(RioChannelOption.RIO_OUTSTANDING_SENDS, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ch.config().setOption(RioChannelOption.RIO_OUTSTANDING_RECEIVES, 1025));
        assertThrows(IllegalArgumentException.class,
                () -> ch.config().setOption(RioChannelOption.RIO_RECEIVE_SLOT_SIZE, 100));
        assertThrows(IllegalArgumentException.class, () -> ch.config().setOption(ChannelOption.IP_TOS, 256));
        assertThrows(IllegalArgumentException.class, () -> ch.config().setOption(ChannelOption.SO_SNDBUF, -1));
        assertThrows(IllegalArgumentException.class, () -> ch.config().setOption(ChannelOption.SO_RCVBUF, -1));
        assertThrows(IllegalArgumentException.class, () -> ch.config().setOption(ChannelOption.SO_LINGER, 70000));
        assertThrows(IllegalArgumentException.class,
                () -> ch.config().setOption(ChannelOption.WRITE_SPIN_COUNT, 0));
        assertThrows(IllegalArgumentException.class, () -> new RioIoHandlerConfig().setCompletionQueueSize(0));
        assertEquals(16, new RioSocketChannelConfig(ch).getOption(RioChannelOption.RIO_OUTSTANDING_SENDS));
        assertTrue(ch.config().setOption(RioChannelOption.RIO_RECEIVE_SLOT_SIZE, 8192));
        assertEquals(8192, ch.config().getOption(RioChannelOption.RIO_RECEIVE_SLOT_SIZE));
    }
}
