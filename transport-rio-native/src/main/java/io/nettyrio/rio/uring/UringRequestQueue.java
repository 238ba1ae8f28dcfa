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
package io.nettyrio.rio.uring;

import java.lang.foreign.Arena;

/**
 * A RIO request queue ({@code RIO_RQ}): the socket, its {@code SocketContext}, and its two sides, each running
 * on the ring of the completion queue it completes into. Native memory of its requests (msghdrs, iovecs,
 * sockaddrs) lives in {@link #arena}, freed only when the socket is closed and every request has produced its
 * CQE.
 */
final class UringRequestQueue {
    final IoUringProvider provider;
    final UringSocket socket;
    final long socketContext;
    final Arena arena = Arena.ofShared();
    final RequestSide receive;
    final RequestSide send;
    final int index;
    final long handle;
    volatile boolean valid = true;
    /** The socket's slot of the receive side's ring's registered files, or -1. */
    private final int receiveFileSlot;
    /** The socket's slot of the send side's ring's registered files if that is another ring, or -1. */
    private final int sendFileSlot;
    private boolean released;

    UringRequestQueue(IoUringProvider provider, UringSocket socket, long socketContext, int maxOutstandingReceive,
                      int maxOutstandingSend, UringCompletionQueue receiveCq, UringCompletionQueue sendCq) {
        this.provider = provider;
        this.socket = socket;
        this.socketContext = socketContext;
        this.handle = provider.requestQueues.add(this);
        this.index = HandleTable.index(handle);
        RequestSide r;
        RequestSide s;
        int receiveSlot;
        int sendSlot;
        receiveCq.ring.lock.lock();
        try {
            receiveSlot = provider.registeredFiles ? receiveCq.ring.registerFile(socket.fd) : -1;
            r = new RequestSide(this, false, receiveCq, maxOutstandingReceive, receiveSlot);
        } finally {
            receiveCq.ring.lock.unlock();
        }
        sendCq.ring.lock.lock();
        try {
            // Both sides on one ring (the usual case) share the socket's slot there.
            sendSlot = sendCq.ring == receiveCq.ring ? receiveSlot
                    : provider.registeredFiles ? sendCq.ring.registerFile(socket.fd) : -1;
            s = new RequestSide(this, true, sendCq, maxOutstandingSend, sendSlot);
        } finally {
            sendCq.ring.lock.unlock();
        }
        receive = r;
        send = s;
        receiveFileSlot = receiveSlot;
        sendFileSlot = sendCq.ring == receiveCq.ring ? -1 : sendSlot;
    }

    /**
     * Empties the socket's slots of the rings' registered files (Ring#releaseFile), once closesocket has closed
     * both sides: neither prepares an SQE naming the slot any more, and the rings' tables let go of the socket.
     */
    void releaseFiles() {
        releaseFile(receive.ring, receiveFileSlot);
        releaseFile(send.ring, sendFileSlot);
    }

    private static void releaseFile(Ring ring, int slot) {
        if (slot < 0) {
            return;
        }
        ring.lock.lock();
        try {
            ring.releaseFile(slot);
        } catch (io.nettyrio.rio.RioException e) {
            // The ring is unusable: closing it lets go of its registered files.
        } finally {
            ring.lock.unlock();
        }
    }

    /** The side a CQE of {@code type} belongs to. */
    RequestSide side(int userDataType) {
        return userDataType == UserData.RECEIVE ? receive : send;
    }

    /** Frees the queue's table slot and native memory; the socket has no request in the kernel any more. */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        provider.requestQueues.remove(handle);
        arena.close();
    }
}
