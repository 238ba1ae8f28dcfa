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

import io.nettyrio.rio.RioException;

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
            int sendSlot = sendCq.ring == receiveCq.ring ? receiveSlot
                    : provider.registeredFiles ? sendCq.ring.registerFile(socket.fd) : -1;
            s = new RequestSide(this, true, sendCq, maxOutstandingSend, sendSlot);
        } finally {
            sendCq.ring.lock.unlock();
        }
        receive = r;
        send = s;
    }

    /**
     * closesocket: closes both sides ({@link RequestSide#close}) and, on each ring they run on, cancels what they
     * have in the kernel (one IORING_OP_ASYNC_CANCEL of every request on the fd) and empties the socket's slot of the
     * ring's registered files (Ring#releaseFile: neither side prepares an SQE naming it any more), then submits
     * both in one io_uring_enter and reaps what the cancellation completed at once.
     */
    void close() {
        boolean oneRing = send.ring == receive.ring;
        close(receive.ring, receive, oneRing ? send : null);
        if (!oneRing) {
            close(send.ring, send, null);
        }
    }

    private void close(Ring ring, RequestSide side, RequestSide other) {
        ring.lock.lock();
        try {
            boolean inKernel = side.close();
            if (other != null) {
                inKernel |= other.close();
            }
            if (ring.isClosed()) {
                return; // its teardown cancels what it holds and lets go of its registered files
            }
            if (inKernel) {
                ring.prepareCancelAll(socket.fd);
            }
            if (side.fileSlot() >= 0) {
                ring.releaseFile(side.fileSlot());
            }
            if (ring.pending() > 0) {
                ring.submitAndReap();
            }
        } catch (RioException e) {
            // The ring is unusable: its teardown cancels what it holds and lets go of its registered files.
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
