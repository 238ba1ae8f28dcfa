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
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.rio.uring.IoUringProvider;
import io.nettyrio.rio.uring.IoUringStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When no task waits to run after a completion batch, {@link RioIoHandler#run} ends the batch with RIONotify before
 * it returns: the replies the batch wrote go to the kernel then, not after the event loop's bookkeeping at the start
 * of its next run (docs/transport.md, "Event loop"). A ping-pong's reply waits for exactly that.
 */
@Timeout(60)
class RioBatchEndSubmitTest {
    private static final int EXCHANGES = 100;

    private EventLoopGroup group;

    @AfterEach
    void tearDown() throws Exception {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aReplyWrittenInACompletionBatchIsSubmittedBeforeTheRunReturns() throws Exception {
        assumeRioAvailable();
        assumeTrue(RioRules.unwrap(Rio.provider()) instanceof IoUringProvider,
                "counts the io_uring provider's submitted SQEs");
        IoUringStatistics statistics = ((IoUringProvider) RioRules.unwrap(Rio.provider())).statistics();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        // Event loop only: the SQE count when a reply was written in the current run, or -1.
        long[] atReply = {-1};
        int[] submittedInRun = {0};
        int[] replies = {0};
        IoHandlerFactory rio = RioIoHandler.newFactory();
        IoHandlerFactory watched = new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new Watching(rio.newHandler(executor), () -> {
                    if (atReply[0] >= 0) {
                        if (statistics.sqesSubmitted() > atReply[0]) {
                            submittedInRun[0]++;
                        }
                        atReply[0] = -1;
                    }
                });
            }

            @Override
            public boolean isChangingThreadSupported() {
                return rio.isChangingThreadSupported();
            }
        };
        group = new MultiThreadIoEventLoopGroup(1, watched);
        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf request = (ByteBuf) msg;
                        ByteBuf reply = ctx.alloc().buffer(request.readableBytes()).writeBytes(request);
                        request.release();
                        atReply[0] = statistics.sqesSubmitted();
                        replies[0]++;
                        ctx.writeAndFlush(reply).addListener(f -> {
                            if (!f.isSuccess()) {
                                errors.add(f.cause());
                            }
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
            BlockingEchoPeer.exchange(server.localAddress(), EXCHANGES, 64);
            int submitted = group.submit(() -> submittedInRun[0]).get();
            int written = group.submit(() -> replies[0]).get();
            assertTrue(errors.isEmpty(), () -> "errors: " + errors);
            assertEquals(EXCHANGES, written);
            // Every run that wrote a reply submitted it before returning, unless a task happened to wait then (a
            // run with tasks leaves the batch open for them): all of them here, and none when the RIONotify that
            // ends the batch is left to the next run.
            assertTrue(submitted >= EXCHANGES * 9 / 10,
                    "replies submitted within the run that wrote them: " + submitted + " of " + EXCHANGES);
        } finally {
            server.close().sync();
        }
    }

    /** Runs {@code afterRun} after each run of the handler it wraps. */
    private static final class Watching implements IoHandler {
        private final IoHandler delegate;
        private final Runnable afterRun;

        Watching(IoHandler delegate, Runnable afterRun) {
            this.delegate = delegate;
            this.afterRun = afterRun;
        }

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            int handled = delegate.run(context);
            afterRun.run();
            return handled;
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }
}
