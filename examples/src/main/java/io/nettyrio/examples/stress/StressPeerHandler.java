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
package io.nettyrio.examples.stress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One end of a stress connection (client or server; both send and receive). It sends its direction's
 * {@link StreamPattern} in writes of random sizes, from random kinds of buffers (direct and heap from the channel's
 * allocator, composites of both, wrapped arrays), with random flush patterns (write-and-flush, flush every few
 * writes, void promises), then half-closes; it verifies every byte it receives against the other direction's
 * pattern, at the offset it arrives at, and expects the end of stream exactly after the planned length; it turns
 * autoRead off for a moment at random; and, if the plan says so, it kills the connection (close, or reset through
 * {@code SO_LINGER} 0) part way. It closes the channel once both directions are done.
 *
 * <p>The client starts with a 16-byte hello (magic, connection id, seed) from which the server learns the plan.
 * All state is touched on the channel's event loop only.
 */
final class StressPeerHandler extends ChannelInboundHandlerAdapter {
    static final int HELLO_MAGIC = 0x52494F53; // "RIOS"
    static final int HELLO_BYTES = 16;
    private static final int CHUNK = 64 * 1024;
    private static final int WRITES_PER_ROUND = 16;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[CHUNK];
        }
    };

    private final StressRun run;
    private final boolean client;
    private ChannelHandlerContext ctx;
    private ConnectionPlan plan;
    private SplittableRandom random;
    private StreamPattern sendPattern;
    private StreamPattern receivePattern;
    private int maxWrite;
    private int flushEvery;
    private final byte[] hello = new byte[HELLO_BYTES];
    private int helloFill;
    private long sent;
    private long received;
    private int unflushed;
    private boolean pumpScheduled;
    private boolean lastWriteIssued;
    private boolean outputShut;
    private boolean inputEnded;
    private boolean killed;
    private boolean failed;
    private boolean counted;
    private volatile long lastProgressNanos = System.nanoTime();

    StressPeerHandler(StressRun run, boolean client, ConnectionPlan plan) {
        this.run = run;
        this.client = client;
        if (plan != null) {
            start(plan);
        }
    }

    private void start(ConnectionPlan plan) {
        this.plan = plan;
        this.random = run.config.sideRandom(plan.id(), client);
        int sendDirection = client ? StreamPattern.CLIENT_TO_SERVER : StreamPattern.SERVER_TO_CLIENT;
        this.sendPattern = new StreamPattern(run.config.seed(), plan.id(), sendDirection);
        this.receivePattern = new StreamPattern(run.config.seed(), plan.id(), 1 - sendDirection);
        // This end's largest write: log-uniform in the top ten octaves below the configured one, so that some ends
        // write in small pieces and others in large ones (a 16 MiB transfer in 1-byte writes would be all overhead).
        this.maxWrite = (int) StressConfig.logUniform(random, Math.max(1, run.config.maxWriteBytes() >> 10),
                run.config.maxWriteBytes());
        this.flushEvery = 1 + random.nextInt(8);
    }

    private String who() {
        return (client ? "client" : "server") + " of connection " + (plan == null ? "?" : plan.id());
    }

    private int id() {
        return plan == null ? -1 : plan.id();
    }

    /** Errors are tolerated on a killed connection, and before the hello when the run kills connections. */
    private boolean tolerant() {
        return plan == null ? run.config.killProbability() > 0 : plan.killed();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        run.open.add(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // A channel that never became active (a failed connect) fires no channelInactive.
        run.open.remove(this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        run.track(ctx.channel());
        if (client) {
            ByteBuf buf = ctx.alloc().buffer(HELLO_BYTES);
            buf.writeInt(HELLO_MAGIC).writeInt(plan.id()).writeLong(run.config.seed());
            ctx.write(buf, promise());
            schedulePump();
        }
        ctx.fireChannelActive();
    }

    // ---------------------------------------------------------------------------------------------------- sending

    private void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            ctx.executor().execute(this::pump);
        }
    }

    private void pump() {
        pumpScheduled = false;
        Channel ch = ctx.channel();
        if (lastWriteIssued || failed || killed || !ch.isActive()) {
            return;
        }
        long total = plan.sendBytes(client);
        for (int i = 0; i < WRITES_PER_ROUND && sent < total && ch.isWritable(); i++) {
            writeOne(total);
        }
        if (lastWriteIssued) {
            return;
        }
        if (unflushed > 0 && (!ch.isWritable() || random.nextInt(4) == 0)) {
            flush();
        }
        if (ch.isWritable()) {
            schedulePump();
        } // else channelWritabilityChanged pumps again
    }

    private void flush() {
        unflushed = 0;
        run.flushes.increment();
        ctx.flush();
    }

    private void writeOne(long total) {
        int size = (int) Math.min(total - sent, StressConfig.logUniform(random, 1, maxWrite));
        ByteBuf buf = newBuffer(size, sent);
        sent += size;
        run.writes.increment();
        run.bytesWritten.add(size);
        if (sent == total) {
            lastWriteIssued = true;
            ctx.writeAndFlush(buf, promise()).addListener(f -> {
                if (f.isSuccess()) {
                    shutdownOutput();
                }
            });
            unflushed = 0;
            run.flushes.increment();
            return;
        }
        int mode = random.nextInt(10);
        if (mode < 3) {
            ctx.writeAndFlush(buf, promise());
            unflushed = 0;
            run.flushes.increment();
            return;
        }
        if (mode < 7) {
            ctx.write(buf, promise());
        } else {
            run.voidPromiseWrites.increment();
            ctx.write(buf, ctx.voidPromise());
        }
        if (++unflushed >= flushEvery) {
            flush();
        }
    }

    private ChannelPromise promise() {
        run.promisedWrites.increment();
        ChannelPromise promise = ctx.newPromise();
        promise.addListener(f -> {
            if (f.isSuccess()) {
                run.promisesSucceeded.increment();
                lastProgressNanos = System.nanoTime();
            } else {
                problem("write failed: " + f.cause());
            }
        });
        return promise;
    }

    /** A buffer of {@code size} bytes of the send pattern from {@code offset}, of a random kind. */
    private ByteBuf newBuffer(int size, long offset) {
        int kind = random.nextInt(8);
        if (kind < 3) {
            run.directWrites.increment();
            return fill(ctx.alloc().directBuffer(size), size, offset);
        }
        if (kind < 5) {
            run.heapWrites.increment();
            return fill(ctx.alloc().heapBuffer(size), size, offset);
        }
        if (kind < 7 && size > 1) {
            run.compositeWrites.increment();
            CompositeByteBuf composite = ctx.alloc().compositeBuffer();
            int left = size;
            long at = offset;
            while (left > 0) {
                int part = left == 1 ? 1 : 1 + random.nextInt(Math.min(left, 1 + size / 2));
                ByteBuf component = random.nextBoolean() ? ctx.alloc().directBuffer(part)
                        : ctx.alloc().heapBuffer(part);
                composite.addComponent(true, fill(component, part, at));
                left -= part;
                at += part;
            }
            return composite;
        }
        run.wrappedWrites.increment();
        byte[] array = new byte[size];
        sendPattern.fill(array, 0, size, offset);
        return Unpooled.wrappedBuffer(array);
    }

    private ByteBuf fill(ByteBuf buf, int size, long offset) {
        byte[] scratch = SCRATCH.get();
        for (int done = 0; done < size; ) {
            int n = Math.min(CHUNK, size - done);
            sendPattern.fill(scratch, 0, n, offset + done);
            buf.writeBytes(scratch, 0, n);
            done += n;
        }
        return buf;
    }

    private void shutdownOutput() {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        ((DuplexChannel) ch).shutdownOutput().addListener(f -> {
            if (f.isSuccess()) {
                outputShut = true;
                closeIfDone();
            } else {
                problem("shutdownOutput failed: " + f.cause());
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && plan != null) {
            schedulePump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // -------------------------------------------------------------------------------------------------- receiving

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (failed) {
                return;
            }
            int index = buf.readerIndex();
            int length = buf.readableBytes();
            if (plan == null) {
                int n = Math.min(length, HELLO_BYTES - helloFill);
                buf.getBytes(index, hello, helloFill, n);
                helloFill += n;
                index += n;
                length -= n;
                if (helloFill == HELLO_BYTES && !readHello()) {
                    return;
                }
            }
            if (length > 0) {
                verify(buf, index, length);
            }
        } finally {
            buf.release();
        }
        if (failed) {
            return;
        }
        maybeToggleAutoRead();
        maybeKill();
    }

    private boolean readHello() {
        ByteBuffer h = ByteBuffer.wrap(hello); // big-endian, as the client wrote it
        int magic = h.getInt();
        int id = h.getInt();
        long seed = h.getLong();
        if (magic != HELLO_MAGIC || seed != run.config.seed() || id < 0 || id >= run.config.connections()) {
            String from = StreamPattern.identify(run.config.seed(), hello, 0, HELLO_BYTES, 0);
            fail("server: garbled hello (magic " + Integer.toHexString(magic) + ", id " + id + ", seed " + seed
                    + ")" + (from == null ? "" : ": the bytes are " + from));
            return false;
        }
        start(run.config.plan(id));
        schedulePump();
        return true;
    }

    private void verify(ByteBuf buf, int index, int length) {
        long expected = plan.receiveBytes(client);
        byte[] scratch = SCRATCH.get();
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK, length - done);
            buf.getBytes(index + done, scratch, 0, n);
            long beyond = received + n - expected;
            int checked = beyond > 0 ? n - (int) Math.min(n, beyond) : n;
            int bad = receivePattern.firstMismatch(scratch, 0, checked, received);
            if (bad >= 0) {
                mismatch(scratch, n, bad);
                return;
            }
            if (checked < n) {
                String what = StreamPattern.identify(run.config.seed(), scratch, 0, n, checked);
                fail(who() + ": " + (received + n - expected) + " bytes beyond the " + expected
                        + " expected" + (what == null ? "" : "; they are " + what));
                return;
            }
            received += n;
            done += n;
            run.bytesVerified.add(n);
            lastProgressNanos = System.nanoTime();
        }
    }

    private void mismatch(byte[] chunk, int length, int bad) {
        long offset = received + bad;
        String what = StreamPattern.identify(run.config.seed(), chunk, 0, length, bad);
        fail(who() + ": byte at offset " + offset + " is 0x" + Integer.toHexString(chunk[bad] & 0xFF)
                + ", expected 0x" + Integer.toHexString(receivePattern.byteAt(offset) & 0xFF)
                + " (" + receivePattern + "); the bytes there are "
                + (what == null ? "of no stream of this run" : what));
    }

    private void maybeToggleAutoRead() {
        if (random == null || random.nextDouble() >= run.config.autoReadToggleProbability()) {
            return;
        }
        Channel ch = ctx.channel();
        if (!ch.config().isAutoRead()) {
            return;
        }
        run.autoReadToggles.increment();
        ch.config().setAutoRead(false);
        long delayMicros = random.nextInt(2000);
        boolean readOnceFirst = random.nextBoolean();
        ctx.executor().schedule(() -> {
            if (readOnceFirst) {
                ch.read(); // one explicit read with autoRead still off
            }
            ch.config().setAutoRead(true);
        }, delayMicros, TimeUnit.MICROSECONDS);
    }

    private void maybeKill() {
        if (killed || plan == null || !plan.killed() || plan.killerIsClient() != client
                || received <= plan.killAfter()) {
            return;
        }
        killed = true;
        run.faultsInjected.increment();
        Channel ch = ctx.channel();
        if (plan.kill() == ConnectionPlan.Kill.RESET) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        ch.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputEnded = true;
            if (plan == null) {
                problem("server: end of stream after " + helloFill + " bytes of the hello");
            } else if (received != plan.receiveBytes(client) && !failed) {
                problem(who() + ": end of stream after " + received + " of " + plan.receiveBytes(client) + " bytes");
            }
            closeIfDone();
        }
        ctx.fireUserEventTriggered(evt);
    }

    // ------------------------------------------------------------------------------------------------------ ending

    private void closeIfDone() {
        if (outputShut && inputEnded) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run.open.remove(this);
        if (!counted) {
            counted = true;
            if (killed || tolerant()) {
                run.killedSides.increment();
            } else if (outputShut && inputEnded && received == plan.receiveBytes(client)) {
                run.completedSides.increment();
            } else if (!failed) {
                problem(who() + ": closed before done (" + state() + ')');
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        problem(who() + ": " + cause);
        ctx.close();
    }

    /**
     * A failure unless the connection is being killed (then the expected consequence of the kill, and this end
     * closes too: the connection cannot finish).
     */
    private void problem(String message) {
        if (tolerant()) {
            run.toleratedErrors.increment();
            ctx.close();
        } else {
            fail(message);
        }
    }

    /** A failure: recorded, and the connection closed. Data errors always land here. */
    private void fail(String message) {
        if (!failed) {
            failed = true;
            run.error(id(), message);
        }
        ctx.close();
    }

    /** Returns what this end has done, for reports of connections that did not finish. */
    String state() {
        return who() + ": sent " + sent + '/' + (plan == null ? "?" : plan.sendBytes(client)) + ", received "
                + received + '/' + (plan == null ? "?" : plan.receiveBytes(client)) + ", outputShut=" + outputShut
                + ", inputEnded=" + inputEnded + ", killed=" + killed + ", active=" + ctx.channel().isActive()
                + ", autoRead=" + ctx.channel().config().isAutoRead() + ", writable=" + ctx.channel().isWritable()
                + ", pumpScheduled=" + pumpScheduled + ", idle " + (System.nanoTime() - lastProgressNanos) / 1_000_000
                + " ms";
    }
}
