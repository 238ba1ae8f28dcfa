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

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One direction (sends or receives) of a channel's request queue: the commit of its deferred batch, the retry of a
 * call the provider refused, and the wait for registered memory. Each channel has two, so that what one direction
 * waits for never holds up the other. Event loop only.
 *
 * <p>A batch is issued with {@code RIO_MSG_DEFER} on all its requests but the last, so that the last call commits
 * the batch ("RIOSend function (mswsock.h)", "RIOReceive function (mswsock.h)"). When a request of the batch is
 * refused, those queued before it are still deferred: {@link #commit()} commits them with
 * {@code RIO_MSG_COMMIT_ONLY}. If that call fails too, nothing was committed and the deferred requests would wait for
 * a completion that cannot come, so the commit stays pending and is retried (one retry scheduled at a time), and
 * the next batch of this direction commits it first.
 */
final class RioRequestSide {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioRequestSide.class);

    /**
     * How soon a refused call (WSAENOBUFS while the completion queue is full) or a failed commit is retried when no
     * completion of the channel is coming to retry it: the completion queue drains as the event loop dequeues it,
     * and no release of memory signals that.
     */
    static final long RETRY_MILLIS = 1;

    private final AbstractRioDataChannel channel;
    private final boolean send;
    /** Deferred requests whose {@code RIO_MSG_COMMIT_ONLY} failed: the next call of this direction commits them. */
    private boolean commitPending;
    private boolean retryScheduled;
    private boolean memoryWaitScheduled;
    private final Runnable retryTask = () -> {
        retryScheduled = false;
        resume();
    };
    private final Runnable memoryTask = () -> {
        memoryWaitScheduled = false;
        resume();
    };

    RioRequestSide(AbstractRioDataChannel channel, boolean send) {
        this.channel = channel;
        this.send = send;
    }

    /** The flags of request {@code i} of a batch of {@code n}: all but the last deferred. */
    static int batchFlags(int i, int n) {
        return i < n - 1 ? RioConstants.RIO_MSG_DEFER : 0;
    }

    /**
     * Commits what an earlier failed commit left deferred. Returns whether it is still pending: the caller then
     * issues nothing new (a retry is scheduled).
     */
    boolean commitStillPending() {
        if (commitPending) {
            commit();
        }
        return commitPending;
    }

    /** Commits this direction's deferred requests with {@code RIO_MSG_COMMIT_ONLY}, retrying shortly if refused. */
    void commit() {
        try {
            if (send) {
                channel.rio().send(channel.rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            } else {
                channel.rio().receive(channel.rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            }
            commitPending = false;
        } catch (RioException e) {
            logger.debug("{}: RIO_MSG_COMMIT_ONLY failed, retrying", channel, e);
            commitPending = true;
            retryLater();
        }
    }

    /**
     * A request of a batch was refused after {@code issued} deferred ones: commits those. Returns whether the
     * refusal was WSAENOBUFS, which "RIOSend function (mswsock.h)" and "RIOReceive function (mswsock.h)" return
     * while the completion queue is full: backpressure, not a failure of the channel. Then, with nothing of this
     * direction in flight whose completion would issue again, the call is retried shortly.
     */
    boolean refused(RioException e, int issued, boolean nothingInFlight) {
        if (issued > 0) {
            commit();
        }
        if (e.wsaError() != WsaError.WSAENOBUFS) {
            return false;
        }
        if (nothingInFlight) {
            retryLater();
        }
        return true;
    }

    /** Runs this direction again shortly, once: after a refused call or a failed commit. */
    void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            channel.eventLoop().schedule(retryTask, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Waits for registered memory (the ceiling was reached, nothing of this direction is in flight): this direction
     * runs again as soon as any thread gives a slot back. Backpressure, never an error.
     */
    void awaitMemory() {
        if (!memoryWaitScheduled) {
            memoryWaitScheduled = true;
            channel.handler.pool().awaitMemory(memoryTask);
        }
    }

    private void resume() {
        if (!channel.isOpen() || channel.rq == 0) {
            return;
        }
        if (send) {
            channel.flushAgain();
        } else {
            channel.readAgain();
        }
    }
}
