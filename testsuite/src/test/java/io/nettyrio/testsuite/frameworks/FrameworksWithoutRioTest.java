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

import io.nettyrio.channel.RioEventLoopGroup;
import io.nettyrio.integration.reactor.RioLoopResources;
import io.nettyrio.integration.vertx.RioTransport;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where RIO is unavailable, no framework silently runs on another transport: in a fresh JVM whose RIO provider
 * cannot be loaded, {@link RioLoopResources} (reactor-netty, Spring WebFlux) and the RIO event loop groups given to
 * gRPC refuse with {@link UnsatisfiedLinkError}, and Vert.x, which falls back to NIO by design, shows it in the
 * very values {@link VertxRioTest} asserts (the transport in use, {@code isNativeTransportEnabled()}), with RIO's
 * reason as {@code unavailableNativeTransportCause()}. So each framework test fails, not passes on NIO, without RIO.
 */
class FrameworksWithoutRioTest {
    /** A provider class that does not exist: the RIO model cannot load it. */
    private static final String MISSING_PROVIDER = "io.nettyrio.testsuite.frameworks.NoSuchProvider";

    @Test
    void everyFrameworkRefusesOrShowsTheFallback() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-D" + io.nettyrio.rio.Rio.PROVIDER_PROPERTY + "=" + MISSING_PROVIDER,
                "-cp", System.getProperty("java.class.path"), FrameworksWithoutRioTest.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the fresh JVM did not end");
        assertEquals(0, process.exitValue(), () -> "the fresh JVM failed: " + lines);
        for (String check : new String[] {"reactor refused", "grpc refused", "vertx on nio", "vertx not native",
                "vertx keeps the cause", "vertx transport unavailable"}) {
            assertTrue(lines.contains("OK " + check), () -> check + ": " + lines);
        }
    }

    /** What the fresh JVM runs: one line per check, "OK name" or "FAIL name: detail". */
    public static void main(String[] args) throws Exception {
        check("reactor refused", () -> {
            RioLoopResources.create("no-rio");
            return "created";
        });
        check("grpc refused", () -> {
            new RioEventLoopGroup(1).shutdownGracefully();
            return "created";
        });
        RioTransport transport = new RioTransport();
        System.out.println(transport.isAvailable() || transport.unavailabilityCause() == null
                ? "FAIL vertx transport unavailable" : "OK vertx transport unavailable");
        Vertx vertx = Vertx.builder().withTransport(transport).build();
        try {
            var inUse = ((io.vertx.core.internal.VertxInternal) vertx).transport();
            System.out.println(inUse instanceof RioTransport ? "FAIL vertx on nio: " + inUse : "OK vertx on nio");
            System.out.println(vertx.isNativeTransportEnabled() ? "FAIL vertx not native" : "OK vertx not native");
            System.out.println(vertx.unavailableNativeTransportCause() == io.nettyrio.rio.Rio.unavailabilityCause()
                    ? "OK vertx keeps the cause" : "FAIL vertx keeps the cause: "
                    + vertx.unavailableNativeTransportCause());
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static void check(String name, java.util.concurrent.Callable<String> action) {
        try {
            System.out.println("FAIL " + name + ": " + action.call());
        } catch (UnsatisfiedLinkError expected) {
            System.out.println("OK " + name);
        } catch (Throwable t) {
            System.out.println("FAIL " + name + ": " + t);
        }
    }
}
