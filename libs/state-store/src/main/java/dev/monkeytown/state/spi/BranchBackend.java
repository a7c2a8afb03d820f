package dev.monkeytown.state.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the group-commit engine needs from a Git host, for one branch. Calls block and are made from the engine's own
 * threads; none of them may be made while holding a lock the engine's readers need. Implementations: the local JGit
 * repository and GitHub.
 * <p>
 * A backend <em>classifies</em> every outcome once, by the exception it throws, and the engine acts on that class
 * alone: {@link HeadMovedException} (compare-and-swap lost, nothing written), {@link AmbiguousCommitException} (the
 * request may have been applied: settled by the engine through {@link #history}), {@link BackendException} with
 * {@code retryable} (nothing was written; waiting may help) or without (a refusal; waiting will not help).
 */
public interface BranchBackend {

    /** Full ref name, e.g. {@code refs/heads/monkeytown/state/agent-dispatcher}. */
    String ref();

    /**
     * What the backend knows is wrong right now, without asking the host (its last requests got no answer, the host
     * asked it to back off): lets readiness answer at once while a request is still retrying. Empty when nothing is
     * known wrong.
     */
    default Optional<String> impairment() {
        return Optional.empty();
    }

    /**
     * Whether this branch existed before, as far as the host can tell without it: backends mark a branch when they
     * create it ({@code refs/monkeytown/created/...}), so a branch deleted behind the service's back raises the alarm in
     * a process that never saw it, instead of being created anew and empty.
     */
    default boolean existedBefore() throws BackendException {
        return false;
    }

    /**
     * The commit the branch points at now, or empty if the branch does not exist. GitHub answers this with a
     * conditional request, so asking when nothing changed costs no quota. The answer may lag behind a write (GitHub's
     * replicas): the engine never lets it move its view backwards.
     */
    Optional<String> readHead() throws BackendException;

    /** Every file of the commit's tree: path to Git blob id. Must not fail because the tree is large. */
    Map<String, String> readTree(String commitId) throws BackendException;

    /** The bytes of a blob. Blobs are immutable; the engine caches them, so backends need not. */
    byte[] readBlob(String blobId) throws BackendException;

    /**
     * The bytes of many blobs, for a listing or a restart that needs hundreds of documents at once. A backend that can
     * answer in a few requests (GitHub: GraphQL, many objects per query) overrides this; the default reads one by one.
     *
     * @return blob id to bytes, for every id asked
     */
    default Map<String, byte[]> readBlobs(Collection<String> blobIds) throws BackendException {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (String id : blobIds) {
            blobs.put(id, readBlob(id));
        }
        return blobs;
    }

    /**
     * The commits on the first-parent chain from {@code head} back to, not including, {@code base} (empty: back to
     * the root), newest first, with their full messages: how the engine finds out whether a commit whose answer was
     * lost landed, by the batch id its message carries, and whether a head is a descendant of another.
     *
     * @param limit most commits to return; {@link History#reachedBase()} is false if {@code base} was not met within
     *        them
     */
    History history(String head, Optional<String> base, int limit) throws BackendException;

    /**
     * Whether {@code ancestor} is {@code descendant} or one of its ancestors; empty when the backend cannot tell (e.g.
     * a commit it does not know yet). The default walks {@link #history}; backends with a cheaper answer (GitHub's
     * compare API, a local commit graph) override it.
     */
    default Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        if (ancestor.equals(descendant)) {
            return Optional.of(true);
        }
        History walked = history(descendant, Optional.of(ancestor), ANCESTRY_WALK);
        if (walked.reachedBase()) {
            return Optional.of(true);
        }
        return walked.commits().size() < ANCESTRY_WALK ? Optional.of(false) : Optional.empty();
    }

    /** How far {@link #isAncestor}'s default walks before it cannot tell. */
    int ANCESTRY_WALK = 10_000;

    /**
     * Writes one commit on top of {@code expectedHead} (empty: create the branch with a root commit) and moves the
     * branch to it only if the branch still points at {@code expectedHead}.
     *
     * Creating the branch (an empty {@code expectedHead}) also marks it as created ({@link #existedBefore()}).
     *
     * @param puts path to new content
     * @param deletes paths to remove; every one exists in {@code expectedHead}'s tree (the engine filters)
     * @param metadata its message carries the batch id trailer ({@link CommitTrailers}); a backend keeps the message
     *        as given, adding trailers only inside its trailer block
     * @return the new commit id, once durable
     * @throws HeadMovedException the branch no longer points at {@code expectedHead}; nothing was moved
     * @throws AmbiguousCommitException the request was sent and its answer lost (timeout, reset, 5xx, a GraphQL
     *         timeout): it may land later; the engine settles it by the batch id
     * @throws BackendException nothing was moved: retryable when waiting may help, else a refusal
     */
    String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, AmbiguousCommitException, BackendException;
}
