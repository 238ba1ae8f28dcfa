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
import io.nettyrio.integration.reactor.RioLoopResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioConnections;
import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioServer;
import static io.nettyrio.testsuite.frameworks.RioChannels.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * reactor-netty's HTTP server and client, both on {@link RioLoopResources}: a GET, a 1 MiB POST echoed back and
 * compared by hash, and 200 concurrent requests on 200 connections, each answered with its own number. Every
 * connection either side opened must be a RIO channel on a RIO event loop.
 */
@Timeout(60)
class ReactorNettyRioTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RioLoopResources loops;
    private ConnectionProvider pool;
    private DisposableServer server;
    private HttpClient client;
    private final Set<Channel> serverConnections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> clientConnections = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        // Fails (UnsatisfiedLinkError) when RIO is unavailable: this test never runs on another transport.
        loops = RioLoopResources.create("rn-test", 2, true);
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .doOnConnection(connection -> serverConnections.add(connection.channel()))
                .route(routes -> routes
                        .get("/hello", (request, response) -> response.sendString(Mono.just("Hello, RIO")))
                        .get("/n/{n}", (request, response) -> response.sendString(Mono.just("n=" + request.param("n"))))
                        .post("/echo", (request, response) -> response.send(request.receive().retain())))
                .bindNow(WAIT);
        pool = ConnectionProvider.builder("rn-test").maxConnections(200).pendingAcquireMaxCount(1000).build();
        client = HttpClient.create(pool)
                .runOn(loops)
                .host("127.0.0.1")
                .port(server.port())
                .doOnConnected(connection -> clientConnections.add(connection.channel()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow(WAIT);
        }
        if (pool != null) {
            pool.disposeLater().block(WAIT);
        }
        if (loops != null) {
            loops.disposeLater(Duration.ZERO, WAIT).block(WAIT);
        }
    }

    @Test
    void getOnRio() {
        String body = client.get().uri("/hello")
                .responseSingle((response, content) -> content.asString()
                        .map(text -> response.status().code() + " " + text))
                .block(WAIT);
        assertEquals("200 Hello, RIO", body);
        assertRioServer("server", server.channel());
        assertRioConnections("server side", serverConnections);
        assertRioConnections("client side", clientConnections);
    }

    @Test
    void postEchoOfOneMebibyte() {
        byte[] sent = new byte[1024 * 1024];
        new SplittableRandom(14).nextBytes(sent);
        byte[] received = client.post().uri("/echo")
                .send(ByteBufFlux.fromInbound(Mono.just(sent)))
                .responseSingle((response, content) -> content.asByteArray())
                .block(WAIT);
        assertEquals(sent.length, received.length);
        assertEquals(sha256(sent), sha256(received));
        assertRioConnections("server side", serverConnections);
        assertRioConnections("client side", clientConnections);
    }

    @Test
    void twoHundredConcurrentRequests() {
        int requests = 200;
        List<String> answers = Flux.range(0, requests)
                .flatMap(n -> client.get().uri("/n/" + n).responseContent().aggregate().asString(), requests)
                .collectList()
                .block(WAIT);
        Set<String> expected = new TreeSet<>();
        for (int n = 0; n < requests; n++) {
            expected.add("n=" + n);
        }
        assertEquals(expected, new TreeSet<>(answers));
        assertEquals(requests, answers.size());
        assertRioConnections("server side", serverConnections);
        assertRioConnections("client side", clientConnections);
    }

    @Test
    void domainSocketsAreRefusedNotFallenBackFrom() {
        // The resources answer only for the channel kinds RIO has; anything else is a clear error.
        assertThrows(IllegalArgumentException.class, () -> loops.onChannel(
                io.netty.channel.unix.DomainSocketChannel.class, loops.onServer(true)));
    }
}
