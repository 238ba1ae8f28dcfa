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
package io.nettyrio.examples;

import io.nettyrio.examples.bench.RawModelBenchmark;
import io.nettyrio.rio.Rio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the README's programs working: the demo echoes through {@link Rio#provider()}, and the benchmark runs
 * end to end with tiny counts (it measures nothing here; its figures come from running it as the README says).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RawRioEchoDemoTest {

    @Test
    void demoEchoesEveryMessage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        boolean ok = RawRioEchoDemo.run(Rio.provider(), out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, printed);
        assertTrue(printed.contains("client got the echo \"hello, registered I/O\""), printed);
        assertTrue(printed.contains("client got the echo \"bye\""), printed);
        assertTrue(printed.contains("server saw the end of the stream"), printed);
    }

    @Test
    void benchmarkRunsEndToEnd() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            RawModelBenchmark.main(new String[] {"roundTrips=200", "streamMiB=1", "runs=1"});
        } finally {
            System.setOut(original);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ratio RIO/JDK"), printed);
        assertTrue(printed.contains("streaming: 128 messages of 8192 bytes"), printed);
    }
}
