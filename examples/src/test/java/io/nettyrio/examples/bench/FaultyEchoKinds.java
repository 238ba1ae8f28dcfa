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
package io.nettyrio.examples.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.util.function.Supplier;

/**
 * Broken echo servers, plugged into {@link BenchServer} by class name, that the CI-sized benchmark run must
 * catch: each echoes correctly for its first {@link #GOOD_MESSAGES} reads on a connection, then misbehaves.
 */
public final class FaultyEchoKinds {
    static final int GOOD_MESSAGES = 50;

    private FaultyEchoKinds() {
    }

    /** Flips one byte of an echo: the load generator's byte check must fail the run. */
    public static final class Corrupting extends Base {
        /** Creates the kind (the server JVM instantiates it by name). */
        public Corrupting() {
            super(() -> new Faulty() {
                @Override
                void misbehave(ChannelHandlerContext ctx, ByteBuf msg) {
                    msg.setByte(msg.readerIndex(), ~msg.getByte(msg.readerIndex()));
                    ctx.writeAndFlush(msg);
                }
            });
        }
    }

    /** Stops answering (drops what it reads): the benchmark's stall bound must fail the run. */
    public static final class Stalling extends Base {
        /** Creates the kind (the server JVM instantiates it by name). */
        public Stalling() {
            super(() -> new Faulty() {
                @Override
                void misbehave(ChannelHandlerContext ctx, ByteBuf msg) {
                    msg.release();
                }
            });
        }
    }

    /** Kills its own JVM: the benchmark must report the dead server. */
    public static final class Dying extends Base {
        /** Creates the kind (the server JVM instantiates it by name). */
        public Dying() {
            super(() -> new Faulty() {
                @Override
                void misbehave(ChannelHandlerContext ctx, ByteBuf msg) {
                    Runtime.getRuntime().halt(3);
                }
            });
        }
    }

    /** A TCP echo server whose connections each get a new handler from {@code handlers}. */
    abstract static class Base implements ServerKind {
        private final Supplier<Faulty> handlers;

        Base(Supplier<Faulty> handlers) {
            this.handlers = handlers;
        }

        @Override
        public String name() {
            return getClass().getName();
        }

        @Override
        public boolean datagram() {
            return false;
        }

        @Override
        public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
            return ServerKinds.bindTcp(transport, group, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(handlers.get());
                }
            });
        }
    }

    /** Echoes the first reads of its connection, then calls {@link #misbehave}. */
    abstract static class Faulty extends ChannelInboundHandlerAdapter {
        private int reads;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (++reads <= GOOD_MESSAGES) {
                ctx.writeAndFlush(msg);
            } else {
                misbehave(ctx, (ByteBuf) msg);
            }
        }

        abstract void misbehave(ChannelHandlerContext ctx, ByteBuf msg);
    }
}
