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

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ResourceLeakDetector;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.rio.Rio;
import io.nettyrio.rio.rules.RioRules;
import io.nettyrio.testing.ExpectedLeaks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The allocator's buffer objects are recycled through their slots: an allocation, a release and a slot lookup in
 * steady state create no object, and the rules stay (a released buffer fails with
 * {@link IllegalReferenceCountException}, a dropped one is reported by Netty's leak detector).
 */
@Timeout(60)
class RioPooledByteBufTest {
    private static RioByteBufAllocator alloc;

    @BeforeAll
    static void provider() {
        assumeTrue(Rio.isAvailable(), () -> "RIO not available: " + Rio.unavailabilityCause());
        alloc = RioByteBufAllocator.builder(Rio.provider().registeredIo()).build();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void allocateReleaseAndSlotLookupCreateNoObjectInSteadyState() throws Exception {
        // Over the provider without the RioRules checker: its bookkeeping of every check allocates (it is a test
        // instrument, not the transport); the rules themselves are checked by every other test here.
        RioByteBufAllocator unchecked = RioByteBufAllocator.builder(RioRules.unwrap(Rio.provider()).registeredIo())
                .build();
        RioSlotAllocator slots = RioSlotAllocator.of(unchecked);
        OnLoopThread.run(() -> {
            int rounds = 20_000;
            long[] sum = new long[1];
            Runnable cycle = () -> {
                // The facade adds only Netty's leak-detection wrapper (PARANOID in tests), so the machinery is
                // measured without it.
                ByteBuf buf = slots.newDirectBuffer(100, Integer.MAX_VALUE);
                buf.writeLong(7).writeInt(3);
                RioSlot slot = slots.slotOf(buf);
                sum[0] += RioSlotPool.offsetIn(slot, buf) + buf.getInt(8);
                buf.release();
            };
            for (int i = 0; i < 1000; i++) {
                cycle.run();
            }
            long before = allocatedBytes();
            for (int i = 0; i < rounds; i++) {
                cycle.run();
            }
            long bytes = allocatedBytes() - before;
            // One object per cycle would be at least 16 bytes each: 320,000 bytes.
            assertTrue(bytes < 4096, bytes + " bytes allocated in " + rounds + " cycles");
            assertEquals(3L * (rounds + 1000), sum[0]);
        });
    }

    @Test
    void theReleasedObjectServesItsSlotAgain() throws Exception {
        RioSlotAllocator slots = RioSlotAllocator.of(alloc);
        OnLoopThread.run(() -> {
            ByteBuf first = slots.newDirectBuffer(1000, 4000);
            RioSlot slot = ((RioPooledByteBuf) first).slot();
            first.writeLong(42);
            first.markReaderIndex();
            first.release();
            ByteBuf second = slots.newDirectBuffer(600, 800);
            assertSame(first, second, "the slot's released object serves it again");
            assertSame(slot, ((RioPooledByteBuf) second).slot());
            assertEquals(1, second.refCnt());
            assertEquals(600, second.capacity());
            assertEquals(800, second.maxCapacity());
            assertEquals(0, second.readerIndex());
            assertEquals(0, second.writerIndex());
            second.writerIndex(10).readerIndex(5).resetReaderIndex();
            assertEquals(0, second.readerIndex(), "no mark is left from the object's last use");
            second.release();
        });
    }

    @Test
    void aReleasedBufferFailsOnUseAndOnASecondRelease() {
        ByteBuf buf = alloc.directBuffer(100).writeLong(1);
        ByteBuf inner = buf.unwrap() != null ? buf.unwrap() : buf;
        long inUse = alloc.metric().usedDirectMemory();
        assertTrue(buf.release());
        assertEquals(inUse - 256, alloc.metric().usedDirectMemory());
        assertThrows(IllegalReferenceCountException.class, () -> inner.getLong(0));
        assertThrows(IllegalReferenceCountException.class, () -> inner.writeByte(1));
        assertThrows(IllegalReferenceCountException.class, () -> inner.nioBuffer(0, 8));
        assertThrows(IllegalReferenceCountException.class, inner::release);
        assertEquals(inUse - 256, alloc.metric().usedDirectMemory(), "the slot was not given back twice");
    }

    @Test
    void aBufferGrowsWithinItsSlotWithoutMoving() {
        ByteBuf buf = alloc.directBuffer(100);
        try {
            RioPooledByteBuf pooled = (RioPooledByteBuf) (buf.unwrap() != null ? buf.unwrap() : buf);
            RioSlot slot = pooled.slot();
            buf.writeZero(100).writeInt(5);
            assertSame(slot, pooled.slot(), "a 256-byte slot holds 104 bytes");
            assertEquals(256, buf.capacity(), "ensureWritable fills the slot before it moves");
            buf.writeZero(200);
            assertNotSame(slot, pooled.slot(), "beyond the slot it moves");
            assertEquals(5, buf.getInt(100));
        } finally {
            buf.release();
        }
    }

    @Test
    void bulkAccessMatchesAHeapBuffer() {
        ByteBuf buf = alloc.directBuffer(512);
        ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(512);
        try {
            byte[] bytes = new byte[300];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 7);
            }
            for (ByteBuf b : List.of(buf, heap)) {
                b.writeBytes(bytes, 0, 100).writeShortLE(0x1234).writeMedium(0x345678).writeMediumLE(0x345678)
                        .writeIntLE(0x01020304).writeLongLE(0x0102030405060708L)
                        .writeBytes(ByteBuffer.wrap(bytes, 100, 50));
            }
            assertEquals(heap.readableBytes(), buf.readableBytes());
            byte[] a = new byte[buf.readableBytes()];
            byte[] b = new byte[heap.readableBytes()];
            buf.getBytes(0, a);
            heap.getBytes(0, b);
            assertArrayEquals(b, a);
            assertEquals(heap.getUnsignedMedium(102), buf.getUnsignedMedium(102));
            assertEquals(heap.getUnsignedMediumLE(105), buf.getUnsignedMediumLE(105));
            assertEquals(heap.getLongLE(112), buf.getLongLE(112));
            ByteBuf copy = buf.copy(10, 20);
            try {
                assertEquals(heap.slice(10, 20), copy);
            } finally {
                copy.release();
            }
            ByteBuffer nio = buf.nioBuffer(100, 2);
            assertEquals(0, nio.position());
            assertEquals(heap.getShort(100), nio.getShort(0));
        } finally {
            buf.release();
            heap.release();
        }
    }

    @Test
    void receivedBuffersAreRecycledThroughTheirSlot() throws Exception {
        RioSlotPool pool = new RioSlotPool(alloc);
        try {
            RioSlot slot = pool.tryAcquireReceive(4096, 4096);
            ByteBuf first = RioSlotByteBuf.tracked(alloc, slot, 10);
            RioSlotByteBuf inner = RioSlotByteBuf.unwrapSlot(first);
            first.release();
            assertThrows(IllegalReferenceCountException.class, () -> inner.getByte(0));
            slot = pool.tryAcquireReceive(4096, 4096);
            ByteBuf second = RioSlotByteBuf.tracked(alloc, slot, 20);
            try {
                // Not an event loop: no thread cache, and the shared pool is LIFO.
                assertSame(inner.slot(), slot, "the slot given back is taken again");
                assertSame(inner, RioSlotByteBuf.unwrapSlot(second), "the slot's released buffer serves again");
                assertEquals(0, second.readerIndex());
                assertEquals(20, second.writerIndex());
                assertEquals(1, second.refCnt());
            } finally {
                second.release();
            }
        } finally {
            pool.close();
        }
    }

    @Test
    void receivedBufferCopiesOutMatchTheSlotAndCheckBounds() throws Exception {
        RioSlotPool pool = new RioSlotPool(alloc);
        try {
            RioSlot slot = pool.tryAcquireReceive(4096, 4096);
            for (int i = 0; i < 100; i++) {
                slot.view.put(i, (byte) (i * 3 + 1));
            }
            ByteBuf buf = RioSlotByteBuf.tracked(alloc, slot, 100);
            try {
                byte[] array = new byte[40];
                buf.getBytes(10, array, 5, 30);
                ByteBuffer heap = ByteBuffer.allocate(50).position(7);
                buf.getBytes(20, heap.slice(7, 20));
                ByteBuffer direct = ByteBuffer.allocateDirect(30).position(3);
                buf.getBytes(60, direct);
                assertEquals(30, direct.position(), "the destination's position advances by what was copied");
                for (int i = 0; i < 30; i++) {
                    assertEquals((byte) ((10 + i) * 3 + 1), array[5 + i], "array byte " + i);
                }
                for (int i = 0; i < 27; i++) {
                    assertEquals((byte) ((60 + i) * 3 + 1), direct.get(3 + i), "direct byte " + i);
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals((byte) ((20 + i) * 3 + 1), heap.get(7 + i));
                }
                assertThrows(IndexOutOfBoundsException.class, () -> buf.getBytes(4090, new byte[20], 0, 20));
                assertThrows(IndexOutOfBoundsException.class, () -> buf.getBytes(0, new byte[20], 10, 20));
                assertThrows(IndexOutOfBoundsException.class, () -> buf.getBytes(4090, ByteBuffer.allocate(20)));
            } finally {
                buf.release();
            }
            assertThrows(IllegalReferenceCountException.class, () -> buf.getBytes(0, new byte[4], 0, 4));
        } finally {
            pool.close();
        }
    }

    @Test
    @ExpectedLeaks("drops a recycled buffer on purpose: the test checks that Netty's detector reports it")
    void aRecycledBufferThatIsDroppedIsStillReportedAsALeak() throws Exception {
        assumeTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID,
                "every buffer is tracked only at PARANOID");
        List<String> leaks = new CopyOnWriteArrayList<>();
        Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
        RioByteBufAllocator own = RioByteBufAllocator.builder(Rio.provider().registeredIo()).build();
        detector.setLeakListener((type, records) -> leaks.add(type));
        try {
            OnLoopThread.run(() -> {
                own.directBuffer(64).release();
                // The same slot and object again (the thread's cache is LIFO): this time dropped.
                own.directBuffer(64).writeLong(2);
            });
            // Bounded in time, not in rounds: the collector finds the dropped buffer and the reference handler
            // enqueues it when they get the CPU, which on a loaded machine can take longer than five short rounds.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (leaks.isEmpty() && System.nanoTime() - deadline < 0) {
                System.gc();
                Thread.sleep(100);
                for (int i = 0; i < 1024; i++) {
                    ByteBufAllocator.DEFAULT.heapBuffer(1).release();
                }
            }
            assertTrue(!leaks.isEmpty(), "a dropped recycled buffer was not reported");
        } finally {
            detector.setLeakListener(null);
        }
    }
}
