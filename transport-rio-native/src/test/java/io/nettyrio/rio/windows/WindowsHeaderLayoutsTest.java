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
package io.nettyrio.rio.windows;

import io.nettyrio.rio.RioConstants;
import io.nettyrio.rio.RioLayouts;
import io.nettyrio.rio.SockaddrInet;
import io.nettyrio.rio.WsaError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the Windows provider's layouts and constants against the Windows SDK headers themselves, not against
 * numbers copied into a test: {@code src/test/c/windows_layouts.c}, compiled with MSVC against {@code mswsock.h},
 * {@code winsock2.h}, {@code ws2def.h}, {@code ws2ipdef.h} and {@code minwinbase.h} by the Windows workflow, prints
 * every size, alignment, member offset and size, constant and GUID as {@code key=value} lines, and this test
 * compares that output with what the provider's Java code says, key by key, in both directions: a key the program
 * prints that the Java side does not check fails, and so does a layout or constant the provider has that the
 * program does not print.
 *
 * <p>The expected keys come from the provider's own classes by reflection (every {@link GroupLayout} constant of
 * the layout classes, every constant of {@link WindowsConstants}, {@link RioConstants} and {@link WsaError}), so a
 * layout or constant added later must be added to the C program too. The program's output file is named by the
 * system property {@value #OUTPUT_PROPERTY} or the environment variable {@value #OUTPUT_ENV}; where neither is set
 * (Linux, a developer's machine) the comparison is skipped with that reason, and where one is set the file must
 * exist. {@link #theProgramPrintsExactlyTheExpectedKeys()} runs everywhere: it reads the keys out of the C source.
 */
class WindowsHeaderLayoutsTest {
    static final String OUTPUT_PROPERTY = "io.nettyrio.windows.headerLayouts";
    static final String OUTPUT_ENV = "RIO_WINDOWS_HEADER_LAYOUTS";
    private static final Path PROGRAM = Path.of("src", "test", "c", "windows_layouts.c");

    /** The classes whose {@link GroupLayout} constants are Windows structs the provider reads or writes. */
    private static final List<Class<?>> LAYOUT_CLASSES = List.of(RioLayouts.class, SockaddrInet.class,
            RioFunctionTable.class, Overlapped.class, WinsockStructs.class, Guid.class);

    /**
     * Members named so in the Java layouts stand for the headers' anonymous unions and structs
     * ({@code DUMMYUNIONNAME}, {@code DUMMYSTRUCTNAME} in {@code OVERLAPPED}; the union of
     * {@code RIO_NOTIFICATION_COMPLETION}): C names their members directly.
     */
    private static final Set<String> ANONYMOUS = Set.of("u", "s");

    /** Constants the Java code derives from header constants; the header has no macro of their own. */
    private static final Map<Class<?>, Set<String>> DERIVED = Map.of(
            WindowsConstants.class, Set.of("SOCKET_FLAGS"),
            RioConstants.class, Set.of("RIO_SEND_FLAGS", "RIO_RECEIVE_FLAGS"));

    /** The program's last line: a shorter output (a crash half-way) is not taken for a complete one. */
    private static final String END_KEY = "end";

    @Test
    void theHeadersAgreeWithTheProvider() throws IOException {
        String file = System.getProperty(OUTPUT_PROPERTY, System.getenv(OUTPUT_ENV));
        assumeTrue(file != null && !file.isEmpty(), "no output of src/test/c/windows_layouts.c: neither -D"
                + OUTPUT_PROPERTY + " nor " + OUTPUT_ENV + " names one (the Windows workflow compiles the program "
                + "with MSVC and sets it; it cannot be built without the Windows SDK headers)");
        Path output = Path.of(file);
        assertTrue(Files.isRegularFile(output), "the output of src/test/c/windows_layouts.c is missing: " + output);

        Map<String, String> actual = new TreeMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "not a key=value line: " + line);
            String previous = actual.put(line.substring(0, eq), line.substring(eq + 1));
            assertTrue(previous == null, "key printed twice: " + line);
        }
        assertEquals("ok", actual.remove(END_KEY), "the program's output is incomplete (no end=ok line)");

        Map<String, String> expected = expected();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String header = actual.get(e.getKey());
            if (header == null) {
                problems.add(e.getKey() + ": the provider has it, the program does not print it");
            } else if (!header.equalsIgnoreCase(e.getValue())) {
                problems.add(e.getKey() + ": headers " + header + ", provider " + e.getValue());
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                problems.add(key + ": printed by the program, not checked against the provider");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " of " + expected.size() + " keys disagree:\n"
                + String.join("\n", problems));
    }

    /** The C program prints exactly the keys {@link #expected()} names; checked on the source, on every OS. */
    @Test
    void theProgramPrintsExactlyTheExpectedKeys() throws IOException {
        String source = Files.readString(PROGRAM, StandardCharsets.UTF_8);
        Set<String> printed = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(SIZE|ALIGN|MEMBER|U32|U64|GUID_TEXT)\\(\"([^\"]+)\"").matcher(source);
        while (m.find()) {
            String key = m.group(2);
            boolean added = switch (m.group(1)) {
                case "SIZE" -> printed.add("size." + key);
                case "ALIGN" -> printed.add("align." + key);
                case "MEMBER" -> printed.add("offset." + key) & printed.add("size." + key);
                case "U32", "U64" -> printed.add("const." + key);
                default -> printed.add("guid." + key);
            };
            assertTrue(added, "printed twice: " + key);
        }
        Set<String> expected = expected().keySet();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(printed);
        Set<String> extra = new TreeSet<>(printed);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(), "src/test/c/windows_layouts.c does not print "
                + missing + "; it prints keys nothing checks: " + extra);
        assertTrue(expected.size() > 300, "suspiciously few keys: " + expected.size());
    }

    /** Every key the program must print, with the value the provider's Java code has for it. */
    static Map<String, String> expected() {
        Map<String, String> keys = new TreeMap<>();
        for (Class<?> type : LAYOUT_CLASSES) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && MemoryLayout.class.isAssignableFrom(field.getType())
                        && staticValue(field) instanceof GroupLayout layout) {
                    String name = layout.name().orElseThrow(() -> new AssertionError("unnamed layout " + field));
                    keys.put("size." + name, Long.toString(layout.byteSize()));
                    keys.put("align." + name, Long.toString(layout.byteAlignment()));
                    members(keys, layout, name + ".", 0);
                }
            }
        }
        constants(keys, WindowsConstants.class);
        constants(keys, RioConstants.class);
        constants(keys, WsaError.class);
        return keys;
    }

    private static void members(Map<String, String> keys, GroupLayout group, String prefix, long base) {
        for (MemoryLayout member : group.memberLayouts()) {
            if (member instanceof PaddingLayout) {
                continue;
            }
            String name = member.name().orElseThrow(() -> new AssertionError("unnamed member of " + group));
            long offset = base + group.byteOffset(groupElement(name));
            boolean anonymous = ANONYMOUS.contains(name);
            if (!anonymous) {
                keys.put("offset." + prefix + name, Long.toString(offset));
                keys.put("size." + prefix + name, Long.toString(member.byteSize()));
            }
            if (member instanceof GroupLayout nested) {
                members(keys, nested, anonymous ? prefix : prefix + name + ".", offset);
            }
        }
    }

    private static void constants(Map<String, String> keys, Class<?> type) {
        Set<String> derived = DERIVED.getOrDefault(type, Set.of());
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers) || derived.contains(field.getName())) {
                continue;
            }
            Object value = staticValue(field);
            String key = field.getName();
            switch (value) {
                case Integer i -> keys.put("const." + key, Integer.toUnsignedString(i));
                case Short s -> keys.put("const." + key, Integer.toString(Short.toUnsignedInt(s)));
                case Long l -> keys.put("const." + key, Long.toUnsignedString(l));
                case String guid -> keys.put("guid." + key, guid.toLowerCase(Locale.ROOT));
                default -> {
                    // not a header constant (a table, a logger)
                }
            }
        }
    }

    private static Object staticValue(Field field) {
        try {
            field.setAccessible(true);
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes the expected keys with their Java types, for maintaining the C program. */
    public static void main(String[] args) throws IOException {
        List<String> lines = new ArrayList<>();
        expected().forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8);
    }
}
