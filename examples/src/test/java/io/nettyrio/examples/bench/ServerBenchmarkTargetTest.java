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

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code transports=} labels become servers: this build, another build's classes, or JVM options. */
class ServerBenchmarkTargetTest {

    @Test
    void aPlainLabelIsThisBuildWithTheBenchmarksOwnOptions() {
        ServerBenchmark.Target t = ServerBenchmark.Target.parse("io_uring", Settings.parse());
        assertEquals("io_uring", t.label());
        assertEquals(ServerTransport.IO_URING, t.transport());
        assertNull(t.classpathPrefix());
        assertEquals(List.of(), t.jvmOptions());
    }

    @Test
    void anotherBuildPutsItsClassesFirst() {
        ServerBenchmark.Target t = ServerBenchmark.Target.parse("rio@before",
                Settings.parse("cp.before=/a/classes:/b/classes"));
        assertEquals(ServerTransport.RIO, t.transport());
        assertEquals("/a/classes:/b/classes", t.classpathPrefix());
        assertEquals(List.of(), t.jvmOptions());
    }

    @Test
    void jvmOptionsAreSplitAtWhitespaceAndKeepThisBuild() {
        ServerBenchmark.Target t = ServerBenchmark.Target.parse("rio@pgc",
                Settings.parse("jvm.pgc= -XX:+UseParallelGC   -Dx=1 "));
        assertNull(t.classpathPrefix());
        assertEquals(List.of("-XX:+UseParallelGC", "-Dx=1"), t.jvmOptions());
        assertTrue(t.describe().contains("JVM options -XX:+UseParallelGC -Dx=1"), t.describe());
    }

    @Test
    void aBuildLabelWithNeitherClassesNorOptionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerBenchmark.Target.parse("rio@missing", Settings.parse("cp.missing= ")));
        assertTrue(e.getMessage().contains("jvm.missing"), e.getMessage());
    }
}
