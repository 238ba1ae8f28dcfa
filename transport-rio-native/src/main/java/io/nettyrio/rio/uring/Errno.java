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
import io.nettyrio.rio.WsaError;

/**
 * Linux {@code errno} values ({@code asm-generic/errno-base.h}, {@code asm-generic/errno.h}) and the one table
 * that translates them into the Winsock codes of {@link WsaError}, so that the layers above the provider see one
 * vocabulary on both operating systems. A CQE's negative {@code res} is a negated errno and goes through the same
 * table.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int ENOTSOCK = 88;
    static final int EDESTADDRREQ = 89;
    static final int EMSGSIZE = 90;
    static final int EPROTOTYPE = 91;
    static final int ENOPROTOOPT = 92;
    static final int EPROTONOSUPPORT = 93;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;
    static final int ENETRESET = 102;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOBUFS = 105;
    static final int EISCONN = 106;
    static final int ENOTCONN = 107;
    static final int ESHUTDOWN = 108;
    static final int ETOOMANYREFS = 109;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;
    static final int EALREADY = 114;
    static final int EINPROGRESS = 115;
    static final int ECANCELED = 125;

    private Errno() {
    }

    /**
     * Translates an errno into a Winsock code. EPIPE (a send after the peer reset or after our own
     * {@code shutdown(SD_SEND)}) becomes WSAECONNRESET, what Windows reports for a send on a reset connection;
     * ECANCELED (an io_uring request cancelled because its socket was closed) becomes WSA_OPERATION_ABORTED;
     * EBADF becomes WSAENOTSOCK. An errno this table does not know becomes WSAEINVAL.
     */
    static int toWsa(int errno) {
        return switch (errno) {
            case 0 -> WsaError.NO_ERROR;
            case ECONNRESET, EPIPE -> WsaError.WSAECONNRESET;
            case ECONNREFUSED -> WsaError.WSAECONNREFUSED;
            case ECONNABORTED -> WsaError.WSAECONNABORTED;
            case ECANCELED -> WsaError.WSA_OPERATION_ABORTED;
            case EBADF, ENOTSOCK -> WsaError.WSAENOTSOCK;
            case EINVAL -> WsaError.WSAEINVAL;
            case EFAULT -> WsaError.WSAEFAULT;
            case ENOBUFS, ENOMEM -> WsaError.WSAENOBUFS;
            case EADDRINUSE -> WsaError.WSAEADDRINUSE;
            case EADDRNOTAVAIL -> WsaError.WSAEADDRNOTAVAIL;
            case ENETUNREACH -> WsaError.WSAENETUNREACH;
            case EHOSTUNREACH, EHOSTDOWN -> WsaError.WSAEHOSTUNREACH;
            case ENETDOWN -> WsaError.WSAENETDOWN;
            case ENETRESET -> WsaError.WSAENETRESET;
            case ETIMEDOUT, ETIME -> WsaError.WSAETIMEDOUT;
            case ENOTCONN -> WsaError.WSAENOTCONN;
            case EISCONN -> WsaError.WSAEISCONN;
            case ESHUTDOWN -> WsaError.WSAESHUTDOWN;
            case EMSGSIZE -> WsaError.WSAEMSGSIZE;
            case EAFNOSUPPORT -> WsaError.WSAEAFNOSUPPORT;
            case EPROTONOSUPPORT -> WsaError.WSAEPROTONOSUPPORT;
            case EPROTOTYPE -> WsaError.WSAEPROTOTYPE;
            case ENOPROTOOPT -> WsaError.WSAENOPROTOOPT;
            case EOPNOTSUPP -> WsaError.WSAEOPNOTSUPP;
            case EDESTADDRREQ -> WsaError.WSAEDESTADDRREQ;
            case EACCES, EPERM -> WsaError.WSAEACCES;
            case EMFILE, ENFILE -> WsaError.WSAEMFILE;
            case EAGAIN -> WsaError.WSAEWOULDBLOCK;
            case EINPROGRESS -> WsaError.WSAEINPROGRESS;
            case EALREADY -> WsaError.WSAEALREADY;
            case EINTR -> WsaError.WSAEINTR;
            case ETOOMANYREFS -> WsaError.WSAETOOMANYREFS;
            default -> WsaError.WSAEINVAL;
        };
    }

    /** Returns a RioException for {@code call} failing with {@code errno}, naming the errno too. */
    static RioException exception(String call, int errno) {
        return new RioException(call, toWsa(errno), "errno " + errno);
    }
}
