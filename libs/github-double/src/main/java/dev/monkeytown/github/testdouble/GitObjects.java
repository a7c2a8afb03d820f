package dev.monkeytown.github.testdouble;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Git object database in memory, hashing objects exactly as Git does, so ids the double hands out are the ids GitHub
 * (or a local clone) would compute for the same content.
 */
public final class GitObjects {

    public sealed interface GitObject permits Blob, Tree, Commit {
        String sha();
    }

    public record Blob(String sha, byte[] content) implements GitObject {
    }

    /** One level of a tree; {@code type} is "blob" or "tree". */
    public record TreeEntry(String name, String mode, String type, String sha) {
    }

    public record Tree(String sha, List<TreeEntry> entries) implements GitObject {
    }

    public record Person(String name, String email, long epochSeconds) {
        String encoded() {
            return name + " <" + email + "> " + epochSeconds + " +0000";
        }
    }

    public record Commit(String sha, String tree, List<String> parents, Person author, Person committer, String message)
            implements
                GitObject {
    }

    private final Map<String, GitObject> objects = new ConcurrentHashMap<>();

    public Optional<GitObject> find(String sha) {
        return Optional.ofNullable(objects.get(sha));
    }

    public <T extends GitObject> Optional<T> find(String sha, Class<T> type) {
        return find(sha).filter(type::isInstance).map(type::cast);
    }

    public Blob writeBlob(byte[] content) {
        Blob blob = new Blob(hash("blob", content), content.clone());
        objects.putIfAbsent(blob.sha(), blob);
        return blob;
    }

    public Commit writeCommit(String tree, List<String> parents, Person author, Person committer, String message) {
        StringBuilder text = new StringBuilder("tree ").append(tree).append('\n');
        parents.forEach(p -> text.append("parent ").append(p).append('\n'));
        text.append("author ").append(author.encoded()).append('\n');
        text.append("committer ").append(committer.encoded()).append('\n');
        text.append('\n').append(message);
        Commit commit = new Commit(hash("commit", text.toString().getBytes(StandardCharsets.UTF_8)), tree,
                List.copyOf(parents), author, committer, message);
        objects.putIfAbsent(commit.sha(), commit);
        return commit;
    }

    /** Writes the trees for a flat path-to-blob map and returns the root tree. */
    public Tree writeTree(Map<String, String> blobsByPath) {
        SortedMap<String, String> files = new TreeMap<>();
        SortedMap<String, Map<String, String>> folders = new TreeMap<>();
        blobsByPath.forEach((path, sha) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                files.put(path, sha);
            } else {
                folders.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>()).put(path.substring(slash + 1),
                        sha);
            }
        });
        List<TreeEntry> entries = new ArrayList<>();
        files.forEach((name, sha) -> entries.add(new TreeEntry(name, "100644", "blob", sha)));
        folders.forEach((name, children) -> entries.add(new TreeEntry(name, "40000", "tree", writeTree(children).sha())));
        // Git orders entries by name, comparing a folder's name as if it ended with '/'
        entries.sort(Comparator.comparing(e -> e.type().equals("tree") ? e.name() + "/" : e.name()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (TreeEntry e : entries) {
            body.writeBytes((e.mode() + " " + e.name() + "\0").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(HexFormat.of().parseHex(e.sha()));
        }
        Tree tree = new Tree(hash("tree", body.toByteArray()), List.copyOf(entries));
        objects.putIfAbsent(tree.sha(), tree);
        return tree;
    }

    /** Every file below {@code treeSha}: path to blob id. */
    public Map<String, String> flatten(String treeSha) {
        Map<String, String> files = new TreeMap<>();
        flattenInto(treeSha, "", files);
        return files;
    }

    private void flattenInto(String treeSha, String prefix, Map<String, String> files) {
        Tree tree = find(treeSha, Tree.class).orElseThrow(() -> new IllegalStateException("no tree " + treeSha));
        for (TreeEntry e : tree.entries()) {
            if (e.type().equals("tree")) {
                flattenInto(e.sha(), prefix + e.name() + "/", files);
            } else {
                files.put(prefix + e.name(), e.sha());
            }
        }
    }

    static String hash(String type, byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update((type + " " + content.length + "\0").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
