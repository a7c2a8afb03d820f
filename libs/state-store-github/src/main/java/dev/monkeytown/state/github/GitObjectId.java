package dev.monkeytown.state.github;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * Git's object ids, computed locally: the backend knows a new commit's blob ids and root tree id without asking
 * GitHub, which is also how it recognises its own commit after a write whose answer was lost.
 */
final class GitObjectId {

    private GitObjectId() {
    }

    static String blob(byte[] content) {
        return hash(Constants.OBJ_BLOB, content);
    }

    /** Root tree id of files (path to blob id), all regular files (mode 100644) as state branches hold. */
    static String tree(Map<String, String> blobsByPath) {
        Map<String, String> files = new TreeMap<>();
        Map<String, Map<String, String>> folders = new TreeMap<>();
        blobsByPath.forEach((path, id) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                files.put(path, id);
            } else {
                folders.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>()).put(path.substring(slash + 1),
                        id);
            }
        });
        record Entry(String mode, String name, String id, String sortKey) {
        }
        List<Entry> entries = new ArrayList<>();
        files.forEach((name, id) -> entries.add(new Entry("100644", name, id, name)));
        // Git sorts a folder as if its name ended with '/'
        folders.forEach((name, children) -> entries.add(new Entry("40000", name, tree(children), name + "/")));
        entries.sort(Comparator.comparing(Entry::sortKey));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Entry e : entries) {
            body.writeBytes((e.mode() + " " + e.name() + "\0").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(HexFormat.of().parseHex(e.id()));
        }
        return hash(Constants.OBJ_TREE, body.toByteArray());
    }

    /** JGit's formatter frames and hashes the object; a new one per call because it reuses its digest. */
    private static String hash(int type, byte[] content) {
        try (ObjectInserter.Formatter formatter = new ObjectInserter.Formatter()) {
            return formatter.idFor(type, content).name();
        }
    }
}
