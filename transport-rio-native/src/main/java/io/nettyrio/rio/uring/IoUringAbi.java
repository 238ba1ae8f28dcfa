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

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The io_uring ABI of {@code /usr/include/linux/io_uring.h}: the structs as layouts, their field offsets, the
 * opcodes and flags this provider uses, with their header names. Only the fields the provider touches are named
 * by offset constants; the layouts document the whole struct and their sizes are checked by a unit test.
 */
final class IoUringAbi {
    // io_uring_setup flags
    static final int IORING_SETUP_CQSIZE = 1 << 3;
    static final int IORING_SETUP_CLAMP = 1 << 4;
    static final int IORING_SETUP_R_DISABLED = 1 << 6;
    static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

    // io_uring_params.features this provider needs
    static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;
    static final int IORING_FEAT_NODROP = 1 << 1;
    static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    static final int IORING_FEAT_FAST_POLL = 1 << 5;
    static final int IORING_FEAT_EXT_ARG = 1 << 8;
    static final int REQUIRED_FEATURES = IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE
            | IORING_FEAT_FAST_POLL | IORING_FEAT_EXT_ARG;

    // mmap offsets
    static final long IORING_OFF_SQ_RING = 0L;
    static final long IORING_OFF_SQES = 0x10000000L;

    // sq_ring flags
    static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    static final int IORING_SQ_TASKRUN = 1 << 2;

    // io_uring_enter flags
    static final int IORING_ENTER_GETEVENTS = 1 << 0;
    static final int IORING_ENTER_EXT_ARG = 1 << 3;

    // opcodes (enum io_uring_op)
    static final byte IORING_OP_NOP = 0;
    static final byte IORING_OP_POLL_ADD = 6;
    static final byte IORING_OP_SENDMSG = 9;
    static final byte IORING_OP_ACCEPT = 13;
    static final byte IORING_OP_ASYNC_CANCEL = 14;
    static final byte IORING_OP_CONNECT = 16;
    static final byte IORING_OP_FILES_UPDATE = 20;
    static final byte IORING_OP_READ = 22;
    static final byte IORING_OP_SEND = 26;
    static final byte IORING_OP_RECV = 27;

    // io_uring_register opcodes
    static final int IORING_REGISTER_FILES_UPDATE = 6;
    static final int IORING_REGISTER_ENABLE_RINGS = 12;
    static final int IORING_REGISTER_FILES2 = 13;
    static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
    static final int IORING_REGISTER_PBUF_RING = 22;
    static final int IORING_UNREGISTER_PBUF_RING = 23;

    // struct io_uring_rsrc_register flags
    static final int IORING_RSRC_REGISTER_SPARSE = 1 << 0;

    // sqe flags, the receive flags of ioprio, cqe flags
    static final byte IOSQE_FIXED_FILE = 1 << 0;
    static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    static final short IORING_RECV_MULTISHOT = 1 << 1;
    static final int IORING_CQE_F_BUFFER = 1 << 0;
    static final int IORING_CQE_F_MORE = 1 << 1;
    static final int IORING_CQE_BUFFER_SHIFT = 16;

    // IORING_OP_POLL_ADD flags (sqe->len)
    static final int IORING_POLL_ADD_MULTI = 1 << 0;

    // IORING_OP_ASYNC_CANCEL flags (sqe->cancel_flags)
    static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;
    static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

    /** {@code struct io_sqring_offsets}: 40 bytes. */
    static final StructLayout IO_SQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("flags"), JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("user_addr"))
            .withName("io_sqring_offsets");

    /** {@code struct io_cqring_offsets}: 40 bytes. */
    static final StructLayout IO_CQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("overflow"), JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("user_addr"))
            .withName("io_cqring_offsets");

    /** {@code struct io_uring_params}: 120 bytes. */
    static final StructLayout IO_URING_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"), JAVA_INT.withName("sq_thread_idle"), JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            IO_SQRING_OFFSETS.withName("sq_off"), IO_CQRING_OFFSETS.withName("cq_off"))
            .withName("io_uring_params");

    /** {@code struct io_uring_sqe}: 64 bytes; the unions are named by the member this provider uses. */
    static final StructLayout IO_URING_SQE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"), JAVA_LONG.withName("off"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"), JAVA_INT.withName("op_flags"), JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_index"), JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("file_index"), JAVA_LONG.withName("addr3"), JAVA_LONG.withName("__pad2"))
            .withName("io_uring_sqe");

    /** {@code struct io_uring_cqe}: 16 bytes. */
    static final StructLayout IO_URING_CQE = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"), JAVA_INT.withName("res"), JAVA_INT.withName("flags"))
            .withName("io_uring_cqe");

    /** {@code struct io_uring_getevents_arg}: 24 bytes. */
    static final StructLayout IO_URING_GETEVENTS_ARG = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"), JAVA_INT.withName("sigmask_sz"), JAVA_INT.withName("pad"),
            JAVA_LONG.withName("ts")).withName("io_uring_getevents_arg");

    /** {@code struct __kernel_timespec}: 16 bytes. */
    static final StructLayout KERNEL_TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec")).withName("__kernel_timespec");

    /** {@code struct io_uring_buf}: one entry of a provided-buffer ring, 16 bytes. */
    static final StructLayout IO_URING_BUF = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"), JAVA_INT.withName("len"), JAVA_SHORT.withName("bid"),
            JAVA_SHORT.withName("resv")).withName("io_uring_buf");

    /** {@code struct io_uring_buf_reg}: the argument of IORING_(UN)REGISTER_PBUF_RING, 40 bytes. */
    static final StructLayout IO_URING_BUF_REG = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"), JAVA_INT.withName("ring_entries"), JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("flags"), MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv"))
            .withName("io_uring_buf_reg");

    /** {@code struct io_uring_rsrc_register}: the argument of IORING_REGISTER_FILES2, 32 bytes. */
    static final StructLayout IO_URING_RSRC_REGISTER = MemoryLayout.structLayout(
            JAVA_INT.withName("nr"), JAVA_INT.withName("flags"), JAVA_LONG.withName("resv2"),
            JAVA_LONG.withName("data"), JAVA_LONG.withName("tags")).withName("io_uring_rsrc_register");

    /** {@code struct io_uring_files_update}: the argument of IORING_REGISTER_FILES_UPDATE, 16 bytes. */
    static final StructLayout IO_URING_FILES_UPDATE = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"), JAVA_INT.withName("resv"), JAVA_LONG.withName("fds"))
            .withName("io_uring_files_update");

    static final long SQE_SIZE = IO_URING_SQE.byteSize();
    static final long CQE_SIZE = IO_URING_CQE.byteSize();

    // io_uring_params offsets
    static final long PARAMS_sq_entries = IO_URING_PARAMS.byteOffset(groupElement("sq_entries"));
    static final long PARAMS_cq_entries = IO_URING_PARAMS.byteOffset(groupElement("cq_entries"));
    static final long PARAMS_flags = IO_URING_PARAMS.byteOffset(groupElement("flags"));
    static final long PARAMS_features = IO_URING_PARAMS.byteOffset(groupElement("features"));
    static final long PARAMS_sq_off = IO_URING_PARAMS.byteOffset(groupElement("sq_off"));
    static final long PARAMS_cq_off = IO_URING_PARAMS.byteOffset(groupElement("cq_off"));
    static final long SQOFF_head = IO_SQRING_OFFSETS.byteOffset(groupElement("head"));
    static final long SQOFF_tail = IO_SQRING_OFFSETS.byteOffset(groupElement("tail"));
    static final long SQOFF_ring_mask = IO_SQRING_OFFSETS.byteOffset(groupElement("ring_mask"));
    static final long SQOFF_ring_entries = IO_SQRING_OFFSETS.byteOffset(groupElement("ring_entries"));
    static final long SQOFF_flags = IO_SQRING_OFFSETS.byteOffset(groupElement("flags"));
    static final long SQOFF_array = IO_SQRING_OFFSETS.byteOffset(groupElement("array"));
    static final long CQOFF_head = IO_CQRING_OFFSETS.byteOffset(groupElement("head"));
    static final long CQOFF_tail = IO_CQRING_OFFSETS.byteOffset(groupElement("tail"));
    static final long CQOFF_ring_mask = IO_CQRING_OFFSETS.byteOffset(groupElement("ring_mask"));
    static final long CQOFF_ring_entries = IO_CQRING_OFFSETS.byteOffset(groupElement("ring_entries"));
    static final long CQOFF_cqes = IO_CQRING_OFFSETS.byteOffset(groupElement("cqes"));

    // io_uring_sqe offsets
    static final long SQE_opcode = IO_URING_SQE.byteOffset(groupElement("opcode"));
    static final long SQE_fd = IO_URING_SQE.byteOffset(groupElement("fd"));
    static final long SQE_off = IO_URING_SQE.byteOffset(groupElement("off"));
    static final long SQE_addr = IO_URING_SQE.byteOffset(groupElement("addr"));
    static final long SQE_len = IO_URING_SQE.byteOffset(groupElement("len"));
    static final long SQE_flags = IO_URING_SQE.byteOffset(groupElement("flags"));
    static final long SQE_ioprio = IO_URING_SQE.byteOffset(groupElement("ioprio"));
    static final long SQE_op_flags = IO_URING_SQE.byteOffset(groupElement("op_flags"));
    /** {@code buf_group}: the {@code __u16} of the union at {@code buf_index}, for IOSQE_BUFFER_SELECT. */
    static final long SQE_buf_group = IO_URING_SQE.byteOffset(groupElement("buf_index"));
    static final long SQE_user_data = IO_URING_SQE.byteOffset(groupElement("user_data"));
    /**
     * {@code addr_len}: the {@code __u16} member of the union at {@code file_index}, the destination's length of an
     * IORING_OP_SEND whose {@code addr2} (the union at {@code off}) names a sockaddr (io_uring_prep_sendto(3)).
     */
    static final long SQE_addr_len = IO_URING_SQE.byteOffset(groupElement("file_index"));

    // io_uring_buf and io_uring_buf_reg offsets
    static final long BUF_SIZE = IO_URING_BUF.byteSize();
    static final long BUF_addr = IO_URING_BUF.byteOffset(groupElement("addr"));
    static final long BUF_len = IO_URING_BUF.byteOffset(groupElement("len"));
    static final long BUF_bid = IO_URING_BUF.byteOffset(groupElement("bid"));
    /** The ring's tail: the {@code resv} of its first entry (the union in {@code struct io_uring_buf_ring}). */
    static final long BUF_RING_tail = IO_URING_BUF.byteOffset(groupElement("resv"));
    static final long BUF_REG_ring_addr = IO_URING_BUF_REG.byteOffset(groupElement("ring_addr"));
    static final long BUF_REG_ring_entries = IO_URING_BUF_REG.byteOffset(groupElement("ring_entries"));
    static final long BUF_REG_bgid = IO_URING_BUF_REG.byteOffset(groupElement("bgid"));

    // io_uring_rsrc_register and io_uring_files_update offsets
    static final long RSRC_REGISTER_nr = IO_URING_RSRC_REGISTER.byteOffset(groupElement("nr"));
    static final long RSRC_REGISTER_flags = IO_URING_RSRC_REGISTER.byteOffset(groupElement("flags"));
    static final long FILES_UPDATE_offset = IO_URING_FILES_UPDATE.byteOffset(groupElement("offset"));
    static final long FILES_UPDATE_fds = IO_URING_FILES_UPDATE.byteOffset(groupElement("fds"));

    // io_uring_cqe offsets
    static final long CQE_user_data = IO_URING_CQE.byteOffset(groupElement("user_data"));
    static final long CQE_res = IO_URING_CQE.byteOffset(groupElement("res"));
    static final long CQE_flags = IO_URING_CQE.byteOffset(groupElement("flags"));

    // io_uring_getevents_arg / __kernel_timespec offsets
    static final long GETEVENTS_ts = IO_URING_GETEVENTS_ARG.byteOffset(groupElement("ts"));
    static final long TS_tv_sec = KERNEL_TIMESPEC.byteOffset(groupElement("tv_sec"));
    static final long TS_tv_nsec = KERNEL_TIMESPEC.byteOffset(groupElement("tv_nsec"));

    private IoUringAbi() {
    }
}
