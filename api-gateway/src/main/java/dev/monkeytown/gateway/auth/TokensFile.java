package dev.monkeytown.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokens kept in a file, one {@code <user> <role> sha256:<hex>} a line, {@code #} starting a comment — the shape a
 * Kubernetes Secret mounts. Changes are noticed by modification time and size, a stat call; the file itself is read only
 * when those change. (A Secret update swaps the {@code ..data} symlink; the stat follows it, so that counts as a change.)
 */
final class TokensFile {

    private final Path path;
    private FileTime seenModified;
    private long seenSize = -1;
    private List<TokenGrant> grants = List.of();

    TokensFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    synchronized List<TokenGrant> grants() {
        return grants;
    }

    /**
     * Re-reads the file if its modification time or size changed since the last successful read.
     *
     * @return whether the grants changed
     * @throws IOException if the file cannot be read; {@link IllegalArgumentException} if a line is malformed. Either
     *         way the previous grants stay, so a half-written file never locks everybody out.
     */
    synchronized boolean reloadIfChanged() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.lastModifiedTime().equals(seenModified) && attributes.size() == seenSize) {
            return false;
        }
        grants = parse(Files.readAllLines(path, StandardCharsets.UTF_8));
        seenModified = attributes.lastModifiedTime();
        seenSize = attributes.size();
        return true;
    }

    static List<TokenGrant> parse(List<String> lines) {
        List<TokenGrant> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length != 3) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected '<user> <role> sha256:<hex>', found "
                        + fields.length + " fields");
            }
            try {
                parsed.add(TokenGrant.parse(fields[0], fields[1], fields[2]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(parsed);
    }
}
