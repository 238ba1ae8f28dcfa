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

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.internal.RioSlotPool;
import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.WsaError;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link IoHandler} of the RIO transport: one per event loop. It owns a completion {@link Port}, one RIO
 * completion queue that notifies that port ({@code RIO_IOCP_COMPLETION}), and a pool of registered memory.
 *
 * <p>{@link #run} waits on the port (only when the loop may block, and no longer than the next scheduled task),
 * then for the completion queue's notification dequeues {@code RIORESULT}s in batches into one reused native
 * array and hands each to its channel by {@code SocketContext}, and re-arms {@code RIONotify} (one notification
 * per call, "RIONotify function (mswsock.h)"). Accepts and connects complete on the port itself.
 * {@link #wakeup()} posts to the port and may be called from any thread.
 *
 * <p>Use {@link #newFactory()} with a {@link io.netty.channel.MultiThreadIoEventLoopGroup}, or
 * {@link RioEventLoopGroup}.
 */
public final class RioIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(RioIoHandler.class);

    /** Port key of the completion queue's notification. */
    static final long KEY_CQ = 1;
    /** Port key of a wakeup posted by another thread. */
    static final long KEY_WAKEUP = 2;
    /** Port key of an accept or connect; the entry's context is the registration id. */
    static final long KEY_SOCKET = 3;

    private static final long DESTROY_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ThreadAwareExecutor executor;
    private final RegisteredIo rio;
    private final RioSockets sockets;
    private final Port port;
    private final Arena arena;
    private final MemorySegment results;
    private final int resultsCapacity;
    private final PortCompletions portBatch;
    private final long cq;
    private int cqSize;
    private int cqReserved;
    private final RioRegistrations registrations = new RioRegistrations();
    private final AtomicBoolean wakeupPosted = new AtomicBoolean();
    private final RioSlotPool pool;
    private final RioIoHandlerMetric metric = new RioIoHandlerMetric();
    private final RioIoEvent event = new RioIoEvent();
    private final java.util.ArrayDeque<Runnable> afterBatch = new java.util.ArrayDeque<>();
    private long runs;
    private ArrayList<Runnable> carried = new ArrayList<>();
    private ArrayList<Runnable> carriedSpare = new ArrayList<>();
    private boolean shuttingDown;
    /**
     * A completion batch has been handed out and RIONotify not yet called: when tasks wait to run after the batch,
     * the next run calls it, before its wait. Until then the batch stays open, so those tasks (a write a completion
     * handler handed to the loop, a pipelined request a framework queued as a task) commit inside it too, and the
     * provider submits their requests with the batch's in one go at that RIONotify, as Netty's IoUringIoHandler
     * submits what its tasks queued at its next run. Such a task that writes and then blocks the loop until the
     * peer answers waits for good (docs/transport.md, "Event loop").
     */
    private boolean notifyDue;
    /** Closes every channel while the event loop still runs tasks; see {@link #initialize()}. */
    private final Runnable closeAllOnShutdown = this::prepareToDestroy;

    RioIoHandler(ThreadAwareExecutor executor, RioProvider provider, RioIoHandlerConfig config) {
        this.executor = executor;
        this.rio = provider.registeredIo();
        this.sockets = provider.sockets();
        Arena arena = Arena.ofShared();
        Port port = null;
        try {
            // An owned port lets the Linux provider defer task work to the loop's wait; the loop then keeps its
            // thread (isChangingThreadSupported).
            port = config.isSingleIssuer() ? provider.openOwnedPort() : provider.openPort();
            results = arena.allocate(RioLayouts.RIORESULT, config.getCompletionBatchSize());
            resultsCapacity = config.getCompletionBatchSize();
            // The OVERLAPPED the notification names must live as long as the queue
            // ("RIO_NOTIFICATION_COMPLETION structure (mswsockdef.h)").
            MemorySegment overlapped = arena.allocate(RioLayouts.OVERLAPPED);
            MemorySegment notification = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
            RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(notification, 0L, RioConstants.RIO_IOCP_COMPLETION);
            RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(notification, 0L,
                    MemorySegment.ofAddress(port.handle()));
            RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(notification, 0L,
                    MemorySegment.ofAddress(KEY_CQ));
            RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(notification, 0L, overlapped);
            cqSize = config.getCompletionQueueSize();
            cq = rio.createCompletionQueue(cqSize, notification);
        } catch (RioException e) {
            if (port != null) {
                port.close();
            }
            arena.close();
            throw new UncheckedIOException("cannot create the RIO event loop's port and completion queue", e);
        }
        this.port = port;
        this.arena = arena;
        this.portBatch = new PortCompletions(config.getPortBatchSize());
        this.pool = newPool(provider, config, executor);
    }

    private static RioSlotPool newPool(RioProvider provider, RioIoHandlerConfig config, ThreadAwareExecutor executor) {
        RioByteBufAllocator allocator = config.getAllocator();
        if (allocator == null && Rio.isAvailable() && provider == Rio.provider()) {
            // Receives and staging draw from the same registered memory as the default allocator of RIO channels,
            // so that a received buffer, or one the user allocated, is sent without a copy on any event loop.
            allocator = RioByteBufAllocator.defaultAllocator();
        }
        // A provider other than the process's own (a test's) gets memory of its own (allocator null), freed when
        // the loop ends. The pool knows the loop: channels wait on it for memory under the ceiling.
        return new RioSlotPool(allocator, provider.registeredIo(), executor);
    }

    /** Returns a factory of handlers with the default {@link RioIoHandlerConfig}. */
    public static IoHandlerFactory newFactory() {
        return newFactory(new RioIoHandlerConfig());
    }

    /**
     * Returns a factory of handlers with {@code config}.
     *
     * @throws UnsatisfiedLinkError if RIO is not available ({@link Rio#unavailabilityCause()})
     */
    public static IoHandlerFactory newFactory(RioIoHandlerConfig config) {
        Rio.ensureAvailability();
        return newFactory(Rio.provider(), config);
    }

    static IoHandlerFactory newFactory(RioProvider provider, RioIoHandlerConfig config) {
        if (config.getAllocator() != null && config.getAllocator().registeredIo() != provider.registeredIo()) {
            throw new IllegalArgumentException("the allocator registers through another provider than the handler's");
        }
        RioIoHandlerConfig copy = new RioIoHandlerConfig()
                .setCompletionQueueSize(config.getCompletionQueueSize())
                .setCompletionBatchSize(config.getCompletionBatchSize())
                .setPortBatchSize(config.getPortBatchSize())
                .setAllocator(config.getAllocator())
                .setSingleIssuer(config.isSingleIssuer());
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new RioIoHandler(executor, provider, copy);
            }

            @Override
            public boolean isChangingThreadSupported() {
                // An owned port (single issuer) belongs to the first thread that waits on it. Otherwise nothing in
                // the handler is bound to a thread: calls on a completion or request queue must be serialized, not
                // made from one particular thread ("RIOCreateCompletionQueue function (mswsock.h)"), and a
                // suspended loop's thread has left run() before another one enters it. Netty creates the event
                // loop with suspension support only when this is true, and an auto-scaling group can suspend
                // only such loops (SingleThreadIoEventLoop, SingleThreadEventExecutor.trySuspend).
                return !copy.isSingleIssuer();
            }
        };
    }

    @Override
    public void initialize() {
        armNotify();
        if (executor instanceof SingleThreadEventExecutor loop) {
            // SingleThreadIoEventLoop calls prepareToDestroy only from a run of its loop that sees the shutdown;
            // when the shutdown comes after that check, the loop ends without it, and destroy() is called once the
            // executor rejects tasks, so a channel closed there cannot deregister (Netty's close hands that to
            // the event loop: "Can't invoke task later as EventLoop rejected it") and never fires channelInactive.
            // A shutdown hook runs while tasks are still accepted, and the tasks it queues still run. A set: adding
            // it again when a suspended loop resumes changes nothing.
            loop.addShutdownHook(closeAllOnShutdown);
        }
    }

    /**
     * Counts the handler's runs. A request issued in one run has reached the kernel by the end of the next run's
     * completion batch, which then holds its completion if it could complete at once (see
     * {@code AbstractRioDataChannel.socketFoundEmpty}).
     */
    long runs() {
        return runs;
    }

    @Override
    public int run(IoHandlerContext context) {
        runs++;
        long timeoutNanos = 0;
        // While a channel's read loop is carried over, poll without blocking so that it ends promptly.
        if (context.canBlock() && carried.isEmpty()) {
            timeoutNanos = context.deadlineNanos() == -1 ? -1
                    : Math.max(0, context.delayNanos(System.nanoTime()));
        }
        int entries;
        try {
            armNotifyIfDue();
            entries = port.getQueuedCompletionStatus(portBatch, timeoutNanos);
        } catch (RioException e) {
            throw new UncheckedIOException(e);
        }
        boolean report = context.shouldReportActiveIoTime();
        long start = report ? System.nanoTime() : 0;
        ArrayList<Runnable> previous = carried;
        carried = carriedSpare;
        int handled = processPortEntries(entries);
        if (!previous.isEmpty()) {
            for (int i = 0; i < previous.size(); i++) {
                try {
                    previous.get(i).run();
                } catch (Throwable t) {
                    logger.warn("unexpected exception ending a read loop", t);
                }
            }
            previous.clear();
        }
        carriedSpare = previous;
        if (notifyDue && context.canBlock()) {
            // No task waits to run after this run, so nothing to hold the batch open for: its requests go out
            // now, not after the loop's bookkeeping (a ping-pong's echo would wait for it). Asked only after a
            // batch: canBlock reads the clock for the scheduled tasks.
            armNotifyIfDue();
        }
        if (report && handled > 0) {
            // Time spent handling completions, not waiting: what auto-scaling event loop groups measure. Only
            // when there was I/O: a report counts as activity, and a loop that only woke up is idle.
            context.reportActiveIoTime(System.nanoTime() - start);
        }
        return handled;
    }

    /** Calls {@code check} after the next run: a channel's read loop stays open across runs while data comes. */
    void carryReadLoop(Runnable check) {
        carried.add(check);
    }

    private int processPortEntries(int entries) {
        int handled = 0;
        for (int i = 0; i < entries; i++) {
            long key = portBatch.completionKey(i);
            if (key == KEY_CQ) {
                handled += drainCompletionQueue();
            } else if (key == KEY_WAKEUP) {
                wakeupPosted.set(false);
            } else if (key == KEY_SOCKET) {
                RioRegistration registration = registrations.get(portBatch.context(i));
                if (registration == null) {
                    logger.warn("port completion for an unknown registration {} (status {})",
                            portBatch.context(i), portBatch.status(i));
                    continue;
                }
                registration.requestCompleted();
                deliver(registration, event.set(RioIoEvent.PORT, portBatch.status(i), portBatch.result(i),
                        portBatch.context(i)));
                handled++;
            } else {
                logger.warn("port completion with an unknown key {}", key);
            }
        }
        return handled;
    }

    private int drainCompletionQueue() {
        int handled = 0;
        for (;;) {
            int count;
            try {
                count = rio.dequeueCompletion(cq, results, resultsCapacity);
            } catch (RioException e) {
                // RIO_CORRUPT_CQ: nothing on this queue can be trusted any more.
                throw new UncheckedIOException("RIODequeueCompletion failed", e);
            }
            for (int i = 0; i < count; i++) {
                long base = i * RioLayouts.RIORESULT.byteSize();
                int status = (int) RioLayouts.RIORESULT_Status.get(results, base);
                int bytes = (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base);
                long socketContext = (long) RioLayouts.RIORESULT_SocketContext.get(results, base);
                long requestContext = (long) RioLayouts.RIORESULT_RequestContext.get(results, base);
                RioRegistration registration = registrations.get(socketContext);
                if (registration == null) {
                    logger.warn("RIORESULT for an unknown SocketContext {} (status {})", socketContext, status);
                    continue;
                }
                registration.requestCompleted();
                deliver(registration, event.set(RioIoEvent.RIO_RESULT, status, Integer.toUnsignedLong(bytes),
                        requestContext));
            }
            handled += count;
            if (count > 0) {
                metric.dequeued(count);
            }
            if (count < resultsCapacity) {
                break;
            }
        }
        runAfterBatch();
        notifyDue = true;
        return handled;
    }

    /**
     * Runs {@code task} once the current batch of completions has been dispatched: channels end their read loops
     * there.
     */
    void afterBatch(Runnable task) {
        afterBatch.add(task);
    }

    private void runAfterBatch() {
        Runnable task;
        while ((task = afterBatch.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                logger.warn("unexpected exception at the end of a completion batch", t);
            }
        }
    }

    private void armNotifyIfDue() {
        if (notifyDue) {
            notifyDue = false;
            armNotify();
        }
    }

    private void armNotify() {
        // One notification per RIONotify call; WSAEALREADY only says one is armed already
        // ("RIONotify function (mswsock.h)").
        int rc = rio.notify(cq);
        if (rc != 0 && rc != WsaError.WSAEALREADY) {
            logger.warn("RIONotify failed: {} ({})", WsaError.name(rc), rc);
        }
    }

    private void deliver(RioRegistration registration, RioIoEvent event) {
        try {
            registration.handle().handle(registration, event);
        } catch (Throwable t) {
            logger.warn("unexpected exception from {} handling {}", registration.handle(), event, t);
        }
        maybeRemove(registration);
    }

    private void maybeRemove(RioRegistration registration) {
        if (!registration.isValid() && registration.outstanding() == 0 && registrations.remove(registration)) {
            cqReserved -= registration.cqReservation();
            registration.handle().unregistered();
        }
    }

    void cancelled(RioRegistration registration) {
        maybeRemove(registration);
    }

    @Override
    public void prepareToDestroy() {
        shuttingDown = true;
        for (RioRegistration registration : registrations.snapshot()) {
            try {
                registration.handle().close();
            } catch (Exception e) {
                logger.warn("failed to close {}", registration.handle(), e);
            }
        }
    }

    @Override
    public void destroy() {
        // The shutdown hook (initialize) has closed every channel while the loop still ran tasks; an executor that
        // is not a SingleThreadEventExecutor has no hooks, so close whatever is still open here too: closing an
        // already closed channel does nothing.
        prepareToDestroy();
        // Native memory may be freed only once the kernel is done with it: wait (bounded) until every request
        // has completed, and leak rather than free if some never do.
        long deadline = System.nanoTime() + DESTROY_DRAIN_NANOS;
        while (hasOutstandingRequests() && deadline - System.nanoTime() > 0) {
            try {
                armNotifyIfDue();
                processPortEntries(port.getQueuedCompletionStatus(portBatch, TimeUnit.MILLISECONDS.toNanos(50)));
            } catch (RioException | RuntimeException e) {
                logger.warn("failed to drain completions while destroying", e);
                break;
            }
        }
        List<RioRegistration> stuck = new ArrayList<>();
        for (RioRegistration registration : registrations.snapshot()) {
            if (registration.outstanding() > 0) {
                stuck.add(registration);
            }
        }
        if (!stuck.isEmpty()) {
            logger.warn("RIO event loop destroyed with requests still in flight {}: leaking its native memory "
                    + "rather than freeing it under the kernel", stuck);
            return;
        }
        rio.closeCompletionQueue(cq);
        pool.close();
        port.close();
        arena.close();
    }

    private boolean hasOutstandingRequests() {
        for (RioRegistration registration : registrations.snapshot()) {
            if (registration.outstanding() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #prepareToDestroy()} has run: the loop may stop before outstanding completions come back. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        if (shuttingDown) {
            throw new IllegalStateException("RioIoHandler is shutting down");
        }
        RioIoHandle rioHandle = (RioIoHandle) handle;
        RioRegistration registration = new RioRegistration(this, rioHandle, registrations.nextId());
        registrations.add(registration);
        if (rioHandle instanceof AbstractRioChannel.RioUnsafe unsafe) {
            unsafe.rioRegistration = registration;
        }
        rioHandle.registered();
        return registration;
    }

    @Override
    public void wakeup() {
        // Coalesced: one wakeup entry at a time, cleared when the loop takes it off the port.
        if (wakeupPosted.compareAndSet(false, true)) {
            try {
                port.post(KEY_WAKEUP, 0);
            } catch (RioException e) {
                wakeupPosted.set(false);
                logger.debug("wakeup post failed (port closed?)", e);
            }
        }
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return RioIoHandle.class.isAssignableFrom(handleType);
    }

    /**
     * Creates a request queue for {@code socket} on this handler's completion queue, growing the queue first
     * ({@code RIOResizeCompletionQueue}) if the new request queue's capacity would not fit: RIO refuses a
     * request queue that could overflow its completion queue ("RIOCreateRequestQueue function (mswsock.h)").
     */
    long createRequestQueue(long socket, int maxOutstandingReceive, int maxOutstandingSend,
                            RioRegistration registration) throws RioException {
        int entries = maxOutstandingReceive + maxOutstandingSend;
        long needed = (long) cqReserved + entries;
        if (needed > cqSize) {
            int newSize = (int) Math.min(RioConstants.RIO_MAX_CQ_SIZE, Math.max(needed, 2L * cqSize));
            if (newSize < needed) {
                throw new RioException("RIOResizeCompletionQueue", WsaError.WSAENOBUFS,
                        "completion queue would exceed RIO_MAX_CQ_SIZE");
            }
            rio.resizeCompletionQueue(cq, newSize);
            cqSize = newSize;
        }
        long rq = rio.createRequestQueue(socket, maxOutstandingReceive, 1, maxOutstandingSend, 1, cq, cq,
                registration.id());
        cqReserved += entries;
        registration.reserve(entries);
        return rq;
    }

    boolean inEventLoop() {
        return executor.isExecutorThread(Thread.currentThread());
    }

    void execute(Runnable task) {
        executor.execute(task);
    }

    RegisteredIo rio() {
        return rio;
    }

    RioSockets sockets() {
        return sockets;
    }

    Port port() {
        return port;
    }

    RioIoHandlerMetric metric() {
        return metric;
    }

    RioSlotPool pool() {
        return pool;
    }

    int completionQueueSize() {
        return cqSize;
    }
}
