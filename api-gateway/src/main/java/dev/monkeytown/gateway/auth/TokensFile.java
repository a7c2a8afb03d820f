package dev.monkeytown.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Tokens kept in a file, one {@code <user> <role> sha256:<hex> [<repository glob>,...]} a line (the optional fourth
 * column limits the token to those repositories, e.g. {@code builds/**,tools/cli}), {@code #} starting a comment —
 * the shape a Kubernetes Secret mounts. A change is noticed by the file's content, not its modification time or size:
 * a rewrite within the same second, or of the same length (one digest swapped for another), is still a change, and a
 * revocation must never wait for a clock. Reading a few lines every few seconds costs nothing.
 */
final class TokensFile {

    /** What one read of the file found: the grants of its good lines, and what is wrong with the others. */
    record Reading(List<TokenGrant> grants, List<String> problems) {
    }

    private final Path path;
    private byte[] seen;

    TokensFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * The file's grants if its content changed since the last call (always on the first).
     *
     * @throws IOException if it cannot be read; the caller decides what that means (at start-up: no start)
     */
    synchronized Optional<Reading> readIfChanged() throws IOException {
        byte[] content = Files.readAllBytes(path);
        byte[] digest = sha256(content);
        if (seen != null && Arrays.equals(seen, digest)) {
            return Optional.empty();
        }
        seen = digest;
        return Optional.of(parse(new String(content, StandardCharsets.UTF_8).lines().toList()));
    }

    /** Forgets what was read, so the next read counts as a change (after the file could not be read). */
    synchronized void forget() {
        seen = null;
    }

    /** Every line that parses is a grant; every one that does not is a problem naming its line, never its digest. */
    static Reading parse(List<String> lines) {
        List<TokenGrant> grants = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length != 3 && fields.length != 4) {
                problems.add("line " + (i + 1) + ": expected '<user> <role> sha256:<hex> [<repository glob>,...]', "
                        + "found " + fields.length + " fields");
                continue;
            }
            if (fields.length == 4 && java.util.Arrays.stream(fields[3].split(",")).allMatch(String::isBlank)) {
                // a scope column naming no repository must not fail open into an unscoped token
                problems.add("line " + (i + 1) + ": the repository column names no repository");
                continue;
            }
            try {
                grants.add(TokenGrant.parse(fields[0], fields[1], fields[2],
                        fields.length == 4 ? List.of(fields[3].split(",")) : List.of()));
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Reading(List.copyOf(grants), List.copyOf(problems));
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
