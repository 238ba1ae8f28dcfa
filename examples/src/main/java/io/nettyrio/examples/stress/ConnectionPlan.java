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

/**
 * What one connection of a stress run carries and whether it is killed: a pure function of the run's seed and the
 * connection id ({@link StressConfig#plan}), so both ends know it once the server has read the client's hello.
 *
 * @param id             the connection id, embedded in every block of its streams
 * @param clientToServer the bytes the client sends (after its 16-byte hello)
 * @param serverToClient the bytes the server sends
 * @param kill           whether and how the connection is killed
 * @param killerIsClient whether the client (else the server) kills it
 * @param killAfter      the killer kills once it has received more than this many bytes of its input
 */
public record ConnectionPlan(int id, long clientToServer, long serverToClient, Kill kill, boolean killerIsClient,
                             long killAfter) {
    /** How a connection is killed. */
    public enum Kill {
        /** Not killed: both directions complete and end with a half-close. */
        NONE,
        /** {@code close()}: the peer sees an early end of stream (or a reset if data was unread). */
        CLOSE,
        /** {@code SO_LINGER} 0 then {@code close()}: the peer sees a reset. */
        RESET
    }

    /** Returns whether the connection is killed. */
    public boolean killed() {
        return kill != Kill.NONE;
    }

    /** Returns the bytes {@code client} (or the server) sends. */
    public long sendBytes(boolean client) {
        return client ? clientToServer : serverToClient;
    }

    /** Returns the bytes {@code client} (or the server) receives. */
    public long receiveBytes(boolean client) {
        return client ? serverToClient : clientToServer;
    }
}
