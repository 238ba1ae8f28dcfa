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
package io.nettyrio.testsuite.modules;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.Version;
import io.nettyrio.channel.RioSocketChannel;
import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the transport as Java modules, so that the module descriptors are exercised and not only compiled: it
 * compiles a small application module that {@code requires io.nettyrio.transport} against the built modules
 * (transport-rio, transport-rio-native and Netty's own modules on the {@code --module-path}), runs an echo through
 * {@link RioSocketChannel} in a JVM of its own, and checks the bytes. That JVM runs with
 * {@code --illegal-native-access=deny}, so the echo works only if {@code --enable-native-access=io.nettyrio.rio}
 * grants the providers' downcalls by module name; a second run without that grant must find no provider.
 *
 * <p>The rest of the test suite runs on the class path (the parent pom's surefire {@code useModulePath}).
 */
class ModulePathEchoTest {
    private static final String APP_MODULE = "io.nettyrio.example.modules";
    private static final String NATIVE_MODULE = "io.nettyrio.rio";

    private static final String MODULE_INFO = """
            module io.nettyrio.example.modules {
                requires io.nettyrio.transport;
            }
            """;

    private static final String ECHO_MAIN = """
            package io.nettyrio.example.modules;

            import io.netty.bootstrap.Bootstrap;
            import io.netty.bootstrap.ServerBootstrap;
            import io.netty.buffer.ByteBuf;
            import io.netty.buffer.Unpooled;
            import io.netty.channel.Channel;
            import io.netty.channel.ChannelHandlerContext;
            import io.netty.channel.ChannelInboundHandlerAdapter;
            import io.netty.channel.EventLoopGroup;
            import io.netty.channel.MultiThreadIoEventLoopGroup;
            import io.nettyrio.channel.RioIoHandler;
            import io.nettyrio.channel.RioServerSocketChannel;
            import io.nettyrio.channel.RioSocketChannel;
            import io.nettyrio.rio.Rio;
            import io.nettyrio.rio.rules.RioRules;

            import java.net.InetSocketAddress;
            import java.util.Arrays;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;

            public final class EchoMain {
                public static void main(String[] args) throws Exception {
                    Module model = Rio.class.getModule();
                    System.out.println("model module: " + model.getName());
                    System.out.println("transport module: " + RioSocketChannel.class.getModule().getName());
                    System.out.println("native access: " + model.isNativeAccessEnabled());
                    System.out.println("providers exported: " + model.isExported("io.nettyrio.rio.uring")
                            + "," + model.isExported("io.nettyrio.rio.windows"));
                    if (!Rio.isAvailable()) {
                        Throwable root = Rio.unavailabilityCause();
                        while (root.getCause() != null) {
                            root = root.getCause();
                        }
                        System.out.println("unavailable: " + Rio.unavailabilityCause() + "; root cause: " + root);
                        System.exit(3);
                    }
                    System.out.println("provider module: " + RioRules.unwrap(Rio.provider()).getClass().getModule()
                            .getName());
                    byte[] sent = new byte[64 * 1024];
                    for (int i = 0; i < sent.length; i++) {
                        sent[i] = (byte) (i * 31 + 7);
                    }
                    byte[] received = new byte[sent.length];
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, RioIoHandler.newFactory());
                    try {
                        Channel server = new ServerBootstrap().group(group).channel(RioServerSocketChannel.class)
                                .childHandler(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ctx.writeAndFlush(msg);
                                    }
                                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                        Channel client = new Bootstrap().group(group).channel(RioSocketChannel.class)
                                .handler(new ChannelInboundHandlerAdapter() {
                                    private int count;

                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ByteBuf buf = (ByteBuf) msg;
                                        try {
                                            int n = Math.min(buf.readableBytes(), received.length - count);
                                            buf.readBytes(received, count, n);
                                            count += n;
                                        } finally {
                                            buf.release();
                                        }
                                        if (count == received.length) {
                                            done.complete(null);
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        done.completeExceptionally(cause);
                                    }
                                }).connect(server.localAddress()).sync().channel();
                        client.writeAndFlush(Unpooled.wrappedBuffer(sent)).sync();
                        done.get(30, TimeUnit.SECONDS);
                        client.close().sync();
                        server.close().sync();
                    } finally {
                        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
                    }
                    System.out.println("echoed " + received.length + " bytes: "
                            + (Arrays.equals(sent, received) ? "equal" : "DIFFERENT"));
                }
            }
            """;

    /** Refers to a provider class, which the module does not export: must not compile. */
    private static final String PROVIDER_USER = """
            package io.nettyrio.example.modules;

            public final class ProviderUser {
                Object provider = io.nettyrio.rio.uring.IoUringProvider.class;
            }
            """;

    private static String modulePath;

    @BeforeAll
    static void locateModules() throws URISyntaxException {
        // The modules the application needs, wherever the build put them (a jar, or classes with module-info).
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(Rio.class, RioSocketChannel.class, Channel.class, ByteBuf.class, Version.class,
                AddressResolverGroup.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        modulePath = String.join(File.pathSeparator, entries);
    }

    @Test
    void echoRunsOnTheModulePath(@TempDir Path dir) throws Exception {
        Path classes = compile(dir, ECHO_MAIN, "EchoMain");
        Result run = run(classes, true);
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.stdout.contains("model module: " + NATIVE_MODULE), run.toString());
        assertTrue(run.stdout.contains("transport module: io.nettyrio.transport"), run.toString());
        assertTrue(run.stdout.contains("native access: true"), run.toString());
        assertTrue(run.stdout.contains("providers exported: false,false"), run.toString());
        assertTrue(run.stdout.contains("provider module: " + NATIVE_MODULE), run.toString());
        assertTrue(run.stdout.contains("echoed 65536 bytes: equal"), run.toString());
        assertFalse(run.stderr.contains("restricted method"), run.toString());
        assertFalse(run.stderr.contains("LEAK"), run.toString());
    }

    @Test
    void withoutTheGrantByModuleNameNoProviderOpens(@TempDir Path dir) throws Exception {
        Path classes = compile(dir, ECHO_MAIN, "EchoMain");
        Result run = run(classes, false);
        assertEquals(3, run.exitCode, run.toString());
        assertTrue(run.stdout.contains("native access: false"), run.toString());
        assertTrue(run.stdout.contains("root cause: java.lang.IllegalCallerException"), run.toString());
    }

    @Test
    void theProvidersAreNotExported(@TempDir Path dir) throws Exception {
        String diagnostics = tryCompile(dir, PROVIDER_USER, "ProviderUser");
        assertNotNull(diagnostics, "a class outside the module compiled against io.nettyrio.rio.uring");
        assertTrue(diagnostics.contains("io.nettyrio.rio.uring") && diagnostics.contains("does not export"),
                diagnostics);
    }

    private static Path compile(Path dir, String source, String className) throws IOException {
        String diagnostics = tryCompile(dir, source, className);
        if (diagnostics != null) {
            fail("the application module did not compile against the module path:\n" + diagnostics);
        }
        return dir.resolve("classes");
    }

    /** Compiles the application module; returns null on success, else javac's diagnostics. */
    private static String tryCompile(Path dir, String source, String className) throws IOException {
        Path src = dir.resolve("src");
        Path pkg = src.resolve(APP_MODULE.replace('.', File.separatorChar));
        Files.createDirectories(pkg);
        Path moduleInfo = Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Path main = Files.writeString(pkg.resolve(className + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler in " + System.getProperty("java.home"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // An explicit, empty class path: in process, javac would otherwise see this JVM's class path, where the
        // transport's classes sit in the unnamed module.
        Path emptyClassPath = Files.createDirectories(dir.resolve("empty"));
        int code = javac.run(null, null, err, "--module-path", modulePath, "--class-path", emptyClassPath.toString(),
                "-d", dir.resolve("classes").toString(), "-Xlint:all", moduleInfo.toString(), main.toString());
        return code == 0 ? null : err.toString(StandardCharsets.UTF_8);
    }

    private static Result run(Path classes, boolean grant) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "--module-path", classes + File.pathSeparator + modulePath,
                // A restricted call from a module without native access throws instead of warning.
                "--illegal-native-access=deny"));
        if (grant) {
            command.add("--enable-native-access=" + NATIVE_MODULE);
        }
        command.addAll(List.of("-Dio.nettyrio.rules=true", "-Dio.netty.leakDetection.level=PARANOID", "-Xmx256m",
                "-m", APP_MODULE + "/" + APP_MODULE + ".EchoMain"));
        Path out = Files.createTempFile(classes.getParent(), "stdout", ".txt");
        Path err = Files.createTempFile(classes.getParent(), "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the module-path echo did not finish within 120 s: " + Files.readString(out));
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        assertNotEquals(-1, result.exitCode);
        return result;
    }

    private record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
