package dev.monkeytown.deploy.gitops;

import java.io.IOException;
import java.util.Optional;

/**
 * The Monkeytown repository as deploy-service needs it: branch heads, commits, a file at a commit, and a commit put on
 * a branch by compare-and-swap. Locally a JGit repository ({@link LocalRepository}); in GitHub mode the repository on
 * GitHub through its Git Data and contents APIs ({@link GitHubRepository}).
 */
public interface SourceRepository {

    /** A commit, its tree and its message. */
    record Commit(String sha, String tree, String message) {
    }

    /** Who authored or committed a commit. */
    record Person(String name, String email) {
    }

    /**
     * The repository answered and refused (on GitHub a 4xx that is not a rate limit: no permission, no such tree, a
     * branch that keeps moving under us): asking again the same way will not help. Every other {@link IOException} here
     * means the outcome is unknown (unreachable, a 5xx, a rate-limit wait past its bound, interrupted) and reading again
     * later tells.
     */
    class RefusedException extends IOException {

        public RefusedException(String message) {
            super(message);
        }
    }

    Optional<Commit> head(String branch) throws IOException;

    /** A commit by its full id; empty if there is no such commit here. */
    Optional<Commit> commit(String sha) throws IOException;

    /** A file's text at a commit; empty when the commit has no such file. */
    String file(String sha, String path) throws IOException;

    /**
     * Puts a commit of {@code tree} on {@code branch} whose parent is {@code expectedHead}, moving the branch only if
     * that is still its head (never forced).
     *
     * @return the new commit, or empty when the branch moved meanwhile (read again and decide again)
     * @throws RefusedException when the repository refused the commit or the move
     * @throws IOException when the outcome is unknown (unreachable, a 5xx, a lost answer): whether the branch moved is
     *         then unknown, and reading its head again tells
     */
    Optional<Commit> commitOnto(String branch, Optional<String> expectedHead, String tree, String message,
            Person author, Person committer) throws IOException;
}
