package dev.monkeytown.state;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The state a {@link Change} sees: the branch head plus the changes batched before it in the same commit, plus its own
 * edits so far. Methods may block (a backend may fetch a document it has not cached); change functions run on the
 * store's committer thread, never on an event loop.
 */
public interface Workspace {

    Optional<Document> read(String path);

    /** Paths (not contents) under {@code prefix}, ordered. */
    List<String> list(String prefix);

    void put(String path, byte[] content);

    default void put(String path, String text) {
        put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    void delete(String path);
}
