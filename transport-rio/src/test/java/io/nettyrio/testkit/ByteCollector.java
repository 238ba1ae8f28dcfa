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
package io.nettyrio.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;

/**
 * Collects the bytes a channel reads until {@code expected} have arrived, releasing every buffer it is given, and
 * completes {@link #received()} with them (or exceptionally with the first error). Not sharable: one per channel.
 */
public final class ByteCollector extends ChannelInboundHandlerAdapter {
    private final int expected;
    private final CompletableFuture<byte[]> received = new CompletableFuture<>();
    private ByteBuf collected;

    /** Creates a collector that completes once {@code expected} bytes have been read. */
    public ByteCollector(int expected) {
        this.expected = expected;
    }

    /** Completed with the bytes read once {@code expected} have arrived. */
    public CompletableFuture<byte[]> received() {
        return received;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        collected = Unpooled.buffer(Math.min(expected, 1 << 20));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        collected.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            collected.writeBytes((ByteBuf) msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (collected.readableBytes() >= expected && !received.isDone()) {
            byte[] bytes = new byte[collected.readableBytes()];
            collected.readBytes(bytes);
            received.complete(bytes);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        received.completeExceptionally(cause);
        ctx.close();
    }
}
