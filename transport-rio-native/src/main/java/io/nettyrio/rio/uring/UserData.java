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

/**
 * The encoding of an SQE's {@code user_data}, which its CQE hands back: the top four bits say what the request
 * was, the rest find its owner without a lookup that allocates. For the requests of a RIO request queue the
 * owner is the queue's slot in the provider's table (32 bits) and, for a single request, its slot in the queue
 * (24 bits); a request queue's table slot is only reused once all its requests have produced their CQEs.
 */
final class UserData {
    /** A receive of one RIO request ({@code RIOReceive}/{@code RIOReceiveEx}). */
    static final int RECEIVE = 1;
    /** A UDP send of one RIO request. */
    static final int SEND = 2;
    /** The one SENDMSG that gathers the committed TCP sends of a request queue. */
    static final int SEND_BATCH = 3;
    /** The READ of a port's eventfd, through which {@code Port.post} wakes the port. */
    static final int EVENTFD = 4;
    /** An accept or a connect completing on a port. */
    static final int PORT_OP = 5;
    /** An IORING_OP_ASYNC_CANCEL; its own CQE carries nothing the provider needs. */
    static final int CANCEL = 6;
    /** The IORING_OP_POLL_ADD on a ring's epoll fd, through which TCP sends wait for room ({@link WritableWait}). */
    static final int WRITABLE = 7;
    /** The IORING_OP_FILES_UPDATE that empties a closed socket's slot of a ring's registered files (slot: the slot). */
    static final int FILES_UPDATE = 8;

    private UserData() {
    }

    static long of(int type, int owner, int slot) {
        return ((long) type << 60) | ((owner & 0xffffffffL) << 24) | (slot & 0xffffff);
    }

    static int type(long userData) {
        return (int) (userData >>> 60);
    }

    static int owner(long userData) {
        return (int) (userData >>> 24);
    }

    static int slot(long userData) {
        return (int) (userData & 0xffffff);
    }
}
