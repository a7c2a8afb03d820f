package dev.monkeytown.github.testdouble;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One repository held by the double: its objects and its refs. Ref moves are compare-and-swap, like GitHub's. */
public final class HostedRepository {

    private final String owner;
    private final String name;
    private final long id;
    private final GitObjects objects = new GitObjects();
    private final Map<String, String> refs = new ConcurrentHashMap<>();

    HostedRepository(String owner, String name, long id) {
        this.owner = owner;
        this.name = name;
        this.id = id;
    }

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

    /** Commit a full ref name ({@code refs/heads/x}) points at. */
    public Optional<String> ref(String fullRef) {
        return Optional.ofNullable(refs.get(fullRef));
    }

    /** Creates the ref; false if it exists. */
    public boolean createRef(String fullRef, String sha) {
        return refs.putIfAbsent(fullRef, sha) == null;
    }

    /** Moves the ref only if it still points at {@code expected}. */
    public boolean moveRef(String fullRef, String expected, String sha) {
        return refs.replace(fullRef, expected, sha);
    }

    /** Moves the ref unconditionally, as another writer (a person, another replica) would; for tests. */
    public void forceRef(String fullRef, String sha) {
        refs.put(fullRef, sha);
    }

    /** The files of the commit a ref points at: path to blob id; empty if the ref does not exist. */
    public Map<String, String> filesAt(String fullRef) {
        return ref(fullRef).flatMap(c -> objects.find(c, GitObjects.Commit.class))
                .map(c -> objects.flatten(c.tree())).orElse(Map.of());
    }
}
