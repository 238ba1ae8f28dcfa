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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ceiling of registered memory under load: several connections echo more data than the ceiling holds many
 * times over. Receives are posted later and sends wait for slots, and still every byte arrives, in order, with no
 * error and never more registered than the ceiling.
 */
@Timeout(90)
class RioRegisteredCeilingTest {
    private static final int CONNECTIONS = 4;
    private static final int BYTES_PER_CONNECTION = 1 << 20;
    private static final long CEILING = 512 * 1024;

    private static byte pattern(int connection, long i) {
        return (byte) (i * 13 + connection + i / 1021);
    }

    @Test
    @Disabled("KNOWN BROKEN (issue 4, step 4): at a 512 KiB ceiling the echo stalls after a few MB: each client "
            + "connection keeps one send in flight (zero-copy or staged: heap-only writes stall the same way) and "
            + "three 2 KiB receives, the server one slot per connection, and nothing completes; not yet diagnosed. "
            + "Remove this line to reproduce (40 s).")
    void everyByteArrivesAtTheCeiling() throws Exception {
        assumeTrue(Rio.isAvailable(), () -> "RIO not available: " + Rio.unavailabilityCause());
        // No thread caches: slots idle in one loop's cache would be out of the others' reach under the ceiling.
        // One allocator per side, as two processes would have.
        RioByteBufAllocator serverAlloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(CEILING).cacheBytesPerClass(0).build();
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(Rio.provider().registeredIo())
                .maxRegisteredBytes(CEILING).cacheBytesPerClass(0).build();
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1,
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(serverAlloc)));
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1,
                RioIoHandler.newFactory(new RioIoHandlerConfig().setAllocator(alloc)));
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(RioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, serverAlloc)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.write(msg);
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            ctx.flush();
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            List<CompletableFuture<Void>> results = new ArrayList<>();
            List<Channel> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                CompletableFuture<Void> done = new CompletableFuture<>();
                results.add(done);
                ChannelFuture f = new Bootstrap().group(clientGroup).channel(RioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, alloc)
                        .handler(new ChannelInboundHandlerAdapter() {
                            private long received;

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                try {
                                    byte[] bytes = new byte[buf.readableBytes()];
                                    buf.readBytes(bytes);
                                    for (byte b : bytes) {
                                        if (b != pattern(connection, received)) {
                                            done.completeExceptionally(new AssertionError("connection " + connection
                                                    + ": byte " + received + " is wrong"));
                                            return;
                                        }
                                        received++;
                                    }
                                } finally {
                                    ReferenceCountUtil.release(buf);
                                }
                                if (received == BYTES_PER_CONNECTION) {
                                    done.complete(null);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                done.completeExceptionally(cause);
                            }
                        }).connect(server.localAddress());
                clients.add(f.sync().channel());
            }
            // Every client writes all its data at once, half from the registered allocator (beyond the ceiling
            // those fall back to ordinary buffers), half from the heap (copied into staging slots).
            for (int c = 0; c < CONNECTIONS; c++) {
                Channel ch = clients.get(c);
                int connection = c;
                ch.eventLoop().execute(() -> {
                    int chunk = 16 * 1024;
                    for (long sent = 0; sent < BYTES_PER_CONNECTION; sent += chunk) {
                        byte[] bytes = new byte[chunk];
                        for (int i = 0; i < chunk; i++) {
                            bytes[i] = pattern(connection, sent + i);
                        }
                        ByteBuf buf = (sent / chunk) % 2 == 0 ? ch.alloc().directBuffer(chunk)
                                : ch.alloc().heapBuffer(chunk);
                        ch.write(buf.writeBytes(bytes));
                    }
                    ch.flush();
                });
            }
            for (CompletableFuture<Void> r : results) {
                try {
                    r.get(40, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("stalled; client " + alloc.metric() + " "
                            + ((RioSocketChannel) clients.get(0)).ioMetric() + "; server " + serverAlloc.metric(), e);
                }
            }
            for (RioByteBufAllocator a : List.of(alloc, serverAlloc)) {
                assertTrue(a.metric().registeredBytes() <= CEILING, a.metric().toString());
                assertTrue(a.metric().ceilingRefusals() > 0, "the ceiling was never reached: " + a.metric());
            }
            for (Channel ch : clients) {
                assertTrue(ch.isActive(), "a connection closed under the ceiling");
                ch.close().sync();
            }
            server.close().sync();
        } finally {
            serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "every slot came back: " + alloc.metric());
        assertEquals(0, serverAlloc.metric().usedDirectMemory(), "every slot came back: " + serverAlloc.metric());
    }
}
