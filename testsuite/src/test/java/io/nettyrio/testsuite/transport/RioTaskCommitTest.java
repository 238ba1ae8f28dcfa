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

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.uring.IoUringProvider;
import io.nettyrio.rio.uring.IoUringStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A write that a completion handler hands to the event loop as a task (as reactor-netty does with the next of a
 * connection's pipelined requests, and as any handler that writes from {@code executor().execute} does) goes to
 * the kernel with the completion batch before it, at the loop's next RIONotify, not with an {@code io_uring_enter}
 * of its own: the batch stays open until the loop waits again (docs/transport.md, "Event loop").
 */
@Timeout(60)
class RioTaskCommitTest {
    private static final int SIZE = 64;
    private static final int EXCHANGES = 200;

    private EventLoopGroup group;

    @BeforeEach
    void setUp() {
        assumeRioAvailable();
        group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aWriteATaskMakesAfterACompletionBatchEntersNoKernelOfItsOwn() throws Exception {
        assumeTrue(RioRules.unwrap(Rio.provider()) instanceof IoUringProvider,
                "counts the io_uring provider's io_uring_enter calls");
        IoUringStatistics statistics = ((IoUringProvider) RioRules.unwrap(Rio.provider())).statistics();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong entersDuringTaskWrites = new AtomicLong();
        AtomicLong taskWrites = new AtomicLong();
        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf request = (ByteBuf) msg;
                        ByteBuf reply = ctx.alloc().buffer(request.readableBytes()).writeBytes(request);
                        request.release();
                        // Not a write from the completion: a task, run after this run of the handler.
                        ctx.executor().execute(() -> {
                            long before = statistics.enterCalls();
                            ctx.writeAndFlush(reply).addListener(f -> {
                                if (!f.isSuccess()) {
                                    errors.add(f.cause());
                                }
                            });
                            entersDuringTaskWrites.addAndGet(statistics.enterCalls() - before);
                            taskWrites.incrementAndGet();
                        });
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                        ctx.close();
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            BlockingEchoPeer.exchange(server.localAddress(), EXCHANGES, SIZE);
            // Read on the loop, after its earlier tasks: the last task counts its write after the reply left.
            long writes = group.submit(taskWrites::get).get();
            long enters = group.submit(entersDuringTaskWrites::get).get();
            assertTrue(errors.isEmpty(), () -> "errors: " + errors);
            assertEquals(EXCHANGES, writes);
            // Every reply was written from a task that followed the batch holding its request, so none of the
            // writes entered the kernel: the count is 0 here, and EXCHANGES when each commit enters at once.
            // Margin for an enter counted meanwhile by some other thread of the process (a loop of another test
            // still ending); each such enter can inflate the count by one.
            assertTrue(enters <= EXCHANGES / 20,
                    "io_uring_enter calls made during " + EXCHANGES + " task writes: " + enters);
        } finally {
            server.close().sync();
        }
    }
}
