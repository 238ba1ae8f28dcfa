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

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.nettyrio.buffer.RioByteBufAllocator;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.channel.RioServerSocketChannel;
import io.nettyrio.channel.RioSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java on the RIO transport, with no glue: the RIO channel classes and event loop groups on gRPC's Netty
 * builders, and the RIO allocator as a channel option (gRPC sets its own pooled allocator, whose memory is not
 * registered; options given by the user are applied after gRPC's). Starts the hand-written {@link EchoService} on
 * 127.0.0.1 (a free port, or the first argument), makes a unary call and a server-streaming call of 1,000
 * messages, prints what came back and exits (status 0 when all of it is right).
 */
public final class GrpcOnRio {

    private GrpcOnRio() {
    }

    /** Runs the demo. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        EventLoopGroup group = new RioEventLoopGroup();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .channelType(RioServerSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .withChildOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator())
                .addService(EchoService.definition())
                .build()
                .start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .channelType(RioSocketChannel.class)
                .eventLoopGroup(group)
                .withOption(ChannelOption.ALLOCATOR, RioByteBufAllocator.defaultAllocator())
                .usePlaintext()
                .build();
        boolean ok = true;
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(channel, EchoService.ECHO,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    "Hello, RIO".getBytes(StandardCharsets.UTF_8));
            System.out.println("Echo -> " + new String(answer, StandardCharsets.UTF_8));
            ok &= "Hello, RIO".equals(new String(answer, StandardCharsets.UTF_8));
            Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), EchoService.streamRequest(1000, 64));
            int received = 0;
            while (stream.hasNext()) {
                ok &= Arrays.equals(EchoService.message(received, 64), stream.next());
                received++;
            }
            System.out.println("Stream -> " + received + " messages, in order: " + ok);
            ok &= received == 1000;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 10, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.exit(ok ? 0 : 1);
    }
}
