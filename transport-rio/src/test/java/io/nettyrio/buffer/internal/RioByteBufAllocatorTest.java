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
package io.nettyrio.buffer.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.buffer.RioByteBufAllocatorMetric;
import io.nettyrio.rio.RegisteredIo;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.nettyrio.testing.RioAvailability.assumeRioAvailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link RioByteBufAllocator} over the real provider, with RioRules on (the surefire argLine). */
@Timeout(60)
class RioByteBufAllocatorTest {
    private static RegisteredIo rio;

    @BeforeAll
    static void provider() {
        assumeRioAvailable();
        rio = Rio.provider().registeredIo();
    }

    private static RioByteBufAllocator newAllocator() {
        return RioByteBufAllocator.builder(rio).build();
    }

    /** The slot under {@code buf}'s readable bytes, as the channel layer finds it. */
    private static RioSlot slotOf(RioByteBufAllocator alloc, ByteBuf buf) {
        return RioSlotAllocator.of(alloc).slotOf(buf);
    }

    private static RioPooledByteBuf unwrap(ByteBuf buf) {
        ByteBuf b = buf;
        while (!(b instanceof RioPooledByteBuf) && b.unwrap() != null) {
            b = b.unwrap();
        }
        return assertInstanceOf(RioPooledByteBuf.class, b);
    }

    @Test
    void sizeClasses() {
        assertEquals(0, RioByteBufAllocator.sizeClassOf(0));
        assertEquals(0, RioByteBufAllocator.sizeClassOf(256));
        assertEquals(1, RioByteBufAllocator.sizeClassOf(257));
        assertEquals(4, RioByteBufAllocator.sizeClassOf(4096));
        assertEquals(8, RioByteBufAllocator.sizeClassOf(65536));
        assertEquals(RioByteBufAllocator.SIZE_CLASSES - 1, RioByteBufAllocator.sizeClassOf(1 << 20));
        assertEquals(-1, RioByteBufAllocator.sizeClassOf((1 << 20) + 1));

        RioByteBufAllocator alloc = newAllocator();
        int[] sizes = {1, 100, 256, 257, 4000, 4096, 65536, 70000, 1 << 20};
        for (int size : sizes) {
            ByteBuf buf = alloc.directBuffer(size);
            try {
                RioSlot slot = unwrap(buf).slot();
                assertEquals(size, buf.capacity(), "a buffer has the capacity asked for");
                int index = RioByteBufAllocator.sizeClassOf(size);
                assertEquals(RioByteBufAllocator.slotSize(index), slot.capacity(), "slot of " + size);
                assertEquals(1, alloc.metric().slotsInUse(index));
            } finally {
                buf.release();
            }
        }
        for (int i = 0; i < RioByteBufAllocator.SIZE_CLASSES; i++) {
            assertEquals(0, alloc.metric().slotsInUse(i), "class " + i + " has slots out after release");
        }
    }

    @Test
    void largerThanTheLargestClassGetsItsOwnRegistration() {
        RioByteBufAllocator alloc = newAllocator();
        int size = (1 << 20) + 4096;
        ByteBuf buf = alloc.directBuffer(size);
        RioSlot slot = unwrap(buf).slot();
        assertEquals(size, slot.capacity());
        assertEquals(1, alloc.metric().dedicatedAllocations());
        assertEquals(size, alloc.metric().registeredBytes());
        buf.writeZero(size);
        assertSame(slot, slotOf(alloc, buf));
        buf.release();
        assertEquals(0, alloc.metric().registeredBytes(), "a dedicated registration is deregistered on release");
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void heapBuffersComeFromNettysDefault() {
        ByteBuf buf = newAllocator().heapBuffer(100);
        try {
            assertFalse(buf.isDirect());
            assertTrue(buf.hasArray());
        } finally {
            buf.release();
        }
    }

    @Test
    void releasedSlotIsReusedFromTheThreadCache() throws Exception {
        RioByteBufAllocator alloc = newAllocator();
        OnLoopThread.run(() -> {
            ByteBuf first = alloc.directBuffer(1000);
            RioSlot slot = unwrap(first).slot();
            first.release();
            long hits = alloc.metric().cacheHits();
            ByteBuf second = alloc.directBuffer(1000);
            assertSame(slot, unwrap(second).slot(), "the cached slot is reused (LIFO)");
            assertEquals(hits + 1, alloc.metric().cacheHits());
            second.release();
        });
        // The first allocation carved a slab of 1 KiB slots and refilled the cache: every later one was a hit.
        assertEquals(2, alloc.metric().allocations());
        assertEquals(Slabs.SLAB_BYTES, alloc.metric().registeredBytes());
    }

    @Test
    void withoutACacheSlotsGoBackToTheSharedPool() {
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).cacheBytesPerClass(0).build();
        ByteBuf a = alloc.directBuffer(512);
        RioSlot slot = unwrap(a).slot();
        a.release();
        ByteBuf b = alloc.directBuffer(512);
        assertSame(slot, unwrap(b).slot());
        assertEquals(0, alloc.metric().cacheHits());
        b.release();
    }

    @Test
    void releaseFromAnotherThread() throws Exception {
        RioByteBufAllocator alloc = newAllocator();
        BlockingQueue<ByteBuf> handoff = new ArrayBlockingQueue<>(64);
        int count = 2000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new FastThreadLocalThread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    ByteBuf buf = alloc.directBuffer(64 + (i % 5000));
                    buf.writeInt(i);
                    handoff.put(buf);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread consumer = new FastThreadLocalThread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    ByteBuf buf = handoff.take();
                    assertEquals(i, buf.readInt());
                    buf.release();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        producer.start();
        consumer.start();
        producer.join(30_000);
        consumer.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "every slot is back");
        assertEquals(count, alloc.metric().allocations());
    }

    @Test
    void noSlotIsHandedToTwoLiveBuffers() throws Exception {
        RioByteBufAllocator alloc = newAllocator();
        Set<RioSlot> live = ConcurrentHashMap.newKeySet();
        int threads = 4;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread thread = new FastThreadLocalThread(() -> {
                try {
                    List<ByteBuf> held = new ArrayList<>();
                    for (int i = 0; i < 5000; i++) {
                        if (held.size() < 40 && (i + seed) % 3 != 0) {
                            ByteBuf buf = alloc.directBuffer(100 + ((i * 31 + seed) % 3000));
                            RioSlot slot = unwrap(buf).slot();
                            assertTrue(live.add(slot), "slot handed to two live buffers: " + slot);
                            held.add(buf);
                        } else if (!held.isEmpty()) {
                            ByteBuf buf = held.remove((i + seed) % held.size());
                            assertTrue(live.remove(unwrap(buf).slot()));
                            buf.release();
                        }
                    }
                    for (ByteBuf buf : held) {
                        assertTrue(live.remove(unwrap(buf).slot()));
                        buf.release();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void directBuffersAreLeakAware() {
        assumeTrue(ResourceLeakDetector.isEnabled(), "leak detection is off in this run");
        ByteBuf buf = newAllocator().directBuffer(10);
        try {
            assertNotSame(RioPooledByteBuf.class, buf.getClass());
            assertTrue(buf.getClass().getSimpleName().contains("LeakAware"), buf.getClass().getName());
            assertInstanceOf(RioPooledByteBuf.class, buf.unwrap());
        } finally {
            buf.release();
        }
    }

    @Test
    void ensureWritableMovesToABiggerSlotAndKeepsTheContent() {
        RioByteBufAllocator alloc = newAllocator();
        ByteBuf buf = alloc.directBuffer(200);
        RioPooledByteBuf pooled = unwrap(buf);
        RioSlot small = pooled.slot();
        for (int i = 0; i < 200; i++) {
            buf.writeByte(i);
        }
        buf.readerIndex(7);
        buf.ensureWritable(10_000);
        RioSlot big = pooled.slot();
        assertNotSame(small, big);
        assertTrue(big.capacity() >= 10_200);
        assertTrue(buf.capacity() >= 10_200);
        assertEquals(7, buf.readerIndex());
        assertEquals(200, buf.writerIndex());
        for (int i = 0; i < 200; i++) {
            assertEquals((byte) i, buf.getByte(i), "byte " + i);
        }
        assertEquals(0, alloc.metric().slotsInUse(0), "the small slot went back");
        assertSame(big, slotOf(alloc, buf), "the grown buffer is still in registered memory");
        // Growing past the largest class moves it into a dedicated registration.
        buf.writerIndex(buf.capacity());
        buf.ensureWritable(1 << 20);
        assertEquals(1, alloc.metric().dedicatedAllocations());
        assertEquals((byte) 100, buf.getByte(100));
        buf.release();
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void metrics() {
        RioByteBufAllocator alloc = newAllocator();
        RioByteBufAllocatorMetric metric = alloc.metric();
        assertEquals(0, metric.registeredBytes());
        List<ByteBuf> bufs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bufs.add(alloc.directBuffer(4096));
        }
        bufs.add(alloc.directBuffer(300));
        assertEquals(3, metric.slotsInUse(RioByteBufAllocator.sizeClassOf(4096)));
        assertEquals(1, metric.slotsInUse(1));
        assertEquals(3 * 4096 + 512, metric.usedDirectMemory());
        assertEquals(2L * Slabs.SLAB_BYTES, metric.registeredBytes());
        assertEquals(4, metric.allocations());
        assertTrue(metric.toString().contains("4096=3"), metric.toString());
        for (ByteBuf b : bufs) {
            b.release();
        }
        assertEquals(0, metric.usedDirectMemory());
        assertEquals(2L * Slabs.SLAB_BYTES, metric.registeredBytes(), "slabs stay registered");
    }

    @Test
    void slotOfFindsTheSlotUnderDerivedBuffers() {
        RioByteBufAllocator alloc = newAllocator();
        ByteBuf buf = alloc.directBuffer(1000).writeZero(1000);
        try {
            RioSlot slot = unwrap(buf).slot();
            assertSame(slot, slotOf(alloc, buf));
            ByteBuf slice = buf.slice(100, 50);
            assertSame(slot, slotOf(alloc, slice));
            assertEquals(100, RioSlotPool.offsetIn(slot, slice));
            ByteBuf unregistered = Unpooled.directBuffer(10).writeZero(10);
            try {
                assertNull(slotOf(alloc, unregistered));
            } finally {
                unregistered.release();
            }
            assertNull(slotOf(alloc, Unpooled.wrappedBuffer(new byte[10])));
            assertNull(slotOf(newAllocator(), buf), "another allocator's memory is not this one's");
        } finally {
            buf.release();
        }
    }

    @Test
    void ceilingFallsBackToUnregisteredBuffersAndKeepsTheTransportsReserves() throws Exception {
        // Eight slots of 4 KiB: user buffers may take half, receives and staging keep a quarter each.
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).maxRegisteredBytes(8 * 4096)
                .cacheBytesPerClass(0).build();
        RioSlotPool pool = new RioSlotPool(alloc);
        List<ByteBuf> bufs = new ArrayList<>();
        List<RioSlot> slots = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                bufs.add(alloc.directBuffer(4096));
                assertNotNull(slotOf(alloc, bufs.get(i).writeZero(1)));
            }
            assertNull(RioSlotAllocator.of(alloc).tryAcquire(Ceiling.KIND_USER, 4096, 4096), "user buffers do not take the transport's reserves");
            ByteBuf over = alloc.directBuffer(4096);
            bufs.add(over);
            assertTrue(over.isDirect());
            assertNull(slotOf(alloc, over.writeZero(1)), "beyond the ceiling a buffer is not registered");
            assertEquals(1, alloc.metric().fallbacks());
            for (int i = 0; i < 2; i++) {
                slots.add(assertInstanceOf(RioSlot.class, pool.tryAcquireReceive(4096, 256), "the receive reserve"));
                slots.add(assertInstanceOf(RioSlot.class, pool.tryAcquireStaging(4096, 256), "the staging reserve"));
            }
            assertNull(pool.tryAcquireReceive(4096, 256), "the ceiling is reached");
            assertNull(pool.tryAcquireStaging(256, 256), "the ceiling is reached");
            assertEquals(8 * 4096, alloc.metric().usedDirectMemory());
            assertTrue(alloc.metric().peakRegisteredBytes() <= 8 * 4096, alloc.metric()::toString);
            bufs.remove(0).release();
            ByteBuf again = alloc.directBuffer(4096);
            bufs.add(again);
            assertNotNull(slotOf(alloc, again.writeZero(1)), "a slot given back serves the next buffer");
        } finally {
            for (ByteBuf b : bufs) {
                b.release();
            }
            for (RioSlot slot : slots) {
                slot.release();
            }
        }
        assertEquals(0, alloc.metric().usedDirectMemory());
        assertEquals(0, pool.slotsInUse());
    }

    /** Takes receive slots of {@code size} until the ceiling refuses one, gives them all back; returns how many. */
    private static int takeAndGiveBackEveryReceive(RioSlotPool pool, int size) throws Exception {
        List<RioSlot> receives = new ArrayList<>();
        RioSlot r;
        while ((r = pool.tryAcquireReceive(size, size)) != null) {
            receives.add(r);
        }
        for (RioSlot slot : receives) {
            slot.release();
        }
        return receives.size();
    }

    @Test
    void atTheCeilingAReceiveTakesASmallerFreeSlotBeforeALargerOne() throws Exception {
        // A posted receive may wait as long as its connection stays idle: at the ceiling it must not hold a larger
        // slot than it asked for while a smaller one is free (idle connections' receives held every byte receives
        // may use, and an active connection starved).
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).maxRegisteredBytes(32 * 1024)
                .cacheBytesPerClass(0).build();
        RioSlotPool pool = new RioSlotPool(alloc);
        takeAndGiveBackEveryReceive(pool, 2048);
        ByteBuf user = alloc.directBuffer(8192);
        assertNotNull(slotOf(alloc, user.writeZero(1)), "an 8 KiB slot");
        user.release();
        assertEquals(32 * 1024, alloc.metric().registeredBytes(), "nothing more can be carved");
        RioSlot receive = pool.tryAcquireReceive(4096, 256);
        try {
            assertNotNull(receive);
            assertEquals(2048, receive.capacity(), "the free 2 KiB slot, not the free 8 KiB one");
        } finally {
            receive.release();
        }
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void atTheCeilingTheTransportTakesASlotOfAnotherClass() throws Exception {
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).maxRegisteredBytes(16 * 1024)
                .cacheBytesPerClass(0).build();
        RioSlotPool pool = new RioSlotPool(alloc);
        // Receives take all but the staging reserve, in 2 KiB slots; then they are free again.
        assertEquals(6, takeAndGiveBackEveryReceive(pool, 2048));
        ByteBuf user = alloc.directBuffer(4096);
        try {
            assertNotNull(slotOf(alloc, user.writeZero(1)));
            assertEquals(16 * 1024, alloc.metric().registeredBytes(), "nothing more can be carved");
            RioSlot staging = pool.tryAcquireStaging(65536, 256);
            assertNotNull(staging, "a smaller free slot rather than none");
            assertEquals(2048, staging.capacity());
            assertNull(pool.tryAcquireStaging(65536, 4096), "none of at least 4 KiB");
            staging.release();
        } finally {
            user.release();
        }
        assertEquals(0, pool.slotsInUse());
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void aWaitingTaskRunsWhenASlotComesBackFromAnyThread() throws Exception {
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).maxRegisteredBytes(4 * 4096)
                .cacheBytesPerClass(0).build();
        BlockingQueue<Runnable> loop = new ArrayBlockingQueue<>(16);
        RioSlotPool pool = new RioSlotPool(alloc, null, loop::add);
        List<RioSlot> slots = new ArrayList<>();
        RioSlot slot;
        while ((slot = pool.tryAcquireReceive(4096, 4096)) != null) {
            slots.add(slot);
        }
        assertEquals(3, slots.size(), "receives may use all but the staging reserve");
        int[] ran = new int[1];
        pool.awaitMemory(() -> ran[0]++);
        assertTrue(loop.isEmpty(), "nothing came back yet");
        assertTrue(pool.memoryWanted());
        RioSlot first = slots.remove(0);
        Thread other = new Thread(first::release);
        other.start();
        other.join();
        Runnable task = loop.poll(5, TimeUnit.SECONDS);
        assertNotNull(task, "the release woke the loop");
        task.run();
        assertEquals(1, ran[0]);
        assertFalse(pool.memoryWanted());
        // A release between the refusal and awaitMemory is not missed.
        slots.add(pool.tryAcquireReceive(4096, 4096));
        assertNull(pool.tryAcquireReceive(4096, 4096));
        slots.remove(0).release();
        pool.awaitMemory(() -> ran[0]++);
        loop.poll(5, TimeUnit.SECONDS).run();
        assertEquals(2, ran[0]);
        for (RioSlot s : slots) {
            s.release();
        }
        pool.close();
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void aBufferThatGrowsBeyondTheCeilingMovesToOrdinaryMemory() {
        RioByteBufAllocator alloc = RioByteBufAllocator.builder(rio).maxRegisteredBytes(64 * 1024)
                .cacheBytesPerClass(0).build();
        ByteBuf buf = alloc.directBuffer(4096);
        try {
            for (int i = 0; i < 100_000; i++) {
                buf.writeByte((byte) i);
            }
            assertNull(unwrap(buf).slot(), "past the user share the buffer left registered memory");
            assertNull(slotOf(alloc, buf));
            for (int i = 0; i < 100_000; i++) {
                assertEquals((byte) i, buf.getByte(i));
            }
            assertTrue(alloc.metric().peakRegisteredBytes() <= 64 * 1024);
        } finally {
            buf.release();
        }
        assertEquals(0, alloc.metric().usedDirectMemory());
    }

    @Test
    void slotInARequestCannotBeReleased() {
        RioByteBufAllocator alloc = newAllocator();
        RioSlot slot = RioSlotAllocator.of(alloc).tryAcquire(Ceiling.KIND_USER, 100, 100);
        slot.requestStarted();
        assertThrows(IllegalStateException.class, slot::requestStarted, "one request per slot");
        assertThrows(IllegalStateException.class, slot::release);
        slot.requestCompleted();
        slot.release();
        assertThrows(IllegalStateException.class, slot::release, "released twice");
        assertThrows(IllegalStateException.class, slot::requestStarted, "a free slot");
        assertTrue(RioRules.isChecked(rio) || !Rio.rulesEnabled());
    }
}
