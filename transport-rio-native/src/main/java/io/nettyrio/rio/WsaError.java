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
 * The Winsock and Win32 error codes the RIO model reports, with their names from {@code winerror.h}
 * ("Windows Sockets Error Codes" on Microsoft Learn). Every provider reports errors in this one vocabulary: the Linux
 * provider translates errno values into these codes.
 */
public final class WsaError {
    /** No error. */
    public static final int NO_ERROR = 0;
    /** {@code ERROR_NETNAME_DELETED}: the connection was reset or aborted while I/O was pending. */
    public static final int ERROR_NETNAME_DELETED = 64;
    /** {@code WAIT_TIMEOUT}. */
    public static final int WAIT_TIMEOUT = 258;
    /** {@code ERROR_ABANDONED_WAIT_0}: the completion port was closed during a wait. */
    public static final int ERROR_ABANDONED_WAIT_0 = 735;
    /** {@code WSA_OPERATION_ABORTED} (= {@code ERROR_OPERATION_ABORTED}). */
    public static final int WSA_OPERATION_ABORTED = 995;
    /** {@code WSA_IO_PENDING} (= {@code ERROR_IO_PENDING}). */
    public static final int WSA_IO_PENDING = 997;
    /** {@code WSAEINTR}. */
    public static final int WSAEINTR = 10004;
    /** {@code WSAEBADF}. */
    public static final int WSAEBADF = 10009;
    /** {@code WSAEACCES}. */
    public static final int WSAEACCES = 10013;
    /** {@code WSAEFAULT}: an invalid pointer, or a deregistered buffer. */
    public static final int WSAEFAULT = 10014;
    /** {@code WSAEINVAL}: an invalid argument. */
    public static final int WSAEINVAL = 10022;
    /** {@code WSAEMFILE}: too many open sockets. */
    public static final int WSAEMFILE = 10024;
    /** {@code WSAEWOULDBLOCK}. */
    public static final int WSAEWOULDBLOCK = 10035;
    /** {@code WSAEINPROGRESS}. */
    public static final int WSAEINPROGRESS = 10036;
    /** {@code WSAEALREADY}: for RIONotify, a previous notification has not completed yet. */
    public static final int WSAEALREADY = 10037;
    /** {@code WSAENOTSOCK}. */
    public static final int WSAENOTSOCK = 10038;
    /** {@code WSAEDESTADDRREQ}. */
    public static final int WSAEDESTADDRREQ = 10039;
    /** {@code WSAEMSGSIZE}. */
    public static final int WSAEMSGSIZE = 10040;
    /** {@code WSAEPROTOTYPE}. */
    public static final int WSAEPROTOTYPE = 10041;
    /** {@code WSAENOPROTOOPT}. */
    public static final int WSAENOPROTOOPT = 10042;
    /** {@code WSAEPROTONOSUPPORT}. */
    public static final int WSAEPROTONOSUPPORT = 10043;
    /** {@code WSAEOPNOTSUPP}. */
    public static final int WSAEOPNOTSUPP = 10045;
    /** {@code WSAEAFNOSUPPORT}. */
    public static final int WSAEAFNOSUPPORT = 10047;
    /** {@code WSAEADDRINUSE}. */
    public static final int WSAEADDRINUSE = 10048;
    /** {@code WSAEADDRNOTAVAIL}. */
    public static final int WSAEADDRNOTAVAIL = 10049;
    /** {@code WSAENETDOWN}. */
    public static final int WSAENETDOWN = 10050;
    /** {@code WSAENETUNREACH}. */
    public static final int WSAENETUNREACH = 10051;
    /** {@code WSAENETRESET}. */
    public static final int WSAENETRESET = 10052;
    /** {@code WSAECONNABORTED}. */
    public static final int WSAECONNABORTED = 10053;
    /** {@code WSAECONNRESET}. */
    public static final int WSAECONNRESET = 10054;
    /** {@code WSAENOBUFS}: no buffer space, a full queue, or outstanding capacity exceeded. */
    public static final int WSAENOBUFS = 10055;
    /** {@code WSAEISCONN}. */
    public static final int WSAEISCONN = 10056;
    /** {@code WSAENOTCONN}. */
    public static final int WSAENOTCONN = 10057;
    /** {@code WSAESHUTDOWN}. */
    public static final int WSAESHUTDOWN = 10058;
    /** {@code WSAETOOMANYREFS}: a queue cannot shrink yet. */
    public static final int WSAETOOMANYREFS = 10059;
    /** {@code WSAETIMEDOUT}. */
    public static final int WSAETIMEDOUT = 10060;
    /** {@code WSAECONNREFUSED}. */
    public static final int WSAECONNREFUSED = 10061;
    /** {@code WSAEHOSTUNREACH}. */
    public static final int WSAEHOSTUNREACH = 10065;
    /** {@code WSANOTINITIALISED}. */
    public static final int WSANOTINITIALISED = 10093;

    private WsaError() {
    }

    /**
     * Returns the name of a code, as {@code winerror.h} spells it, or {@code "WSA error N"} for one this class
     * does not know.
     */
    public static String name(int code) {
        return switch (code) {
            case NO_ERROR -> "NO_ERROR";
            case ERROR_NETNAME_DELETED -> "ERROR_NETNAME_DELETED";
            case WAIT_TIMEOUT -> "WAIT_TIMEOUT";
            case ERROR_ABANDONED_WAIT_0 -> "ERROR_ABANDONED_WAIT_0";
            case WSA_OPERATION_ABORTED -> "WSA_OPERATION_ABORTED";
            case WSA_IO_PENDING -> "WSA_IO_PENDING";
            case WSAEINTR -> "WSAEINTR";
            case WSAEBADF -> "WSAEBADF";
            case WSAEACCES -> "WSAEACCES";
            case WSAEFAULT -> "WSAEFAULT";
            case WSAEINVAL -> "WSAEINVAL";
            case WSAEMFILE -> "WSAEMFILE";
            case WSAEWOULDBLOCK -> "WSAEWOULDBLOCK";
            case WSAEINPROGRESS -> "WSAEINPROGRESS";
            case WSAEALREADY -> "WSAEALREADY";
            case WSAENOTSOCK -> "WSAENOTSOCK";
            case WSAEDESTADDRREQ -> "WSAEDESTADDRREQ";
            case WSAEMSGSIZE -> "WSAEMSGSIZE";
            case WSAEPROTOTYPE -> "WSAEPROTOTYPE";
            case WSAENOPROTOOPT -> "WSAENOPROTOOPT";
            case WSAEPROTONOSUPPORT -> "WSAEPROTONOSUPPORT";
            case WSAEOPNOTSUPP -> "WSAEOPNOTSUPP";
            case WSAEAFNOSUPPORT -> "WSAEAFNOSUPPORT";
            case WSAEADDRINUSE -> "WSAEADDRINUSE";
            case WSAEADDRNOTAVAIL -> "WSAEADDRNOTAVAIL";
            case WSAENETDOWN -> "WSAENETDOWN";
            case WSAENETUNREACH -> "WSAENETUNREACH";
            case WSAENETRESET -> "WSAENETRESET";
            case WSAECONNABORTED -> "WSAECONNABORTED";
            case WSAECONNRESET -> "WSAECONNRESET";
            case WSAENOBUFS -> "WSAENOBUFS";
            case WSAEISCONN -> "WSAEISCONN";
            case WSAENOTCONN -> "WSAENOTCONN";
            case WSAESHUTDOWN -> "WSAESHUTDOWN";
            case WSAETOOMANYREFS -> "WSAETOOMANYREFS";
            case WSAETIMEDOUT -> "WSAETIMEDOUT";
            case WSAECONNREFUSED -> "WSAECONNREFUSED";
            case WSAEHOSTUNREACH -> "WSAEHOSTUNREACH";
            case WSANOTINITIALISED -> "WSANOTINITIALISED";
            default -> "WSA error " + code;
        };
    }
}
