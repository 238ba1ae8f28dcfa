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
package io.nettyrio.examples.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.nettyrio.channel.RioIoHandler;
import io.nettyrio.channel.RioSocketChannel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends a message to an echo server over the RIO transport a number of times (bounded), checks each echo, and
 * prints the round trips per second.
 *
 * <p>Usage: {@code EchoClient [host] [port] [size] [count]} (defaults 127.0.0.1, 8007, 256, 10000).
 */
public final class EchoClient {
    private EchoClient() {
    }

    /** Runs the client. */
    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8007;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
        try {
            EchoClientHandler handler = new EchoClientHandler(size, count);
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(RioSocketChannel.class)
                    .handler(handler)
                    .connect(host, port).sync().channel();
            long start = System.nanoTime();
            if (!handler.done.await(60, TimeUnit.SECONDS)) {
                System.err.println("timed out after " + handler.roundTrips + " round trips");
            }
            long nanos = System.nanoTime() - start;
            System.out.printf("%d round trips of %d bytes in %.1f ms: %.0f per second%n", handler.roundTrips,
                    size, nanos / 1e6, handler.roundTrips * 1e9 / nanos);
            channel.close().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Sends the message, waits for all of it to come back, checks it, and sends it again. */
    static final class EchoClientHandler extends ChannelInboundHandlerAdapter {
        final CountDownLatch done = new CountDownLatch(1);
        private final byte[] message;
        private final int count;
        private final ByteBuf received;
        int roundTrips;

        EchoClientHandler(int size, int count) {
            message = new byte[size];
            for (int i = 0; i < size; i++) {
                message[i] = (byte) i;
            }
            this.count = count;
            received = Unpooled.buffer(size);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                received.writeBytes(buf);
            } finally {
                buf.release();
            }
            if (received.readableBytes() < message.length) {
                return;
            }
            for (int i = 0; i < message.length; i++) {
                if (received.getByte(i) != message[i]) {
                    throw new IllegalStateException("echo differs at byte " + i);
                }
            }
            received.clear();
            if (++roundTrips < count) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(message));
            } else {
                done.countDown();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.release();
            done.countDown();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }
}
