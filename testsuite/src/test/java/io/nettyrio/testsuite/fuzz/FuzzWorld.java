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
package io.nettyrio.testsuite.fuzz;

import io.nettyrio.rio.Port;
import io.nettyrio.rio.PortCompletions;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioException;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.RioProvider;
import io.nettyrio.rio.rules.RioRuleViolation;
import io.nettyrio.rio.RioSocketOption;
import io.nettyrio.rio.RioSockets;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One seed of the RIO model fuzz: a port, a loopback TCP pair and UDP pair, registrations, completion and request
 * queues, and a random sequence of model calls over them, valid and invalid, drawn from one
 * {@link SplittableRandom}. Every call is logged, so that a failure prints the sequence that led to it.
 *
 * <p>What counts as a failure: a call throwing anything but {@link RioException}, {@link RioRuleViolation} or
 * {@link IllegalArgumentException}; a misuse the documentation (or RioRules) forbids being accepted; a completion
 * for a request that was never accepted, or a second one; a request accepted and never completed once everything
 * is closed and drained.
 *
 * <p>The fuzz itself never breaks the one rule no checker can catch: it never frees memory (closes an arena) that
 * a request it has in flight references, since then the kernel could write into freed memory.
 */
final class FuzzWorld {
    static final long KEY_CQ = 0x11;
    static final long KEY_ACCEPT = 0x22;
    static final long KEY_CONNECT = 0x33;
    private static final int RESULTS = 64;
    private static final int REG_SIZE = 4096;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final List<String> CAPACITY_TAGS = List.of(" requestQueueFull", " cqFull", " belowInUse",
            " belowBoundCapacity");

    /** A registration made by the fuzz. */
    static final class Reg {
        final long id;
        final Arena arena;
        final MemorySegment memory;
        boolean deregistered;
        boolean freed;
        int inFlight;

        Reg(long id, Arena arena, MemorySegment memory) {
            this.id = id;
            this.arena = arena;
            this.memory = memory;
        }
    }

    /** A completion queue. */
    static final class Cq {
        final long handle;
        final boolean notifying;
        int size;
        boolean closed;

        Cq(long handle, boolean notifying, int size) {
            this.handle = handle;
            this.notifying = notifying;
            this.size = size;
        }
    }

    /** A socket and its request queue. */
    static final class Sock {
        final String name;
        final long handle;
        final boolean tcp;
        boolean closed;
        long rq;
        int maxReceive;
        int maxSend;
        Cq receiveCq;
        Cq sendCq;

        Sock(String name, long handle, boolean tcp) {
            this.name = name;
            this.handle = handle;
            this.tcp = tcp;
        }
    }

    /** A request accepted by the model and not completed yet. */
    record Req(long context, Sock socket, boolean send, Cq cq, List<Reg> regs, MemorySegment rioBuf) {
    }

    /** Totals over all seeds. */
    static final class Stats {
        long seeds;
        long calls;
        long accepted;
        long completions;
        long misuses;
        long setUpNanos;
        long runNanos;
        long tearDownNanos;
        final Map<String, Long> outcomes = new HashMap<>();

        void outcome(String name) {
            outcomes.merge(name, 1L, Long::sum);
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final RegisteredIo rio;
    private final RioSockets sockets;
    private final Port port;
    private final Stats stats;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment results;
    private final PortCompletions entries = new PortCompletions(16);
    private final List<String> log = new ArrayList<>();
    private final List<Reg> regs = new ArrayList<>();
    private final List<Cq> cqs = new ArrayList<>();
    private final List<Sock> socks = new ArrayList<>();
    private final Map<Long, Req> inFlight = new LinkedHashMap<>();
    /** Accepts and connects started (after set-up) whose port entry has not come yet. */
    private final Map<Long, String> pendingPort = new LinkedHashMap<>();
    private final MemorySegment freedRioBuf;
    private final MemorySegment freedMemory;
    private final Reg addresses;
    /**
     * Whether capacity breaches are expected to fail (WSAENOBUFS, WSAETOOMANYREFS): only when the fuzz sees the
     * provider's own accounting, not through the fault decorator (which resets sockets and holds completions the
     * fuzz does not know about).
     */
    private final boolean checkCapacity;
    private final short family;
    private final InetAddress loopback;
    private long nextContext = 1;

    FuzzWorld(RioProvider provider, long seed, Stats stats, boolean checkCapacity) throws Exception {
        this.seed = seed;
        this.checkCapacity = checkCapacity;
        this.random = new SplittableRandom(seed);
        this.rio = provider.registeredIo();
        this.sockets = provider.sockets();
        this.stats = stats;
        this.port = provider.openPort();
        results = arena.allocate(RioLayouts.RIORESULT, RESULTS);
        Arena gone = Arena.ofShared();
        freedRioBuf = gone.allocate(RioLayouts.RIO_BUF);
        freedMemory = gone.allocate(REG_SIZE, 64);
        gone.close();
        // The loopback pairs and a first queue: set up without faults, so every seed has traffic to misuse.
        Cq cq = new Cq(rio.createCompletionQueue(64, notification()), true, 64);
        cqs.add(cq);
        // Even seeds run over IPv4, odd ones over IPv6 (dual-stack sockets, ::1).
        family = seed % 2 == 0 ? RioConstants.AF_INET : RioConstants.AF_INET6;
        loopback = InetAddress.getByName(family == RioConstants.AF_INET ? "127.0.0.1" : "::1");
        long listener = sockets.socket(family, RioConstants.SOCK_STREAM);
        sockets.bind(listener, new InetSocketAddress(loopback, 0));
        sockets.listen(listener, 2);
        sockets.accept(listener, port, KEY_ACCEPT, 1);
        long client = sockets.socket(family, RioConstants.SOCK_STREAM);
        Sock b = new Sock("tcpB", client, true);
        socks.add(b);
        sockets.connect(client, sockets.localAddress(listener), port, KEY_CONNECT, 2);
        long accepted = 0;
        boolean connected = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((accepted == 0 || !connected) && System.nanoTime() < deadline) {
            int n = port.getQueuedCompletionStatus(entries, TimeUnit.MILLISECONDS.toNanos(10));
            for (int i = 0; i < n; i++) {
                if (entries.completionKey(i) == KEY_ACCEPT && entries.status(i) == 0) {
                    accepted = entries.result(i);
                } else if (entries.completionKey(i) == KEY_CONNECT && entries.status(i) == 0) {
                    connected = true;
                }
            }
        }
        sockets.close(listener);
        if (accepted == 0 || !connected) {
            throw new AssertionError("seed " + seed + ": the TCP pair did not connect");
        }
        Sock a = new Sock("tcpA", accepted, true);
        socks.add(a);
        Sock u1 = new Sock("udp1", sockets.socket(family, RioConstants.SOCK_DGRAM), false);
        socks.add(u1);
        Sock u2 = new Sock("udp2", sockets.socket(family, RioConstants.SOCK_DGRAM), false);
        socks.add(u2);
        sockets.bind(u1.handle, new InetSocketAddress(loopback, 0));
        sockets.bind(u2.handle, new InetSocketAddress(loopback, 0));
        InetSocketAddress where1 = sockets.localAddress(u1.handle);
        InetSocketAddress where2 = sockets.localAddress(u2.handle);
        sockets.connectDatagram(u1.handle, where2);
        sockets.connectDatagram(u2.handle, where1);
        for (Sock s : socks) {
            s.rq = rio.createRequestQueue(s.handle, 4, 1, 4, 1, cq.handle, cq.handle, s.handle);
            s.receiveCq = cq;
            s.sendCq = cq;
            s.maxReceive = 4;
            s.maxSend = 4;
        }
        rio.notify(cq.handle);
        // Address slots for RIOSendEx / RIOReceiveEx: one registration of 16 SOCKADDR_INETs, apart from the data.
        MemorySegment addrMemory = arena.allocate(16 * SockaddrInet.SIZE, 8);
        for (int i = 0; i < 16; i++) {
            SockaddrInet.write(addrMemory, (long) i * SockaddrInet.SIZE, i % 2 == 0 ? where1 : where2);
        }
        addresses = new Reg(rio.registerBuffer(addrMemory, (int) addrMemory.byteSize()), arena, addrMemory);
        for (int i = 0; i < 8; i++) {
            register(REG_SIZE);
        }
    }

    private MemorySegment notification() {
        MemorySegment nc = arena.allocate(RioLayouts.RIO_NOTIFICATION_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Type.set(nc, 0L, RioConstants.RIO_IOCP_COMPLETION);
        RioLayouts.RIO_NOTIFICATION_COMPLETION_IocpHandle.set(nc, 0L, MemorySegment.ofAddress(port.handle()));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_CompletionKey.set(nc, 0L, MemorySegment.ofAddress(KEY_CQ));
        RioLayouts.RIO_NOTIFICATION_COMPLETION_Overlapped.set(nc, 0L, arena.allocate(32, 8));
        return nc;
    }

    private Reg register(int length) throws RioException {
        Arena own = Arena.ofShared();
        MemorySegment memory = own.allocate(length, 64);
        Reg r = new Reg(rio.registerBuffer(memory, length), own, memory);
        regs.add(r);
        return r;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Calls

    /** A model call that may fail with one of the clear exceptions. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * Runs {@code call}: returns true if it returned normally; false if it threw a clear exception. A misuse
     * ({@code misuse} true) that returns normally is a failure; so is any other exception, which propagates.
     */
    private boolean call(String description, boolean misuse, Call call) throws Exception {
        log.add(description + (misuse ? "   [misuse]" : ""));
        stats.calls++;
        if (misuse) {
            stats.misuses++;
            for (String tag : CAPACITY_TAGS) {
                if (description.contains(tag)) {
                    stats.outcome("(misuse checked:" + tag + ")");
                }
            }
        }
        try {
            call.run();
        } catch (RioException e) {
            String rule = e instanceof io.nettyrio.rio.rules.RioRulesException re ? " " + re.rule() : "";
            stats.outcome(e.call() + " " + e.wsaErrorName() + rule);
            log.add("    -> " + e.wsaErrorName() + rule);
            return false;
        } catch (RioRuleViolation e) {
            stats.outcome("RioRuleViolation " + e.rule());
            log.add("    -> RioRuleViolation " + e.rule());
            return false;
        } catch (IllegalArgumentException e) {
            stats.outcome("IllegalArgumentException");
            log.add("    -> IllegalArgumentException: " + e.getMessage());
            return false;
        }
        if (misuse) {
            throw new AssertionError("a misuse was accepted: " + description);
        }
        return true;
    }

    private <T> T pick(List<T> list) {
        return list.isEmpty() ? null : list.get(random.nextInt(list.size()));
    }

    void run(int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            int op = random.nextInt(100);
            if (op < 22) {
                request(true);
            } else if (op < 44) {
                request(false);
            } else if (op < 48) {
                commitOnly();
            } else if (op < 62) {
                dequeue();
            } else if (op < 66) {
                notifyCq();
            } else if (op < 74) {
                waitPort();
            } else if (op < 77) {
                registerOp();
            } else if (op < 80) {
                deregisterOp();
            } else if (op < 82) {
                freeArena();
            } else if (op < 85) {
                createCq();
            } else if (op < 87) {
                resizeCq();
            } else if (op < 89) {
                closeCq();
            } else if (op < 92) {
                createRq();
            } else if (op < 95) {
                resizeRq();
            } else if (op < 96 || (op < 97 && i > calls / 2)) {
                closeSocket();
            } else if (op < 98) {
                acceptOrConnectMisuse();
            } else {
                socketOption();
            }
        }
    }

    /** A data slice with what is wrong with it, if anything. */
    private record Slice(MemorySegment rioBuf, boolean bad, Reg reg, String text) {
    }

    private MemorySegment rioBuf(long id, int offset, int length) {
        MemorySegment b = arena.allocate(RioLayouts.RIO_BUF);
        RioLayouts.RIO_BUF_BufferId.set(b, 0L, id);
        RioLayouts.RIO_BUF_Offset.set(b, 0L, offset);
        RioLayouts.RIO_BUF_Length.set(b, 0L, length);
        return b;
    }

    private Slice dataSlice(boolean send) {
        int r = random.nextInt(100);
        List<Reg> live = regs.stream().filter(g -> !g.deregistered && !g.freed).toList();
        if (r < 60 && !live.isEmpty()) {
            // Prefer a registration with nothing in flight, so that most valid requests are accepted.
            List<Reg> idle = live.stream().filter(g -> g.inFlight == 0).toList();
            Reg g = idle.isEmpty() || random.nextInt(5) == 0 ? pick(live) : pick(idle);
            int offset = random.nextInt(REG_SIZE);
            int length = 1 + random.nextInt(REG_SIZE - offset);
            return new Slice(rioBuf(g.id, offset, length), false, g, "slice(" + g.id + "," + offset + "," + length
                    + ")");
        } else if (r < 68 && !live.isEmpty()) {
            Reg g = pick(live);
            int offset = random.nextInt(REG_SIZE + 16);
            int length = REG_SIZE - offset + 1 + random.nextInt(64);
            if (random.nextInt(4) == 0) {
                length = -1 - random.nextInt(1000); // a huge ULONG
            }
            return new Slice(rioBuf(g.id, offset, length), true, g, "outOfRange(" + g.id + "," + offset + ","
                    + length + ")");
        } else if (r < 73) {
            long id = random.nextLong();
            boolean known = id == addresses.id || regs.stream().anyMatch(g -> g.id == id);
            return new Slice(rioBuf(id, 0, 1), !known, null, "unknownId(" + id + ")");
        } else if (r < 77) {
            return new Slice(freedRioBuf, true, null, "freedRioBuf");
        } else if (r < 83 && inFlight.values().stream().anyMatch(q -> q.rioBuf() != null)) {
            Req q = pick(inFlight.values().stream().filter(x -> x.rioBuf() != null).toList());
            return new Slice(q.rioBuf(), true, null, "reusedRioBufOf(" + q.context() + ")");
        } else if (r < 89) {
            return new Slice(MemorySegment.NULL, false, null, "NULL");
        } else if (r < 95) {
            Reg g = pick(regs.stream().filter(x -> x.deregistered || x.freed).toList());
            if (g == null) {
                return new Slice(MemorySegment.NULL, false, null, "NULL");
            }
            return new Slice(rioBuf(g.id, 0, 16), true, g, (g.deregistered ? "deregistered(" : "freedMemory(")
                    + g.id + ")");
        } else if (!live.isEmpty()) {
            Reg g = pick(live);
            return new Slice(rioBuf(g.id, random.nextInt(REG_SIZE), 0), false, g, "emptySlice(" + g.id + ")");
        }
        return new Slice(MemorySegment.NULL, false, null, "NULL");
    }

    private int flags(boolean send, StringBuilder why) {
        int r = random.nextInt(100);
        int flags;
        if (r < 75) {
            flags = (random.nextBoolean() ? RioConstants.RIO_MSG_DEFER : 0)
                    | (random.nextInt(4) == 0 ? RioConstants.RIO_MSG_DONT_NOTIFY : 0)
                    | (!send && random.nextInt(8) == 0 ? RioConstants.RIO_MSG_WAITALL : 0);
        } else if (r < 92) {
            flags = random.nextInt(16);
        } else {
            flags = random.nextInt() | 0x10;
            why.append(" unknownFlagBits");
        }
        if ((flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0 && flags != RioConstants.RIO_MSG_COMMIT_ONLY) {
            why.append(" commitOnlyWithOtherFlags");
        }
        if (send && (flags & RioConstants.RIO_MSG_WAITALL) != 0) {
            why.append(" waitAllOnSend");
        }
        return flags;
    }

    private void request(boolean send) throws Exception {
        Sock s = pick(socks);
        boolean ex = random.nextInt(4) == 0;
        Slice data = dataSlice(send);
        StringBuilder why = new StringBuilder(data.bad() ? " " + data.text() : "");
        int flags = flags(send, why);
        boolean isNull = data.rioBuf().equals(MemorySegment.NULL);
        int count = isNull ? 0 : 1;
        if (random.nextInt(20) == 0) {
            count = random.nextInt(3);
        }
        if (count != (isNull ? 0 : 1)) {
            why.append(" dataBufferCount");
        }
        boolean commit = (flags & RioConstants.RIO_MSG_COMMIT_ONLY) != 0;
        if (commit && !isNull) {
            why.append(" commitOnlyWithData");
        }
        if (!commit && isNull && (!send || s.tcp)) {
            why.append(" nullData"); // only a UDP send may pass no data
        }
        if (s.closed) {
            why.append(" closedSocket");
        }
        if (s.rq == 0) {
            why.append(" noRequestQueue");
        }
        if (!send && (flags & RioConstants.RIO_MSG_WAITALL) != 0 && !s.tcp) {
            why.append(" waitAllOnUdp");
        }
        if (checkCapacity && !commit && !s.closed && s.rq != 0
                && outstanding(s, send) >= (send ? s.maxSend : s.maxReceive)) {
            why.append(" requestQueueFull");
        }
        MemorySegment remote = MemorySegment.NULL;
        List<Reg> refs = new ArrayList<>();
        if (data.reg() != null) {
            refs.add(data.reg());
        }
        if (ex) {
            int a = random.nextInt(10);
            if (a < 5) {
                int slot = random.nextInt(16);
                int length = random.nextInt(6) == 0 ? random.nextInt(SockaddrInet.SIZE) : SockaddrInet.SIZE;
                remote = rioBuf(addresses.id, slot * SockaddrInet.SIZE, length);
                refs.add(addresses);
                if (length < SockaddrInet.SIZE) {
                    why.append(" shortAddress");
                }
            }
        }
        long context = commit && random.nextBoolean() ? 0 : nextContext++;
        if (commit && context != 0) {
            why.append(" commitOnlyWithContext");
        }
        if (commit && !remote.equals(MemorySegment.NULL)) {
            why.append(" commitOnlyWithAddress");
        }
        String name = (send ? "RIOSend" : "RIOReceive") + (ex ? "Ex" : "");
        String text = name + "(" + s.name + ", " + data.text() + ", " + count + ", flags 0x"
                + Integer.toHexString(flags) + ", ctx " + context + (ex ? ", remote " + remote.address() : "")
                + ")" + (why.isEmpty() ? "" : " why:" + why);
        final int c = count;
        final MemorySegment addr = remote;
        boolean ok = call(text, !why.isEmpty(), () -> {
            if (send && ex) {
                rio.sendEx(s.rq, data.rioBuf(), c, MemorySegment.NULL, addr, MemorySegment.NULL,
                        MemorySegment.NULL, flags, context);
            } else if (send) {
                rio.send(s.rq, data.rioBuf(), c, flags, context);
            } else if (ex) {
                rio.receiveEx(s.rq, data.rioBuf(), c, MemorySegment.NULL, addr, MemorySegment.NULL,
                        MemorySegment.NULL, flags, context);
            } else {
                rio.receive(s.rq, data.rioBuf(), c, flags, context);
            }
        });
        if (ok && (flags & RioConstants.RIO_MSG_COMMIT_ONLY) == 0) {
            accepted(new Req(context, s, send, send ? s.sendCq : s.receiveCq, refs,
                    isNull ? null : data.rioBuf()));
        }
    }

    /** The capacity bound to {@code cq} by open request queues, with {@code except}'s replaced by the given. */
    private int bound(Cq cq, Sock except, int maxReceive, int maxSend, Cq receiveCq, Cq sendCq) {
        int sum = 0;
        for (Sock s : socks) {
            if (s.closed || s.rq == 0 || s == except) {
                continue;
            }
            sum += (s.receiveCq == cq ? s.maxReceive : 0) + (s.sendCq == cq ? s.maxSend : 0);
        }
        return sum + (receiveCq == cq ? maxReceive : 0) + (sendCq == cq ? maxSend : 0);
    }

    private long outstanding(Sock s, boolean send) {
        return inFlight.values().stream().filter(q -> q.socket() == s && q.send() == send).count();
    }

    private void accepted(Req q) {
        if (inFlight.put(q.context(), q) != null) {
            throw new AssertionError("context " + q.context() + " reused by the fuzz itself");
        }
        for (Reg g : q.regs()) {
            g.inFlight++;
        }
        stats.accepted++;
    }

    private void commitOnly() throws Exception {
        Sock s = pick(socks);
        boolean send = random.nextBoolean();
        String why = s.closed ? " closedSocket" : s.rq == 0 ? " noRequestQueue" : "";
        call((send ? "RIOSend" : "RIOReceive") + "(" + s.name + ", COMMIT_ONLY)" + why, !why.isEmpty(), () -> {
            if (send) {
                rio.send(s.rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            } else {
                rio.receive(s.rq, MemorySegment.NULL, 0, RioConstants.RIO_MSG_COMMIT_ONLY, 0);
            }
        });
    }

    private void dequeue() throws Exception {
        Cq cq = pick(cqs);
        int r = random.nextInt(20);
        int size = r == 0 ? 0 : r == 1 ? RESULTS + 1 + random.nextInt(8) : 1 + random.nextInt(RESULTS);
        String why = cq.closed ? " closedCq" : size == 0 ? " size0" : size > RESULTS ? " arrayTooSmall" : "";
        int[] got = new int[1];
        call("RIODequeueCompletion(cq " + cq.handle + ", " + size + ")" + why, !why.isEmpty(), () -> {
            got[0] = rio.dequeueCompletion(cq.handle, results, size);
        });
        completed(cq, got[0], size);
    }

    private void completed(Cq cq, int n, int size) {
        if (n < 0 || n > Math.max(size, 0)) {
            throw new AssertionError("RIODequeueCompletion returned " + n + " for an array of " + size);
        }
        for (int i = 0; i < n; i++) {
            long base = i * RioLayouts.RIORESULT.byteSize();
            long context = (long) RioLayouts.RIORESULT_RequestContext.get(results, base);
            int status = (int) RioLayouts.RIORESULT_Status.get(results, base);
            int bytes = (int) RioLayouts.RIORESULT_BytesTransferred.get(results, base);
            Req q = inFlight.remove(context);
            log.add("    completed ctx " + context + " status " + WsaError.name(status) + " bytes " + bytes);
            if (q == null) {
                throw new AssertionError("a completion for context " + context + " that is not in flight"
                        + " (never accepted, or completed twice)");
            }
            if (q.cq() != cq) {
                throw new AssertionError("context " + context + " completed on cq " + cq.handle + ", not on "
                        + q.cq().handle);
            }
            for (Reg g : q.regs()) {
                g.inFlight--;
            }
            stats.completions++;
        }
    }

    private void notifyCq() throws Exception {
        Cq cq = pick(cqs);
        call("RIONotify(cq " + cq.handle + ")" + (cq.closed ? " closedCq" : ""), false, () -> {
            int code = rio.notify(cq.handle);
            log.add("    -> " + WsaError.name(code));
        });
    }

    private void waitPort() throws Exception {
        long timeout = random.nextInt(3) == 0 ? TimeUnit.MILLISECONDS.toNanos(1) : 0;
        int[] n = new int[1];
        call("GetQueuedCompletionStatus(" + timeout + " ns)", false,
                () -> n[0] = port.getQueuedCompletionStatus(entries, timeout));
        portEntries(n[0]);
    }

    /**
     * Checks the accept and connect entries a port wait returned: each belongs to a pending accept or connect of
     * the fuzz (so each completes once), and, since every one the fuzz starts after set-up is a misuse (an accept
     * on a socket that does not listen, a connect of a connected socket), each fails.
     */
    private void portEntries(int n) {
        for (int i = 0; i < n; i++) {
            long key = entries.completionKey(i);
            if (key != KEY_ACCEPT && key != KEY_CONNECT) {
                continue;
            }
            long context = entries.context(i);
            String what = pendingPort.remove(context);
            log.add("    port entry " + (key == KEY_ACCEPT ? "accept" : "connect") + " ctx " + context + " status "
                    + WsaError.name(entries.status(i)));
            if (what == null) {
                throw new AssertionError("a port entry for context " + context + " that is not pending");
            }
            if (entries.status(i) == 0) {
                throw new AssertionError("a misuse succeeded on the port: " + what);
            }
        }
    }

    private void acceptOrConnectMisuse() throws Exception {
        Sock s = pick(socks);
        long context = nextContext++;
        boolean accept = random.nextBoolean() || !s.tcp;
        String text = (accept ? "accept(" : "connect(") + s.name + ", ctx " + context + ")"
                + (s.closed ? " closed" : accept ? " notListening" : " alreadyConnected");
        boolean ok = call(text, s.closed, () -> {
            if (accept) {
                sockets.accept(s.handle, port, KEY_ACCEPT, context);
            } else {
                sockets.connect(s.handle, new InetSocketAddress(loopback, 9), port,
                        KEY_CONNECT, context);
            }
        });
        if (ok) {
            pendingPort.put(context, text);
        }
    }

    private void registerOp() throws Exception {
        int r = random.nextInt(10);
        if (r < 5 && regs.size() < 16) {
            call("RIORegisterBuffer(" + REG_SIZE + ")", false, () -> register(REG_SIZE));
        } else if (r < 7) {
            int length = random.nextBoolean() ? 0 : -1 - random.nextInt(10);
            MemorySegment m = arena.allocate(64);
            call("RIORegisterBuffer(length " + length + ")", true, () -> rio.registerBuffer(m, length));
        } else if (r < 8) {
            MemorySegment m = arena.allocate(64);
            call("RIORegisterBuffer(length 65 of 64)", true, () -> rio.registerBuffer(m, 65));
        } else if (r < 9) {
            call("RIORegisterBuffer(freed memory)", true, () -> rio.registerBuffer(freedMemory, 64));
        } else {
            call("RIORegisterBuffer(heap)", true, () -> rio.registerBuffer(MemorySegment.ofArray(new byte[64]), 64));
        }
    }

    private void deregisterOp() throws Exception {
        Reg g = pick(regs);
        if (g == null || random.nextInt(5) == 0) {
            long id = random.nextLong();
            call("RIODeregisterBuffer(unknown " + id + ")", false, () -> rio.deregisterBuffer(id));
            return;
        }
        boolean ok = call("RIODeregisterBuffer(" + g.id + ")" + (g.inFlight > 0 ? " inFlight" : ""),
                g.inFlight > 0 && !g.deregistered, () -> rio.deregisterBuffer(g.id));
        if (ok) {
            g.deregistered = true;
        }
    }

    private void freeArena() {
        // Only memory no request of ours references: freeing memory under the kernel is the one breach nothing
        // can detect (docs/linux-provider.md, "Not supported").
        Reg g = pick(regs.stream().filter(x -> x.inFlight == 0 && !x.freed).toList());
        if (g != null) {
            log.add("free memory of registration " + g.id + (g.deregistered ? "" : " (still registered)"));
            g.freed = true;
            g.arena.close();
        }
    }

    private void createCq() throws Exception {
        int r = random.nextInt(10);
        int size = r < 6 ? 1 + random.nextInt(64) : r < 7 ? 0 : r < 8 ? RioConstants.RIO_MAX_CQ_SIZE + 1
                : -random.nextInt(100);
        boolean notifying = random.nextBoolean();
        boolean badSize = size < 1 || size > RioConstants.RIO_MAX_CQ_SIZE;
        long[] handle = new long[1];
        boolean ok = call("RIOCreateCompletionQueue(" + size + ", " + (notifying ? "port" : "polled") + ")",
                badSize, () -> handle[0] = rio.createCompletionQueue(size,
                        notifying ? notification() : MemorySegment.NULL));
        if (ok) {
            cqs.add(new Cq(handle[0], notifying, size));
        }
    }

    private void resizeCq() throws Exception {
        Cq cq = pick(cqs);
        int size = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(128);
        boolean tooSmall = checkCapacity && size < bound(cq, null, 0, 0, null, null);
        boolean ok = call("RIOResizeCompletionQueue(cq " + cq.handle + ", " + size + ")"
                + (cq.closed ? " closedCq" : "") + (tooSmall ? " belowBoundCapacity" : ""),
                cq.closed || size == 0 || tooSmall, () -> rio.resizeCompletionQueue(cq.handle, size));
        if (ok) {
            cq.size = size;
        }
    }

    private void closeCq() throws Exception {
        Cq cq = pick(cqs);
        boolean busy = socks.stream().anyMatch(s -> !s.closed && (s.receiveCq == cq || s.sendCq == cq))
                || inFlight.values().stream().anyMatch(q -> q.cq() == cq);
        boolean ok = call("RIOCloseCompletionQueue(cq " + cq.handle + ")" + (busy ? " busy" : "")
                + (cq.closed ? " closedCq" : ""), busy || cq.closed, () -> rio.closeCompletionQueue(cq.handle));
        if (ok) {
            cq.closed = true;
        }
    }

    private void createRq() throws Exception {
        Sock s = pick(socks);
        Cq rc = pick(cqs);
        Cq sc = random.nextBoolean() ? rc : pick(cqs);
        int maxR = random.nextInt(5);
        int maxS = random.nextInt(5);
        int bufsR = random.nextInt(10) == 0 ? 2 : 1;
        int bufsS = random.nextInt(10) == 0 ? 0 : 1;
        boolean full = checkCapacity && (bound(rc, s, maxR, maxS, rc, sc) > rc.size
                || bound(sc, s, maxR, maxS, rc, sc) > sc.size);
        boolean misuse = s.closed || s.rq != 0 || rc.closed || sc.closed || (maxR == 0 && maxS == 0)
                || bufsR != 1 || bufsS != 1 || full;
        long[] handle = new long[1];
        boolean ok = call("RIOCreateRequestQueue(" + s.name + ", " + maxR + ", " + bufsR + ", " + maxS + ", "
                + bufsS + ", cq " + rc.handle + ", cq " + sc.handle + ")" + (full ? " cqFull" : ""), misuse,
                () -> handle[0] = rio.createRequestQueue(s.handle, maxR, bufsR, maxS, bufsS, rc.handle, sc.handle,
                        s.handle));
        if (ok) {
            s.rq = handle[0];
            s.receiveCq = rc;
            s.sendCq = sc;
            s.maxReceive = maxR;
            s.maxSend = maxS;
        }
    }

    private void resizeRq() throws Exception {
        Sock s = pick(socks);
        int maxR = random.nextInt(6);
        int maxS = random.nextInt(6);
        boolean live = !s.closed && s.rq != 0;
        boolean belowInUse = checkCapacity && live
                && (maxR < outstanding(s, false) || maxS < outstanding(s, true));
        boolean cqFull = checkCapacity && live && (bound(s.receiveCq, s, maxR, maxS, s.receiveCq, s.sendCq)
                > s.receiveCq.size || bound(s.sendCq, s, maxR, maxS, s.receiveCq, s.sendCq) > s.sendCq.size);
        boolean ok = call("RIOResizeRequestQueue(" + s.name + ", " + maxR + ", " + maxS + ")"
                + (belowInUse ? " belowInUse" : "") + (cqFull ? " cqFull" : ""),
                !live || (maxR == 0 && maxS == 0) || belowInUse || cqFull,
                () -> rio.resizeRequestQueue(s.rq, maxR, maxS));
        if (ok) {
            s.maxReceive = maxR;
            s.maxSend = maxS;
        }
    }

    private void closeSocket() throws Exception {
        Sock s = pick(socks);
        boolean abort = random.nextBoolean();
        boolean ok = call((abort ? "abort(" : "closesocket(") + s.name + ")" + (s.closed ? " closed" : ""),
                s.closed, () -> {
                    if (abort) {
                        sockets.abort(s.handle);
                    } else {
                        sockets.close(s.handle);
                    }
                });
        if (ok) {
            s.closed = true;
        }
    }

    private void socketOption() throws Exception {
        Sock s = pick(socks);
        int r = random.nextInt(4);
        if (r == 0) {
            int how = random.nextInt(4);
            call("shutdown(" + s.name + ", " + how + ")", s.closed || how > 2, () -> sockets.shutdown(s.handle, how));
        } else if (r == 1) {
            call("getsockopt(" + s.name + ", SO_ERROR)", s.closed,
                    () -> sockets.getOption(s.handle, RioSocketOption.SO_ERROR));
        } else if (r == 2) {
            int size = random.nextInt(1 << 16);
            call("setsockopt(" + s.name + ", SO_RCVBUF, " + size + ")", s.closed,
                    () -> sockets.setOption(s.handle, RioSocketOption.SO_RCVBUF, size));
        } else {
            call("getpeername(" + s.name + ")", s.closed, () -> sockets.remoteAddress(s.handle));
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Teardown and report

    /**
     * Closes everything in RIO's shutdown order (docs/rio-api.md, "The per-thread IOCP + RIO pattern"), and checks
     * that every request accepted completed, exactly once. Not an {@link AutoCloseable}: these checks belong to
     * a run that got this far, and a failed run calls {@link #abandon()} instead.
     */
    void close() throws Exception {
        log.add("--- teardown");
        for (Sock s : socks) {
            if (!s.closed) {
                call("closesocket(" + s.name + ")", false, () -> sockets.close(s.handle));
                s.closed = true;
            }
        }
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while ((!inFlight.isEmpty() || !pendingPort.isEmpty()) && System.nanoTime() < deadline) {
            for (Cq cq : cqs) {
                if (!cq.closed) {
                    int[] got = new int[1];
                    call("RIODequeueCompletion(cq " + cq.handle + ", " + RESULTS + ")", false,
                            () -> got[0] = rio.dequeueCompletion(cq.handle, results, RESULTS));
                    completed(cq, got[0], RESULTS);
                }
            }
            portEntries(port.getQueuedCompletionStatus(entries, TimeUnit.MILLISECONDS.toNanos(1)));
        }
        if (!pendingPort.isEmpty()) {
            throw new AssertionError(pendingPort.size() + " accept(s)/connect(s) never completed: " + pendingPort);
        }
        if (!inFlight.isEmpty()) {
            throw new AssertionError(inFlight.size() + " accepted request(s) never completed: "
                    + inFlight.keySet());
        }
        for (Cq cq : cqs) {
            if (!cq.closed) {
                call("RIOCloseCompletionQueue(cq " + cq.handle + ")", false, () -> rio.closeCompletionQueue(cq.handle));
                cq.closed = true;
            }
        }
        rio.deregisterBuffer(addresses.id);
        for (Reg g : regs) {
            if (!g.deregistered) {
                rio.deregisterBuffer(g.id);
            }
            if (!g.freed) {
                g.arena.close();
            }
        }
        port.close();
        arena.close();
    }

    /** Frees what can be freed after a failure, without checks (the failure is what matters). */
    void abandon() {
        for (Sock s : socks) {
            if (!s.closed) {
                try {
                    sockets.close(s.handle);
                } catch (Exception | Error e) {
                    // reporting the original failure
                }
            }
        }
    }

    /** The seed and the call sequence, for the failure message. */
    String report() {
        StringBuilder b = new StringBuilder("seed ").append(seed)
                .append(" (replay: -Dio.nettyrio.fuzz.seed=").append(seed).append("), ").append(log.size())
                .append(" log lines:\n");
        int from = Math.max(0, log.size() - 400);
        if (from > 0) {
            b.append("  ... ").append(from).append(" earlier lines\n");
        }
        for (int i = from; i < log.size(); i++) {
            b.append("  ").append(log.get(i)).append('\n');
        }
        return b.toString();
    }
}
