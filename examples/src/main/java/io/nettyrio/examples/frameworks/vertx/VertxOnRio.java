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
package io.nettyrio.examples.frameworks.vertx;

import io.nettyrio.integration.vertx.RioTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;

import java.util.concurrent.TimeUnit;

/**
 * Vert.x 5 on the RIO transport, through {@link RioTransport}: checks that Vert.x really runs on RIO (Vert.x falls
 * back to NIO, silently, when a transport is unavailable), starts an HTTP server on 127.0.0.1 (a free port, or the
 * first argument), sends it a POST with Vert.x's HTTP client, prints the answer and exits (status 0 when right).
 */
public final class VertxOnRio {

    private VertxOnRio() {
    }

    /** Runs the demo. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Vertx vertx = Vertx.builder().withTransport(new RioTransport()).build();
        boolean ok;
        try {
            if (!(((VertxInternal) vertx).transport() instanceof RioTransport)) {
                throw new IllegalStateException("Vert.x is not on RIO", vertx.unavailableNativeTransportCause());
            }
            System.out.println("Vert.x transport: " + ((VertxInternal) vertx).transport() + ", event loops: "
                    + ((VertxInternal) vertx).nettyEventLoopGroup().getClass().getName());
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> request.response().end(body)))
                    .listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
            String answer = vertx.createHttpClient()
                    .request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/echo")
                    .compose(request -> request.send("echo over RIO"))
                    .compose(response -> response.body())
                    .await(10, TimeUnit.SECONDS)
                    .toString();
            System.out.println("POST /echo -> " + answer);
            ok = "echo over RIO".equals(answer);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.exit(ok ? 0 : 1);
    }
}
