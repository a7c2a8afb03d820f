package dev.monkeytown.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which java {@code ./monkeytown} runs the services on, and which AOT cache each one gets ({@code ./monkeytown jvm},
 * the choice {@code up} makes, without starting anything). {@link SuiteLauncherIT} checks the running processes.
 */
class LauncherJvmIT {

    private static final Path ROOT = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path data;

    private Launcher.Result jvm(Map<String, String> environment) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("MONKEYTOWN_JDK_DIRS", Jdks.DIR.toString(), "JAVA_HOME", ""));
        all.putAll(environment);
        Launcher.Result result = new Launcher(data.resolve("home"), 18280, all).run("jvm");
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    /** service → its AOT cache file, from {@code ./monkeytown jvm}. */
    private static Map<String, String> caches(Launcher.Result jvm) {
        return jvm.output().lines().map(line -> line.split("\\s+"))
                .filter(words -> Launcher.SERVICES.contains(words[0]))
                .collect(Collectors.toMap(words -> words[0], words -> words[words.length - 1]));
    }

    @Test
    void withoutAJdk25ItFallsBackToTheJavaOnPathWithoutCaches() throws Exception {
        // nothing to find where it looks (an empty folder), and JAVA_HOME empty
        Launcher.Result jvm = jvm(Map.of("MONKEYTOWN_JDK_DIRS", data.toString()));
        String onPath = Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "java"))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
        Matcher chosen = Pattern.compile("(?m)^Java (\\d+): (.+)$").matcher(jvm.output());
        assertTrue(chosen.find(), jvm.output());
        assertEquals(onPath, chosen.group(2), jvm.output());
        if (Integer.parseInt(chosen.group(1)) < 25) {
            assertTrue(jvm.output().startsWith("Running on Java " + chosen.group(1) + " (" + onPath
                    + ") without AOT caches: no JDK 25+ found (set MONKEYTOWN_JAVA_HOME)."), jvm.output());
            assertTrue(jvm.output().contains("AOT caches: off"), jvm.output());
        }
    }

    @Test
    void aJdk25IsFoundAndEachServiceGetsTheCacheOfItsOwnBuild() throws Exception {
        Optional<Path> jdk25 = Jdks.newest(25);
        assumeTrue(jdk25.isPresent(), "no JDK 25 in " + Jdks.DIR);
        Launcher.Result jvm = jvm(Map.of());
        assertTrue(jvm.output().startsWith("Java " + Jdks.major(jdk25.get()) + ": " + jdk25.get().resolve("bin/java")),
                jvm.output());
        Map<String, String> caches = caches(jvm);
        assertEquals(Launcher.SERVICES.size(), caches.size(), jvm.output());
        for (String service : Launcher.SERVICES) {
            assertEquals(ROOT.resolve(service).resolve("target/monkeytown-aot"), Path.of(caches.get(service)).getParent());
        }
        assertEquals(Launcher.SERVICES.size(), caches.values().stream().distinct().count(), "one cache per service");
    }

    @Test
    void aChangedBuildOrOtherOptionsNameAnotherCache() throws Exception {
        assumeTrue(Jdks.newest(25).isPresent(), "no JDK 25 in " + Jdks.DIR);
        Map<String, String> before = caches(jvm(Map.of()));

        Path added = ROOT.resolve("deploy-service/target/quarkus-app/launcher-jvm-it.txt");
        Files.writeString(added, "a file the build did not have");
        Map<String, String> rebuilt;
        try {
            rebuilt = caches(jvm(Map.of()));
        } finally {
            Files.delete(added);
        }
        assertNotEquals(before.get("deploy-service"), rebuilt.get("deploy-service"), "a changed build, a new cache");
        assertEquals(before.get("build-service"), rebuilt.get("build-service"), "the other services' builds did not change");
        assertEquals(before, caches(jvm(Map.of())), "the same build again: the same caches");

        Map<String, String> otherOptions = caches(jvm(Map.of("MONKEYTOWN_JAVA_OPTS", "-XX:+UseParallelGC")));
        for (String service : Launcher.SERVICES) {
            assertNotEquals(before.get(service), otherOptions.get(service), service + ": other JVM options, a new cache");
        }
    }
}
