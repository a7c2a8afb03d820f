package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An environment's secrets, locally: {@code $MONKEYTOWN_HOME/secrets/<env>.env}, lines {@code NAME=value} ({@code #}
 * comments and blank lines skipped). Refused unless only its owner can read it (mode 600 or 400), as ssh does with a
 * key: a secret others can read is no longer one. No file: no secrets. Values are never logged; the runner masks them.
 *
 * <p>
 * Released only where the commands are confined (bubblewrap): otherwise every deployment's command — staging's too,
 * which nobody approves — runs as the service's user and could read the file itself.
 */
public final class SecretsFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final Path directory;
    private final boolean commandsConfined;

    /** @param commandsConfined whether the runner's sandbox hides this directory from the commands it runs */
    public SecretsFile(Path directory, boolean commandsConfined) {
        this.directory = directory;
        this.commandsConfined = commandsConfined;
    }

    public Path path(String environment) {
        return directory.resolve(environment + ".env");
    }

    /** @throws IOException naming the file (never a value) when it cannot be used */
    public Map<String, String> read(String environment) throws IOException {
        Path file = path(environment);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        if (!commandsConfined) {
            throw new IOException(file + " exists, but commands here do not run in the bubblewrap sandbox: any"
                    + " deployment's command (staging's, which needs no approval, too) could read it; install bubblewrap"
                    + " (monkeytown.deploy.local.sandbox) or remove the file");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException(file + " can be read or written by others than its owner (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(mode) + "): chmod 600 it");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String name = equals < 0 ? "" : trimmed.substring(0, equals).strip();
            if (!NAME.matcher(name).matches() || name.startsWith("MONKEYTOWN_")) {
                throw new IOException(file + " line " + number + " is not NAME=value with a variable name (names"
                        + " starting MONKEYTOWN_ are the suite's)");
            }
            secrets.put(name, trimmed.substring(equals + 1));
        }
        return Map.copyOf(secrets);
    }
}
