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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes of one direction of one connection, as a pure function of (seed, connection id, direction, offset), so
 * that the receiver verifies every byte without storing anything and a byte from another connection is recognised.
 *
 * <p>A stream is a sequence of 16-byte blocks. Block {@code b} holds two big-endian longs: the first is the
 * connection id (high 32 bits), the direction (bit 31) and {@code b} (low 31 bits, enough for 32 GiB); the second
 * is a 64-bit mix of the random seed, the id, the direction and {@code b}, so the content is pseudo-random and a block
 * copied from anywhere else (another connection, direction, offset or run) does not match. The first long makes
 * any 16 aligned bytes self-describing: {@link #identify} names the stream and offset they came from.
 */
public final class StreamPattern {
    /** Client to server. */
    public static final int CLIENT_TO_SERVER = 0;
    /** Server to client. */
    public static final int SERVER_TO_CLIENT = 1;

    static final int BLOCK = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long seed;
    private final int connection;
    private final int direction;

    /** Creates the pattern of {@code direction} of connection {@code connection} in the run seeded {@code seed}. */
    public StreamPattern(long seed, int connection, int direction) {
        if (connection < 0) {
            throw new IllegalArgumentException("connection: " + connection + " (expected: >= 0)");
        }
        if (direction != CLIENT_TO_SERVER && direction != SERVER_TO_CLIENT) {
            throw new IllegalArgumentException("direction: " + direction);
        }
        this.seed = seed;
        this.connection = connection;
        this.direction = direction;
    }

    /** Returns the connection id. */
    public int connection() {
        return connection;
    }

    /** Returns the direction ({@link #CLIENT_TO_SERVER} or {@link #SERVER_TO_CLIENT}). */
    public int direction() {
        return direction;
    }

    private static long header(int connection, int direction, long block) {
        return ((long) connection << 32) | ((long) direction << 31) | (block & 0x7FFF_FFFFL);
    }

    private static long body(long seed, int connection, int direction, long block) {
        // SplitMix64's finaliser over a combination of the four inputs.
        long z = seed ^ (connection * 0x9E37_79B9_7F4A_7C15L) ^ (direction * 0xD1B5_4A32_D192_ED03L)
                ^ (block * 0xBF58_476D_1CE4_E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private long word(long offset) {
        long block = offset >>> 4;
        return (offset & 8) == 0 ? header(connection, direction, block) : body(seed, connection, direction, block);
    }

    /** Returns the byte at {@code offset}. */
    public byte byteAt(long offset) {
        return (byte) (word(offset) >>> (56 - 8 * (offset & 7)));
    }

    /** Writes the {@code length} bytes starting at stream offset {@code offset} into {@code dst[at...]}. */
    public void fill(byte[] dst, int at, int length, long offset) {
        int i = 0;
        while (i < length && (offset + i & 7) != 0) {
            dst[at + i] = byteAt(offset + i);
            i++;
        }
        while (length - i >= 8) {
            LONGS.set(dst, at + i, word(offset + i));
            i += 8;
        }
        while (i < length) {
            dst[at + i] = byteAt(offset + i);
            i++;
        }
    }

    /**
     * Checks {@code src[at...at+length)} against the stream from {@code offset}. Returns the index in {@code src} of
     * the first byte that differs, or -1 if all match.
     */
    public int firstMismatch(byte[] src, int at, int length, long offset) {
        int i = 0;
        while (i < length && (offset + i & 7) != 0) {
            if (src[at + i] != byteAt(offset + i)) {
                return at + i;
            }
            i++;
        }
        while (length - i >= 8) {
            if ((long) LONGS.get(src, at + i) != word(offset + i)) {
                break; // the byte loop below finds which byte
            }
            i += 8;
        }
        while (i < length) {
            if (src[at + i] != byteAt(offset + i)) {
                return at + i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Names the stream the bytes at {@code src[index]} came from, looking within {@code src[from, to)}: first for 16
     * consecutive bytes covering {@code index} that form a block of some stream of the run seeded {@code seed}
     * ("connection 12 server-to-client offset 4096", the offset of {@code src[index]} in that stream); failing that,
     * for such a block starting in the next 31 bytes (a foreign run that starts at {@code index} holds a whole block
     * there: "... (from 5 bytes further on)"). Returns null if neither is found.
     */
    public static String identify(long seed, byte[] src, int from, int to, int index) {
        for (int start = Math.max(from, index - BLOCK + 1); start <= index && start + BLOCK <= to; start++) {
            String name = blockAt(seed, src, start, index - start);
            if (name != null) {
                return name;
            }
        }
        for (int start = index + 1; start <= index + 2 * BLOCK - 1 && start + BLOCK <= to; start++) {
            String name = blockAt(seed, src, start, 0);
            if (name != null) {
                return name + " (from " + (start - index) + " bytes further on)";
            }
        }
        return null;
    }

    private static String blockAt(long seed, byte[] src, int start, int within) {
        long head = (long) LONGS.get(src, start);
        int connection = (int) (head >>> 32);
        int direction = (int) (head >>> 31) & 1;
        long block = head & 0x7FFF_FFFFL;
        if (connection < 0 || (long) LONGS.get(src, start + 8) != body(seed, connection, direction, block)) {
            return null;
        }
        return "connection " + connection + ' ' + directionName(direction) + " offset " + (block * BLOCK + within);
    }

    /** Returns "client-to-server" or "server-to-client". */
    public static String directionName(int direction) {
        return direction == CLIENT_TO_SERVER ? "client-to-server" : "server-to-client";
    }

    @Override
    public String toString() {
        return "connection " + connection + ' ' + directionName(direction);
    }
}
