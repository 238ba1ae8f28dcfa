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
package io.nettyrio.examples.frameworks.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A gRPC service written by hand, with no protoc code generation: a {@link MethodDescriptor} per method with a
 * byte-array marshaller. {@link #ECHO} answers a request with itself; {@link #STREAM} answers a
 * {@link #streamRequest(int, int) request for count messages of size bytes} with those messages, each
 * {@link #message(int, int) stamped with its index} so that a lost, reordered or mixed message shows.
 */
public final class EchoService {
    /** The service name. */
    public static final String SERVICE = "nettyrio.Echo";

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Unary: the answer is the request. */
    public static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    /** Server streaming: the request is {@link #streamRequest(int, int)}, the answers {@link #message(int, int)}. */
    public static final MethodDescriptor<byte[], byte[]> STREAM = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Stream"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private EchoService() {
    }

    /** Returns the service's definition, to add to a server builder. */
    public static ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, observer) -> {
                    observer.onNext(request);
                    observer.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, observer) -> {
                    ByteBuffer in = ByteBuffer.wrap(request);
                    int count = in.getInt();
                    int size = in.getInt();
                    for (int i = 0; i < count; i++) {
                        observer.onNext(message(i, size));
                    }
                    observer.onCompleted();
                }))
                .build();
    }

    /** Returns the request of {@link #STREAM} for {@code count} messages of {@code size} bytes (at least 4). */
    public static byte[] streamRequest(int count, int size) {
        if (count < 0 || size < 4) {
            throw new IllegalArgumentException("count " + count + ", size " + size + ": need count >= 0, size >= 4");
        }
        return ByteBuffer.allocate(8).putInt(count).putInt(size).array();
    }

    /** Returns message {@code index} of a stream: the index, then {@code size - 4} bytes that depend on it. */
    public static byte[] message(int index, int size) {
        byte[] message = new byte[size];
        ByteBuffer.wrap(message).putInt(index);
        Arrays.fill(message, 4, size, (byte) (index * 31 + 7));
        return message;
    }
}
