package dev.monkeytown.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The values a runner must never show: the service's own secrets (internal token, GitHub token, webhook secrets, the
 * lines of tokens files) and a run's injected secrets. A run's log is masked with them as it is written, as GitHub
 * Actions masks its secrets, so a command that prints its environment, or reads a secret some other way, shows
 * {@value #MASK} instead.
 *
 * <p>
 * Values shorter than {@value #MIN_LENGTH} characters are not kept: masking them would blank ordinary words all over a
 * log, and a value that short protects nothing.
 */
public final class SecretValues {

    public static final String MASK = "***";
    public static final int MIN_LENGTH = 4;
    public static final SecretValues NONE = new SecretValues(Set.of());

    /** Last name segment (split on {@code .}, {@code _}, {@code -}) that says a property holds a secret. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(?:^|.*[._-])(token|secret|secrets|password|passphrase|credentials|private[._-]?key|api[._-]?key)");
    /** A property naming a file whose lines are secrets: {@code ...tokens-file}, {@code MONKEYTOWN_SECRET_FILE}. */
    private static final Pattern SECRET_FILE_NAME = Pattern.compile(
            "(?i).*(token|tokens|secret|secrets|password|credentials)[._-]files?");

    private final Set<String> values;

    private SecretValues(Set<String> values) {
        this.values = values;
    }

    public static SecretValues of(Collection<String> values) {
        return NONE.plus(values);
    }

    /**
     * A service's secrets from its configuration: the value of every property whose name ends in {@code token},
     * {@code secret(s)}, {@code password}, {@code credentials}, {@code private-key} or {@code api-key} (comma-separated
     * lists count item by item, as webhook secrets are rotated), and every line of each file a property ending in
     * {@code tokens-file} or {@code secrets-file} names. Digests ({@code ...sha256}) and roles are not secrets and are
     * left alone. Environment variables count as properties too ({@code MONKEYTOWN_INTERNAL_TOKEN}).
     */
    public static SecretValues fromProperties(Iterable<String> names, Function<String, Optional<String>> valueOf) {
        List<String> found = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            if (namesASecret(name)) {
                valueOf.apply(name).ifPresent(value -> {
                    found.add(value.trim());
                    for (String item : value.split(",")) {
                        found.add(item.trim());
                    }
                });
            } else if (namesASecretFile(name)) {
                valueOf.apply(name).filter(v -> !v.isBlank()).ifPresent(v -> files.add(Path.of(v.trim())));
            }
        }
        return of(found).plus(fromFiles(files).values);
    }

    /**
     * The files that properties ending in {@code tokens-file} or {@code secrets-file} name: what a sandbox must hide
     * from the commands the service runs, as the secret values themselves are masked.
     */
    public static List<Path> filesNamedIn(Iterable<String> names, Function<String, Optional<String>> valueOf) {
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            if (namesASecretFile(name)) {
                valueOf.apply(name).filter(v -> !v.isBlank()).ifPresent(v -> files.add(Path.of(v.trim())));
            }
        }
        return files;
    }

    /** Every non-blank line of each readable file; a missing or unreadable file adds nothing. */
    public static SecretValues fromFiles(Collection<Path> files) {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            try {
                if (Files.isRegularFile(file)) {
                    Files.readAllLines(file, StandardCharsets.UTF_8).forEach(line -> found.add(line.trim()));
                }
            } catch (IOException | RuntimeException e) {
                // a file the service cannot read holds nothing it could leak either
            }
        }
        return of(found);
    }

    public static boolean namesASecret(String propertyName) {
        return SECRET_NAME.matcher(propertyName).matches();
    }

    public static boolean namesASecretFile(String propertyName) {
        return SECRET_FILE_NAME.matcher(propertyName).matches();
    }

    public SecretValues plus(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(values);
        for (String value : more) {
            if (value != null && value.length() >= MIN_LENGTH && !value.isBlank()) {
                all.add(value);
            }
        }
        return new SecretValues(Set.copyOf(all));
    }

    public SecretValues plus(SecretValues more) {
        return plus(more.values);
    }

    public Set<String> values() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The text with every secret replaced; longer secrets first, so one that contains another is masked whole. */
    public String mask(String text) {
        Objects.requireNonNull(text, "text");
        String masked = text;
        for (String value : values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            masked = masked.replace(value, MASK);
        }
        return masked;
    }

    /** How many values, never which: for a start-up log line. */
    @Override
    public String toString() {
        return "SecretValues[" + values.size() + " values]";
    }
}
