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
package io.nettyrio.examples.frameworks.spring;

import io.nettyrio.integration.reactor.RioLoopResources;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A Spring Boot 4 WebFlux application on the RIO transport. The one RIO-specific line is the
 * {@link ReactorResourceFactory} bean with {@link RioLoopResources}: Spring Boot hands that factory both to the
 * Reactor Netty web server and to the auto-configured {@link WebClient.Builder}, so the server and every
 * {@link WebClient} built from it run on RIO event loops with RIO channels.
 *
 * <p>Routes: {@code GET /hello}; {@code POST /echo} (the body back); {@code GET /relay}, which calls this
 * application's own {@code /hello} through a {@link WebClient} and answers with what it got. Run it with
 * {@code -Dexec.mainClass=io.nettyrio.examples.frameworks.spring.RioWebFluxApplication} (port 8080, or
 * {@code --server.port=...}); {@code curl http://127.0.0.1:8080/relay} answers
 * {@code relayed: Hello from WebFlux on RIO}.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class RioWebFluxApplication {

    /** What {@code GET /hello} answers. */
    public static final String HELLO = "Hello from WebFlux on RIO";

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(RioWebFluxApplication.class, args);
    }

    /**
     * The Reactor Netty resources of the server and of the auto-configured WebClient: RIO event loops. Spring
     * creates them when the context starts and disposes of them when it closes (the supplier makes them
     * Spring-managed; global resources off, so Reactor Netty's own NIO or epoll loops are never created).
     */
    @Bean
    public ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> RioLoopResources.create("webflux"));
        return factory;
    }

    /** The routes. */
    @Bean
    public RouterFunction<ServerResponse> routes(WebClient.Builder webClients) {
        WebClient client = webClients.build();
        return RouterFunctions.route()
                .GET("/hello", request -> ServerResponse.ok().bodyValue(HELLO))
                .POST("/echo", request -> ServerResponse.ok().body(request.bodyToFlux(DataBuffer.class),
                        DataBuffer.class))
                .GET("/relay", request -> client.get()
                        .uri("http://127.0.0.1:" + request.uri().getPort() + "/hello")
                        .retrieve()
                        .bodyToMono(String.class)
                        .flatMap(body -> ServerResponse.ok().bodyValue("relayed: " + body)))
                .build();
    }
}
