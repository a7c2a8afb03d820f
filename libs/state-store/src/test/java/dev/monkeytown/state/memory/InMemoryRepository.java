package dev.monkeytown.state.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * A Git host in memory: branches, commits and blobs with Git's blob ids, shared by any number of
 * {@link InMemoryBranchBackend}s like replicas sharing one repository. For fast engine tests.
 */
public final class InMemoryRepository {

    /** One commit: its tree (path to blob id), its parent and what the engine said about it. */
    public record Commit(String id, String parent, Map<String, String> tree, CommitMetadata metadata) {
    }

    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, Commit> commits = new HashMap<>();
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final java.util.Set<String> created = new java.util.HashSet<>();
    private long nextCommit = 1;

    public InMemoryBranchBackend branch(String service) {
        return new InMemoryBranchBackend(this, "refs/heads/" + StateBranch.branchFor(service));
    }

    /** Commits of a branch, newest first. */
    public synchronized List<Commit> log(String service) {
        List<Commit> log = new ArrayList<>();
        for (String id = refs.get("refs/heads/" + StateBranch.branchFor(service)); id != null; id = commits
                .get(id).parent()) {
            log.add(commits.get(id));
        }
        return log;
    }

    /** Deletes the branch, as an accident or an attacker would. */
    public synchronized void deleteBranch(String service) {
        refs.remove("refs/heads/" + StateBranch.branchFor(service));
    }

    /** Points the branch at an older commit, as a force-push would. */
    public synchronized void resetBranch(String service, String commitId) {
        refs.put("refs/heads/" + StateBranch.branchFor(service), commitId);
    }

    synchronized boolean wasCreated(String ref) {
        return created.contains(ref);
    }

    synchronized Optional<String> head(String ref) {
        return Optional.ofNullable(refs.get(ref));
    }

    synchronized Map<String, String> tree(String commitId) {
        Commit commit = commits.get(commitId);
        if (commit == null) {
            throw new IllegalArgumentException("no commit " + commitId);
        }
        return Map.copyOf(commit.tree());
    }

    synchronized byte[] blob(String blobId) {
        byte[] content = blobs.get(blobId);
        if (content == null) {
            throw new IllegalArgumentException("no blob " + blobId);
        }
        return content.clone();
    }

    synchronized History history(String head, Optional<String> base, int limit) {
        List<History.Commit> walked = new ArrayList<>();
        String id = head;
        while (id != null && !Optional.of(id).equals(base)) {
            if (walked.size() == limit) {
                return new History(walked, false);
            }
            Commit commit = commits.get(id);
            if (commit == null) {
                throw new IllegalArgumentException("no commit " + id);
            }
            walked.add(new History.Commit(id, commit.metadata().message()));
            id = commit.parent();
        }
        return new History(walked, base.isEmpty() || id != null);
    }

    synchronized String commit(String ref, Optional<String> expectedHead, Map<String, byte[]> puts,
            Set<String> deletes, CommitMetadata metadata) throws HeadMovedException {
        String head = refs.get(ref);
        if (!expectedHead.equals(Optional.ofNullable(head))) {
            throw new HeadMovedException(ref + " is at " + head + ", not " + expectedHead.orElse(null));
        }
        Map<String, String> tree = new HashMap<>(head == null ? Map.of() : commits.get(head).tree());
        deletes.forEach(tree::remove);
        puts.forEach((path, content) -> {
            String id = blobId(content);
            blobs.put(id, content.clone());
            tree.put(path, id);
        });
        if (head == null) {
            created.add(ref);
        }
        String id = String.format("%040x", nextCommit++);
        commits.put(id, new Commit(id, head, Map.copyOf(tree), metadata));
        refs.put(ref, id);
        return id;
    }

    private static String blobId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
