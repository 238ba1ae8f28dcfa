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
package io.nettyrio.examples.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

/**
 * The built-in {@link ServerKind}s on plain Netty handlers: TCP echo, HTTP/1.1 "Hello, World!" and UDP echo (the
 * reactor-netty HTTP server is {@link ReactorHttpHello}).
 */
final class ServerKinds {
    static final String ECHO = "echo";
    static final String HTTP = "http";
    static final String UDP_ECHO = "udp-echo";
    static final String REACTOR_HTTP = "reactor-http";
    static final String ECHO_FROM_WORKER = "echo-worker";
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private ServerKinds() {
    }

    /** Binds a TCP server whose accepted channels get {@code child}, with TCP_NODELAY as every peer sets it. */
    static Channel bindTcp(ServerTransport transport, EventLoopGroup group, ChannelHandler child)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(child)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Writes back what it reads, flushing once per read batch. */
    static final class TcpEcho implements ServerKind {
        @Override
        public String name() {
            return ECHO;
        }

        @Override
        public boolean datagram() {
            return false;
        }

        @Override
        public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
            return bindTcp(transport, group, new EchoHandler());
        }
    }

    /**
     * TCP echo written back from a worker thread, not from the event loop: each read goes to one worker, whose
     * {@code writeAndFlush} Netty hands to the event loop as a task. So a server answers that does its work off the
     * loop (gRPC-java writes every response through a task of its own write queue).
     */
    static final class TcpEchoFromWorker implements ServerKind {
        @Override
        public String name() {
            return ECHO_FROM_WORKER;
        }

        @Override
        public boolean datagram() {
            return false;
        }

        @Override
        public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
            ExecutorService worker = Executors.newSingleThreadExecutor(
                    new DefaultThreadFactory("bench-server-worker", true));
            Channel listener = bindTcp(transport, group, new WorkerEchoHandler(worker));
            listener.closeFuture().addListener(f -> worker.shutdown());
            return listener;
        }
    }

    /** Hands every read buffer to {@code worker}, which writes it back and flushes. */
    @Sharable
    static final class WorkerEchoHandler extends ChannelInboundHandlerAdapter {
        private final ExecutorService worker;

        WorkerEchoHandler(ExecutorService worker) {
            this.worker = worker;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            worker.execute(() -> ctx.writeAndFlush(msg, ctx.voidPromise()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** HTTP/1.1 plaintext as in TechEmpower's test: {@code HttpServerCodec} and a fixed 13-byte body. */
    static final class HttpHello implements ServerKind {
        @Override
        public String name() {
            return HTTP;
        }

        @Override
        public boolean datagram() {
            return false;
        }

        @Override
        public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
            return bindTcp(transport, group, new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                }
            });
        }
    }

    /** Sends every datagram back to its sender: the received buffer itself (on RIO a registered slot). */
    static final class UdpEcho implements ServerKind {
        @Override
        public String name() {
            return UDP_ECHO;
        }

        @Override
        public boolean datagram() {
            return true;
        }

        @Override
        public Channel bind(ServerTransport transport, EventLoopGroup group) throws InterruptedException {
            return new Bootstrap().group(group).channelFactory(transport::newDatagramChannel)
                    .handler(new DatagramEchoHandler())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }
    }

    /** TCP echo: the read buffer goes back as it is; one flush per read batch. */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One "Hello, World!" response per request, flushed once per read batch (so pipelined requests share it). */
    static final class HelloHandler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest request) {
                FullHttpResponse response = new DefaultFullHttpResponse(HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(HELLO));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.length);
                if (HttpUtil.isKeepAlive(request)) {
                    ctx.write(response, ctx.voidPromise());
                } else {
                    ctx.write(response).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** UDP echo: the received content goes back to the sender (released by the write). */
    static final class DatagramEchoHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        DatagramEchoHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket has no peer to lose: an error of one send must not stop the server, but it is
            // said (the server's log is kept by the benchmark), and the client counts the datagram as lost.
            System.err.println("udp-echo: " + cause);
        }
    }
}
