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
package io.nettyrio.testsuite.frameworks;

import io.netty.channel.Channel;
import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.integration.vertx.RioTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioConnections;
import static io.nettyrio.testsuite.frameworks.RioChannels.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x 5's HTTP server and client on {@link RioTransport}: a GET, and 200 concurrent 1 MiB echoes on 200
 * connections, each compared by hash. Vert.x runs on NIO, silently, when a transport is unavailable, so the test
 * first asserts the transport Vert.x actually uses and its event loop groups, and then the class and event loop of
 * every connection either side opened.
 */
@Timeout(120)
class VertxRioTest {
    private static final long WAIT_SECONDS = 60;

    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;
    private final Set<Channel> serverConnections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> clientConnections = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(2))
                .withTransport(new RioTransport())
                .build();
        VertxInternal internal = (VertxInternal) vertx;
        // No silent fallback: on NIO these fail, with the reason Vert.x kept.
        assertInstanceOf(RioTransport.class, internal.transport(),
                () -> "Vert.x is not on RIO: " + vertx.unavailableNativeTransportCause());
        assertTrue(vertx.isNativeTransportEnabled());
        assertNull(vertx.unavailableNativeTransportCause());
        assertInstanceOf(RioEventLoopGroup.class, internal.nettyEventLoopGroup());
        assertInstanceOf(RioEventLoopGroup.class, internal.acceptorEventLoopGroup());

        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    serverConnections.add(((ConnectionBase) request.connection()).channel());
                    if (request.method() == HttpMethod.GET) {
                        request.response().end("Hello, RIO");
                    } else {
                        request.body().onSuccess(body -> request.response().end(body))
                                .onFailure(t -> request.response().setStatusCode(500).end());
                    }
                });
        server.listen(0, "127.0.0.1").await(WAIT_SECONDS, TimeUnit.SECONDS);
        client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()))
                .with(new PoolOptions().setHttp1MaxSize(200))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void get() throws Exception {
        String body = client.request(HttpMethod.GET, "/hello")
                .compose(request -> request.send())
                .compose(response -> {
                    clientConnections.add(((ConnectionBase) response.request().connection()).channel());
                    return response.body().map(b -> response.statusCode() + " " + b);
                })
                .await(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("200 Hello, RIO", body);
        assertRioConnections("server side", serverConnections);
        assertRioConnections("client side", clientConnections);
    }

    @Test
    void twoHundredConcurrentEchoesOfOneMebibyte() throws Exception {
        int echoes = 200;
        List<Future<Boolean>> results = new ArrayList<>(echoes);
        for (int i = 0; i < echoes; i++) {
            byte[] sent = new byte[1024 * 1024];
            new SplittableRandom(i).nextBytes(sent);
            String expected = sha256(sent);
            results.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/echo/" + i))
                    .compose(request -> request.send(Buffer.buffer(sent)))
                    .compose(response -> {
                        clientConnections.add(((ConnectionBase) response.request().connection()).channel());
                        return response.body();
                    })
                    .map(body -> body.length() == sent.length && expected.equals(sha256(body.getBytes()))));
        }
        Future.all(results).await(WAIT_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < echoes; i++) {
            assertTrue(results.get(i).result(), "echo " + i + " came back different");
        }
        assertEquals(echoes, serverConnections.size(), "each echo on its own connection");
        assertRioConnections("server side", serverConnections);
        assertRioConnections("client side", clientConnections);
    }

    @Test
    void datagramSocketsAreRio() {
        // Vert.x's UDP takes its channel from the transport too.
        assertInstanceOf(io.nettyrio.channel.RioDatagramChannel.class,
                ((VertxInternal) vertx).transport().datagramChannel());
        assertSame(RioTransport.class, ((VertxInternal) vertx).transport().getClass());
    }
}
