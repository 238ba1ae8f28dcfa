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
package io.nettyrio.testsuite.hostile;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A handler that, once its channel is active, writes {@code chunks} chunks of {@code chunkSize} seeded bytes at
 * once (one flush), keeps every write's future, drops what it receives, and keeps what {@code exceptionCaught}
 * sees. The chunks are heap buffers (the transport copies them into registered staging slots) or buffers from the
 * channel's allocator (registered memory, sent without a copy).
 */
final class Blaster extends ChannelInboundHandlerAdapter {
    /** Where the bytes written come from. */
    enum Kind { HEAP, REGISTERED }

    final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();
    final List<Throwable> caught = new CopyOnWriteArrayList<>();
    private final Kind kind;
    private final int chunks;
    private final byte[] chunk;

    Blaster(Kind kind, int chunks, int chunkSize, int stream) {
        this.kind = kind;
        this.chunks = chunks;
        this.chunk = Hostile.payload(stream, chunkSize);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        for (int i = 0; i < chunks; i++) {
            ByteBuf buf = kind == Kind.HEAP ? Unpooled.buffer(chunk.length)
                    : ctx.alloc().directBuffer(chunk.length);
            buf.writeBytes(chunk);
            writes.add(ctx.write(buf));
        }
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        caught.add(cause);
        ctx.close();
    }

    long done() {
        return writes.stream().filter(ChannelFuture::isDone).count();
    }

    long failed() {
        return writes.stream().filter(f -> f.isDone() && !f.isSuccess()).count();
    }

    /** Returns the first cause of a failed write, or null. */
    Throwable firstWriteFailure() {
        for (ChannelFuture f : writes) {
            if (f.isDone() && f.cause() != null) {
                return f.cause();
            }
        }
        return null;
    }
}
