package dev.monkeytown.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The JDKs installed in the place the launcher looks first, read from their {@code release} files. */
final class Jdks {

    /** Where Debian and the Temurin packages put JDKs; the system tests point the launcher at this folder alone. */
    static final Path DIR = Path.of("/usr/lib/jvm");

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Jdks() {
    }

    /** The newest JDK home of at least {@code major} (not a symbolic link to another), if any. */
    static Optional<Path> newest(int major) {
        if (!Files.isDirectory(DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(DIR)) {
            return homes.filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> major(home) >= major)
                    .max(Comparator.comparingInt(Jdks::major));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int major(Path home) {
        try {
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
