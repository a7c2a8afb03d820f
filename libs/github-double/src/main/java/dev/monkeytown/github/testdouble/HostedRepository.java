package dev.monkeytown.github.testdouble;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One repository held by the double: its objects, its refs and its Actions runs. Ref moves are compare-and-swap, like
 * GitHub's, on the primary; reads see refs through replicas that may lag ({@link GitHubDouble#lagReads}). The default
 * branch is {@code main}.
 */
public final class HostedRepository {

    private final String owner;
    private final String name;
    private final long id;
    private final GitObjects objects = new GitObjects();
    private final ReplicatedRefs refs;
    private final HostedActions actions;
    private final HostedIssues issues;
    private final HostedDeployments deployments;

    HostedRepository(String owner, String name, long id, LongSupplier ids, Supplier<Duration> readLag,
            BooleanSupplier lagNewCommits) {
        this.owner = owner;
        this.name = name;
        this.id = id;
        this.refs = new ReplicatedRefs(readLag, lagNewCommits);
        this.actions = new HostedActions(this, ids);
        this.issues = new HostedIssues(ids);
        this.deployments = new HostedDeployments(this, ids);
    }

    public static final String DEFAULT_BRANCH = "main";

    public String owner() {
        return owner;
    }

    public String name() {
        return name;
    }

    public String fullName() {
        return owner + "/" + name;
    }

    public long id() {
        return id;
    }

    public GitObjects objects() {
        return objects;
    }

    /** Commit a full ref name ({@code refs/heads/x}) points at: the truth, as writes see it. */
    public Optional<String> ref(String fullRef) {
        return refs.primary(fullRef);
    }

    /** Creates the ref; false if it exists. */
    public boolean createRef(String fullRef, String sha) {
        return refs.create(fullRef, sha);
    }

    /** Moves the ref only if it still points at {@code expected}. */
    public boolean moveRef(String fullRef, String expected, String sha) {
        return refs.move(fullRef, expected, sha);
    }

    /** Moves the ref unconditionally, as another writer (a person, another replica) would; for tests. */
    public void forceRef(String fullRef, String sha) {
        refs.force(fullRef, sha);
    }

    /** Deletes the ref, as a person with push rights (or an accident) would; for tests. */
    public void deleteRef(String fullRef) {
        refs.delete(fullRef);
    }

    /** The files of the commit a ref points at: path to blob id; empty if the ref does not exist. */
    public Map<String, String> filesAt(String fullRef) {
        return ref(fullRef).flatMap(c -> objects.find(c, GitObjects.Commit.class))
                .map(c -> objects.flatten(c.tree())).orElse(Map.of());
    }

    /** The workflow runs of this repository, and the controls a test uses to move them along. */
    public HostedActions actions() {
        return actions;
    }

    /** The deployments GitHub Actions made for workflow runs whose job names an environment. */
    public HostedDeployments deployments() {
        return deployments;
    }

    /** The issues of this repository (created, listed, closed and commented on through the Issues API). */
    public HostedIssues issues() {
        return issues;
    }

    /**
     * Commits {@code files} (path to UTF-8 content) on top of {@code branch}, creating the branch if needed, as a
     * person pushing would; for tests that declare agents and workflows. Returns the new commit id.
     */
    public synchronized String commitFiles(String branch, Map<String, String> files, String message) {
        String ref = "refs/heads/" + branch;
        Optional<String> parent = ref(ref);
        Map<String, String> tree = new TreeMap<>(filesAt(ref));
        files.forEach((path, content) -> tree.put(path,
                objects.writeBlob(content.getBytes(StandardCharsets.UTF_8)).sha()));
        GitObjects.Person author = new GitObjects.Person("Monkeytown Test", "test@monkeytown.dev",
                Instant.now().getEpochSecond());
        GitObjects.Commit commit = objects.writeCommit(objects.writeTree(tree).sha(),
                parent.map(List::of).orElse(List.of()), author, author, message);
        forceRef(ref, commit.sha());
        return commit.sha();
    }

    /** The commit a branch name, tag name or commit id means, as GitHub resolves a {@code ref} parameter. */
    public Optional<String> resolve(String refOrSha) {
        if (refOrSha.startsWith("refs/")) {
            return ref(refOrSha);
        }
        return ref("refs/heads/" + refOrSha).or(() -> ref("refs/tags/" + refOrSha))
                .or(() -> objects.find(refOrSha, GitObjects.Commit.class).map(GitObjects.Commit::sha));
    }

    /**
     * What a read (REST {@code git/ref}, contents, GraphQL) resolves a branch name, tag name, full ref or commit id to:
     * GitHub serves reads from replicas, which may not have seen the latest ref move yet.
     */
    public Optional<String> readersSee(String refOrSha) {
        if (refOrSha.startsWith("refs/")) {
            return refs.replica(refOrSha);
        }
        return refs.replica("refs/heads/" + refOrSha).or(() -> refs.replica("refs/tags/" + refOrSha))
                .or(() -> objects.find(refOrSha, GitObjects.Commit.class).map(GitObjects.Commit::sha)
                        .filter(refs::replicasKnow));
    }

    /** Whether a read of the commit by its id finds it: a commit just pushed may be unknown to replicas for a while. */
    public boolean readersKnow(String sha) {
        return refs.replicasKnow(sha);
    }

    /** The text of a file at a commit; empty if there is no such file. */
    public Optional<String> fileAt(String commitSha, String path) {
        return objects.find(commitSha, GitObjects.Commit.class)
                .map(c -> objects.flatten(c.tree()).get(path))
                .flatMap(blob -> objects.find(blob, GitObjects.Blob.class))
                .map(b -> new String(b.content(), StandardCharsets.UTF_8));
    }
}
