package dev.monkeytown.build.pipeline;

import java.io.IOException;
import java.util.Optional;

import dev.monkeytown.build.engine.RunTarget;

/**
 * The Monkeytown repository as build-service reads it: branch heads (a moved head is a push), {@code builds.yaml} at a
 * commit, and what a runner is handed to check out. The local repository (embedded default) or the repository on
 * GitHub (GitHub mode).
 */
public interface SourceRepository {

    /** A commit and its tree. */
    record Commit(String sha, String tree) {
    }

    /** The branch's head, empty when the branch does not exist. */
    Optional<Commit> head(String branch) throws IOException;

    /** The tree of a commit. */
    String tree(String sha) throws IOException;

    /** {@code .monkeytown/builds.yaml} at the commit; empty when it has none. */
    String buildsYaml(String sha) throws IOException;

    /**
     * Whether {@code candidate}, read as a branch's head, is a later head than {@code recorded}, the one last acted on,
     * rather than a stale read of an earlier one. A local read is never stale; GitHub's replicas and webhooks can be
     * (a read that lags, a delivery that arrives after a later one).
     */
    default boolean isLater(String recorded, String candidate) throws IOException {
        return true;
    }

    /** What each attempt hands the runner to check out. */
    RunTarget runTarget();
}
