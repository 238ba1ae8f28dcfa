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
package io.nettyrio.examples.frameworks.reactor;

import io.nettyrio.integration.reactor.RioLoopResources;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * reactor-netty's HTTP server and client on the RIO transport, through {@link RioLoopResources}: starts a server
 * on 127.0.0.1 (a free port, or the port given as the first argument), sends it a GET and a POST with its own
 * client, prints the answers and the channel classes, and exits (status 0 when both answers are right).
 */
public final class ReactorNettyOnRio {

    private ReactorNettyOnRio() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        // The one RIO-specific line: the loops (and so the channels) of both the server and the client.
        RioLoopResources rio = RioLoopResources.create("demo");
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .runOn(rio)
                .route(routes -> routes
                        .get("/hello", (request, response) -> response.sendString(Mono.just("Hello, RIO")))
                        .post("/echo", (request, response) -> response.send(request.receive().retain())))
                .bindNow();
        boolean ok;
        try {
            System.out.println("server channel: " + server.channel().getClass().getName() + " on "
                    + server.address());
            HttpClient client = HttpClient.create().runOn(rio).host("127.0.0.1").port(server.port())
                    .doOnConnected(c -> System.out.println("client channel: " + c.channel().getClass().getName()));
            String hello = client.get().uri("/hello").responseContent().aggregate().asString()
                    .block(Duration.ofSeconds(10));
            System.out.println("GET /hello -> " + hello);
            String echoed = client.post().uri("/echo")
                    .send(ByteBufFlux.fromString(Mono.just("echo over RIO")))
                    .responseContent().aggregate().asString(StandardCharsets.UTF_8)
                    .block(Duration.ofSeconds(10));
            System.out.println("POST /echo -> " + echoed);
            ok = "Hello, RIO".equals(hello) && "echo over RIO".equals(echoed);
        } finally {
            server.disposeNow();
            rio.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block();
        }
        System.exit(ok ? 0 : 1);
    }
}
