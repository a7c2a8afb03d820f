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
     * @throws IOException when the repository could not be reached or refused; whether the branch moved is then
     *         unknown, and reading its head again tells
     */
    Optional<Commit> commitOnto(String branch, Optional<String> expectedHead, String tree, String message,
            Person author, Person committer) throws IOException;
}
