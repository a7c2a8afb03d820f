package dev.monkeytown.state.spi;

import java.util.List;

/**
 * A stretch of a branch's history, newest first ({@link BranchBackend#history}).
 *
 * @param commits from the head towards the base, the base itself excluded
 * @param reachedBase whether the walk met the base (or the root, when no base was given) within the limit
 */
public record History(List<Commit> commits, boolean reachedBase) {

    public History {
        commits = List.copyOf(commits);
    }

    /** One commit: its id and whole message (trailers included). */
    public record Commit(String id, String message) {
    }
}
