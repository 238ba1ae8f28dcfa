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
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import io.nettyrio.buffer.RioByteBufAllocator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved writer: it writes {@code total} seeded bytes in {@code chunk}-byte writes, but only while its
 * channel is writable, and resumes when writability comes back, as a Netty application should. On the event loop,
 * after every write, it samples the channel's outbound bytes ({@link ChannelOutboundBuffer#totalPendingWriteBytes()})
 * and the registered memory of {@code allocator} in use, and keeps the highest values. It counts writability flips
 * and keeps every write's future.
 */
final class Streamer extends ChannelInboundHandlerAdapter {
    final byte[] data;
    final List<ChannelFuture> writes = new CopyOnWriteArrayList<>();
    final AtomicInteger becameUnwritable = new AtomicInteger();
    final AtomicInteger becameWritable = new AtomicInteger();
    final AtomicLong maxPendingBytes = new AtomicLong();
    final AtomicLong maxRegisteredInUse = new AtomicLong();
    final List<Throwable> caught = new CopyOnWriteArrayList<>();
    private final Blaster.Kind kind;
    private final int chunk;
    private final RioByteBufAllocator allocator;
    private volatile int written;
    volatile Channel channel;

    Streamer(Blaster.Kind kind, int total, int chunk, int stream, RioByteBufAllocator allocator) {
        this.kind = kind;
        this.chunk = chunk;
        this.allocator = allocator;
        this.data = Hostile.payload(stream, total);
    }

    int written() {
        return written;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        pump(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            becameWritable.incrementAndGet();
            pump(ctx);
        } else {
            becameUnwritable.incrementAndGet();
        }
        sample(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        boolean wrote = false;
        while (ch.isWritable() && written < data.length) {
            int n = Math.min(chunk, data.length - written);
            ByteBuf buf = kind == Blaster.Kind.HEAP ? Unpooled.buffer(n) : ctx.alloc().directBuffer(n);
            buf.writeBytes(data, written, n);
            written += n;
            writes.add(ctx.write(buf));
            wrote = true;
            sample(ch);
        }
        if (wrote) {
            ctx.flush();
            sample(ch);
        }
    }

    void sample(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null) {
            maxPendingBytes.accumulateAndGet(out.totalPendingWriteBytes(), Math::max);
        }
        maxRegisteredInUse.accumulateAndGet(allocator.metric().usedDirectMemory(), Math::max);
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

    long succeeded() {
        return writes.stream().filter(ChannelFuture::isSuccess).count();
    }
}
