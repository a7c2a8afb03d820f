package dev.monkeytown.state;

import java.util.List;
import java.util.Optional;

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
