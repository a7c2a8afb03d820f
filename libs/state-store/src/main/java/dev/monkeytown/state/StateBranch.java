package dev.monkeytown.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import io.smallrye.mutiny.Uni;

/**
 * One service's state: the JSON documents on branch {@code monkeytown/state/<service>} of the Monkeytown repository.
 * <p>
 * Reads are served from an in-memory view of the branch head. {@link #apply(Change)} completes only once the commit
 * holding the change is durable; changes that arrive while a commit is in flight go into the next commit together
 * (group commit). Two instances writing the same branch never lose an update: a commit moves the branch only if its
 * head is still the one the change functions saw, otherwise they are re-applied to the new head.
 */
public interface StateBranch {

    /** The service that owns the branch, e.g. {@code agent-dispatcher}. */
    String service();

    /** The branch name, {@code monkeytown/state/<service>}. */
    default String branch() {
        return branchFor(service());
    }

    /** The document at {@code path} in the current view, if any. */
    Uni<Optional<Document>> read(String path);

    /**
     * Every document in folder {@code prefix} and its sub-folders, ordered by path. {@code "runs/"} and {@code "runs"}
     * both list folder {@code runs} (never {@code runs-old/...}); {@code ""} lists the whole branch.
     */
    Uni<List<Document>> list(String prefix);

    /**
     * The paths (not contents) of the documents in folder {@code prefix} and its sub-folders, ordered: what a caller
     * needs to decide which documents to read, at no cost beyond knowing the head.
     */
    default Uni<List<String>> paths(String prefix) {
        return list(prefix).map(documents -> documents.stream().map(Document::path).toList());
    }

    /**
     * Every document under any of {@code folders} (as {@link #list(String)} takes them), each once, ordered by path:
     * one call for what a restart needs, which a backend can load in a few requests instead of one per document.
     */
    default Uni<List<Document>> list(Collection<String> folders) {
        List<Uni<List<Document>>> lists = new ArrayList<>();
        folders.forEach(folder -> lists.add(list(folder)));
        if (lists.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(lists).andFailFast().map(all -> {
            TreeMap<String, Document> byPath = new TreeMap<>();
            all.forEach(documents -> documents.forEach(document -> byPath.put(document.path(), document)));
            return List.copyOf(byPath.values());
        });
    }

    /**
     * Applies {@code change} to the newest state and commits it. Fails with {@link ChangeRejectedException} if the
     * change function refused, {@link StateConflictException} if the branch kept moving under us past the retry bound,
     * and {@link StateUnavailableException} if the backend could not be reached in time. Nothing is acknowledged
     * before it is durable.
     */
    Uni<CommitReceipt> apply(Change change);

    /** Re-reads the head if it may have moved (another replica wrote); cheap when nothing changed. */
    Uni<Void> refresh();

    static String branchFor(String service) {
        return "monkeytown/state/" + service;
    }
}
