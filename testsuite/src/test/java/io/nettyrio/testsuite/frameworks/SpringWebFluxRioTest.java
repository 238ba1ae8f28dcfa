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
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.nettyrio.examples.frameworks.spring.RioWebFluxApplication;
import io.nettyrio.integration.reactor.RioLoopResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioConnections;
import static io.nettyrio.testsuite.frameworks.RioChannels.assertRioLoop;
import static io.nettyrio.testsuite.frameworks.RioChannels.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Boots the example {@link RioWebFluxApplication} (Spring Boot 4, WebFlux on Reactor Netty) and checks that its one
 * {@code ReactorResourceFactory} bean puts both the server and the auto-configured {@code WebClient} on RIO: every
 * server connection is a RIO channel on a RIO event loop, and every response the WebClient receives is handled on a
 * RIO event loop (a RIO loop takes only RIO channels), for requests from the test and for the application's own
 * server-to-server call.
 */
@Timeout(120)
class SpringWebFluxRioTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final Set<Channel> SERVER_CONNECTIONS = ConcurrentHashMap.newKeySet();
    static final Set<EventExecutor> CLIENT_LOOPS = ConcurrentHashMap.newKeySet();

    private static ConfigurableApplicationContext context;
    private static WebClient client;
    private static String loggingSystem;

    @BeforeAll
    static void boot() {
        // Spring Boot would otherwise take over the JVM's logging configuration (Logback is on the testsuite's class
        // path), and the other test classes of this JVM would log through its settings after this one.
        loggingSystem = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        context = new SpringApplicationBuilder(RioWebFluxApplication.class, Recorders.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
                .run();
        int port = ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
        client = context.getBean(WebClient.Builder.class).baseUrl("http://127.0.0.1:" + port).build();
    }

    @AfterAll
    static void close() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            if (loggingSystem == null) {
                System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
            } else {
                System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystem);
            }
        }
    }

    @Test
    void theResourceFactoryHoldsRioLoops() {
        assertInstanceOf(RioLoopResources.class, context.getBean(ReactorResourceFactory.class).getLoopResources());
    }

    @Test
    void getThroughServerAndWebClient() {
        assertEquals(RioWebFluxApplication.HELLO, client.get().uri("/hello").retrieve().bodyToMono(String.class)
                .block(WAIT));
        assertOnRio();
    }

    @Test
    void serverToServerCallThroughTheAutoConfiguredWebClient() {
        CLIENT_LOOPS.clear();
        assertEquals("relayed: " + RioWebFluxApplication.HELLO,
                client.get().uri("/relay").retrieve().bodyToMono(String.class).block(WAIT));
        assertOnRio();
    }

    @Test
    void postEchoOfOneMebibyte() {
        byte[] sent = new byte[1024 * 1024];
        new SplittableRandom(4).nextBytes(sent);
        byte[] received = client.post().uri("/echo").bodyValue(sent).retrieve()
                .bodyToFlux(DataBuffer.class)
                .as(DataBufferUtils::join)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .block(WAIT);
        assertEquals(sha256(sent), sha256(received));
        assertOnRio();
    }

    private static void assertOnRio() {
        assertRioConnections("WebFlux server", SERVER_CONNECTIONS);
        assertFalse(CLIENT_LOOPS.isEmpty(), "no WebClient response was seen");
        for (EventExecutor loop : CLIENT_LOOPS) {
            assertRioLoop("WebClient", (EventLoop) loop);
        }
    }

    /** Test-only beans: they record the server's connections and the event loops of the WebClient's responses. */
    @Configuration(proxyBeanMethods = false)
    static class Recorders {
        @Bean
        NettyServerCustomizer recordConnections() {
            return server -> server.doOnConnection(connection -> SERVER_CONNECTIONS.add(connection.channel()));
        }

        @Bean
        WebClientCustomizer recordClientLoops() {
            // The response processor runs where Reactor Netty delivers the response: the connection's event loop.
            return builder -> builder.filter(ExchangeFilterFunction.ofResponseProcessor(response -> {
                EventExecutor loop = ThreadExecutorMap.currentExecutor();
                if (loop == null) {
                    return Mono.error(new AssertionError("a WebClient response off any event loop, on "
                            + Thread.currentThread()));
                }
                CLIENT_LOOPS.add(loop);
                return Mono.just(response);
            }));
        }
    }
}
