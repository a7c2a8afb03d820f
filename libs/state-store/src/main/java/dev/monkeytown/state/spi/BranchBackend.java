package dev.monkeytown.state.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the group-commit engine needs from a Git host, for one branch. Calls block and are made from the engine's own
 * threads. Implementations: the local JGit repository and GitHub.
 */
public interface BranchBackend {

    /** Full ref name, e.g. {@code refs/heads/monkeytown/state/agent-dispatcher}. */
    String ref();

    /**
     * The commit the branch points at now, or empty if the branch does not exist yet. GitHub answers this with a
     * conditional request, so asking when nothing changed costs no quota.
     */
    Optional<String> readHead() throws BackendException;

    /** Every file of the commit's tree: path to Git blob id. */
    Map<String, String> readTree(String commitId) throws BackendException;

    /** The bytes of a blob. Blobs are immutable, so callers cache by id without revalidation. */
    byte[] readBlob(String blobId) throws BackendException;

    /**
     * Writes one commit on top of {@code expectedHead} (empty: create the branch with a root commit) and moves the
     * branch to it only if the branch still points at {@code expectedHead}.
     *
     * @param puts path to new content
     * @param deletes paths to remove (absent paths are ignored)
     * @return the new commit id, once durable
     * @throws HeadMovedException the branch no longer points at {@code expectedHead}; nothing was moved
     * @throws BackendException the branch was not moved by this call. An implementation that cannot tell (a timeout
     *         after the request was sent) must find out before throwing, e.g. by reading the head and comparing it
     *         with the commit it created, and return that commit if the move happened: the engine re-applies the
     *         changes after a failure, so a move reported as failed would be written twice.
     */
    String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException;
}
