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
package io.nettyrio.testsuite;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository stands on its own: its sources and docs cite only what a reader of the repository can open
 * (Microsoft Learn pages by title, Linux man pages, {@code io_uring.h}, Netty classes, the repository's own
 * {@code docs/}), never a file outside the repository, a tracker's issue number, or a section sign pointing into
 * a document that is not here. This test reads every file under {@code docs/} and every module's {@code src/}, plus
 * the README, and fails with the offending lines.
 */
class RepositoryReferencesTest {

    /**
     * What a reader cannot follow. Each pattern is written so that it does not match itself: this file is scanned
     * like any other.
     */
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("rio-" + "reference"),
            Pattern.compile("DESIGN" + "\\.md|DEVELOPERS" + "\\.md"),
            Pattern.compile("\\.\\./" + "shared|/work" + "/|seeds" + "/|LPFN_RIOSEND" + "\\.md"),
            Pattern.compile("design " + "card", Pattern.CASE_INSENSITIVE),
            // Old nicknames of the RIOSend page are citations; a random generator's seed is fine.
            Pattern.compile("\\bseed" + "'s\\b|(?<![\\w.])\\(" + "seed(?::|\\)|, Remarks)"
                    + "|\\bthe " + "seed(?::| says| document| page)|\\bas the " + "seed\\b", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(?:issue|task|ticket)s?\\s*#?" + "\\d+", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\u00a7"));

    @Test
    void sourcesAndDocsCiteOnlyWhatTheRepositoryHolds() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> top = Files.list(root)) {
            for (Path dir : top.filter(Files::isDirectory).toList()) {
                Path src = dir.resolve("src");
                if (Files.isDirectory(src)) {
                    collect(src, files);
                }
            }
        }
        collect(root.resolve("docs"), files);
        assertTrue(files.size() > 100, "expected the repository's sources, found " + files.size() + " files");

        List<String> offences = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern pattern : OUTSIDE) {
                    Matcher m = pattern.matcher(lines.get(i));
                    if (m.find()) {
                        offences.add(root.relativize(file) + ":" + (i + 1) + ": '" + m.group() + "' in: "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), offences, offences.size() + " references a reader of the repository cannot follow");
    }

    @Test
    void thePatternsCatchWhatTheyAreFor() {
        List<String> bad = List.of("see " + "rio-" + "reference.md 3", "(" + "issue " + "7)", "the " + "seed" + "'s rule",
                "DESIGN" + ".md", "\u00a7" + "4", "../" + "shared/notes", "(" + "seed, Remarks)",
                "as the " + "seed says", "empty datagram (" + "seed: allowed)", "must be NULL (" + "seed)");
        for (String line : bad) {
            assertTrue(OUTSIDE.stream().anyMatch(p -> p.matcher(line).find()), "not caught: " + line);
        }
        List<String> fine = List.of("the same seed gives the same faults", "docs/rio-api.md",
                "\"RIOSend function (mswsock.h)\" on Microsoft Learn", "io_uring.h", "seed=5",
                "new SplittableRandom(seed)", "prints the " + "seed and every knob", "(seed 290)",
                "a pure function of (seed, connection, direction)", "FaultConfig.builder(seed)");
        for (String line : fine) {
            assertTrue(OUTSIDE.stream().noneMatch(p -> p.matcher(line).find()), "wrongly caught: " + line);
        }
    }

    private static void collect(Path dir, List<Path> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(RepositoryReferencesTest::isText)
                    .forEach(into::add);
        }
    }

    private static boolean isText(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".c") || name.endsWith(".h")
                || name.endsWith(".properties") || name.endsWith(".xml") || name.endsWith(".txt");
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The testsuite module runs with its own directory as the working directory; the repository is its parent. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + here);
    }
}
