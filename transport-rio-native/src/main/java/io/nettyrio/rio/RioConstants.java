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
package io.nettyrio.rio;

/**
 * The constants of the RIO API, with their names and values from {@code mswsockdef.h} and {@code MSWSock.h}
 * (the Microsoft Learn pages of the RIO functions, e.g. "RIOSend function (mswsock.h)"; checked against the
 * headers by {@code WindowsHeaderLayoutsTest}, {@code docs/windows.md}). Every provider uses exactly these values.
 */
public final class RioConstants {
    /** The completion of this request does not trigger a {@code RIONotify} notification. */
    public static final int RIO_MSG_DONT_NOTIFY = 0x1;
    /** The request is queued but may not be executed until a later call without this flag, or a commit. */
    public static final int RIO_MSG_DEFER = 0x2;
    /** A receive completes only when its buffer is full, the connection closes, or it fails (TCP only). */
    public static final int RIO_MSG_WAITALL = 0x4;
    /** Submits every deferred request of the queue; must be the only flag, with no data and no context. */
    public static final int RIO_MSG_COMMIT_ONLY = 0x8;

    /** The flags a send accepts. */
    public static final int RIO_SEND_FLAGS = RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER | RIO_MSG_COMMIT_ONLY;
    /** The flags a receive accepts. */
    public static final int RIO_RECEIVE_FLAGS = RIO_MSG_DONT_NOTIFY | RIO_MSG_DEFER | RIO_MSG_WAITALL
            | RIO_MSG_COMMIT_ONLY;

    /**
     * {@code (RIO_BUFFERID)(ULONG_PTR)0xFFFFFFFF}: zero-extended, so the address 0x00000000FFFFFFFF and not -1.
     */
    public static final long RIO_INVALID_BUFFERID = 0xFFFFFFFFL;
    /** {@code RIO_INVALID_CQ}: NULL. */
    public static final long RIO_INVALID_CQ = 0L;
    /** {@code RIO_INVALID_RQ}: NULL. */
    public static final long RIO_INVALID_RQ = 0L;
    /** {@code RIO_CORRUPT_CQ}: the ULONG 0xFFFFFFFF that {@code RIODequeueCompletion} returns, -1 as a Java int. */
    public static final int RIO_CORRUPT_CQ = 0xFFFFFFFF;
    /** {@code RIO_MAX_CQ_SIZE}: the largest completion queue. */
    public static final int RIO_MAX_CQ_SIZE = 0x8000000;

    /** {@code RIO_NOTIFICATION_COMPLETION_TYPE}: notify by setting an event. */
    public static final int RIO_EVENT_COMPLETION = 1;
    /** {@code RIO_NOTIFICATION_COMPLETION_TYPE}: notify by posting to an I/O completion port. */
    public static final int RIO_IOCP_COMPLETION = 2;

    /** Windows {@code AF_INET}. The model always speaks Windows address families. */
    public static final short AF_INET = 2;
    /** Windows {@code AF_INET6} (23, not Linux's 10). */
    public static final short AF_INET6 = 23;

    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;

    /** {@code shutdown} how: {@code SD_RECEIVE}. */
    public static final int SD_RECEIVE = 0;
    /** {@code shutdown} how: {@code SD_SEND}. */
    public static final int SD_SEND = 1;
    /** {@code shutdown} how: {@code SD_BOTH}. */
    public static final int SD_BOTH = 2;

    private RioConstants() {
    }
}
