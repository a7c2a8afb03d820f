package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Writes the tree of a new commit by rewriting only the folders on changed paths: a commit touching 3 documents of a
 * 100,000-document branch reads and writes a handful of trees, not the whole index. Each rewritten folder is one
 * merge pass over its (sorted) entries and the (sorted) edits, copying untouched entries as raw bytes.
 */
final class TreeEditor {

    private final ObjectReader reader;
    private final ObjectInserter inserter;
    private final ObjectChecker checker = new ObjectChecker();

    private TreeEditor(ObjectReader reader, ObjectInserter inserter) {
        this.reader = reader;
        this.inserter = inserter;
    }

    /**
     * @param baseTree the tree to edit, or null to start from an empty one
     * @param puts path to new content; a path both put and deleted is put
     * @throws IllegalArgumentException the edits would make an invalid tree, e.g. a document and a folder with one
     *         name
     */
    static ObjectId apply(ObjectReader reader, ObjectInserter inserter, ObjectId baseTree, Map<String, byte[]> puts,
            Set<String> deletes) throws IOException {
        Folder root = new Folder();
        deletes.stream().filter(path -> !puts.containsKey(path))
                .forEach(path -> root.folderOf(path).edit(fileName(path), Edit.Kind.DELETE, null));
        puts.forEach((path, content) -> root.folderOf(path).edit(fileName(path), Edit.Kind.PUT, content));
        ObjectId tree = new TreeEditor(reader, inserter).write(baseTree, root);
        return tree != null ? tree : inserter.insert(new TreeFormatter());
    }

    /** The new id of {@code tree} with {@code changes}, or null if nothing is left in it. */
    private ObjectId write(ObjectId tree, Folder changes) throws IOException {
        List<Edit> edits = changes.sortedEdits();
        CanonicalTreeParser existing = tree == null
                ? new CanonicalTreeParser()
                : new CanonicalTreeParser(null, reader, tree);
        TreeFormatter out = new TreeFormatter();
        boolean empty = true;
        int next = 0;
        while (!existing.eof() || next < edits.size()) {
            Edit edit = next < edits.size() ? edits.get(next) : null;
            int order = existing.eof() ? 1 : edit == null ? -1 : compare(existing, edit.key);
            if (order < 0) {
                out.append(existing.getEntryPathBuffer(), existing.getNameOffset(), existing.getNameLength(),
                        existing.getEntryFileMode(), existing.idBuffer(), existing.idOffset());
                empty = false;
                existing.next();
                continue;
            }
            // Equal keys mean same name and same kind: a document for PUT/DELETE, a folder for FOLDER.
            ObjectId current = order == 0 ? existing.getEntryObjectId() : null;
            switch (edit.kind) {
                case PUT -> {
                    out.append(edit.name, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, edit.content));
                    empty = false;
                }
                case DELETE -> {
                }
                case FOLDER -> {
                    ObjectId subTree = write(current, edit.folder);
                    if (subTree != null) {
                        out.append(edit.name, FileMode.TREE, subTree);
                        empty = false;
                    }
                }
            }
            if (order == 0) {
                existing.next();
            }
            next++;
        }
        if (empty) {
            return null;
        }
        byte[] raw = out.toByteArray();
        try {
            // Catches what a merge cannot see, such as a new document named like an existing folder.
            checker.checkTree(raw);
        } catch (CorruptObjectException e) {
            throw new IllegalArgumentException("edits would write an invalid tree: " + e.getMessage(), e);
        }
        return inserter.insert(Constants.OBJ_TREE, raw);
    }

    /** Git order: name bytes, a folder comparing as if its name ended with '/'. */
    private static int compare(CanonicalTreeParser entry, byte[] key) {
        byte[] buffer = entry.getEntryPathBuffer();
        int offset = entry.getNameOffset();
        int length = entry.getNameLength();
        boolean folder = FileMode.TREE.equals(entry.getEntryRawMode());
        int keyLength = folder ? length + 1 : length;
        for (int i = 0; i < Math.min(keyLength, key.length); i++) {
            int a = i < length ? buffer[offset + i] & 0xff : '/';
            int b = key[i] & 0xff;
            if (a != b) {
                return a - b;
            }
        }
        return keyLength - key.length;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static final class Edit {
        enum Kind {
            PUT, DELETE, FOLDER
        }

        final String name;
        final Kind kind;
        final byte[] key;
        final byte[] content;
        final Folder folder;

        Edit(String name, Kind kind, byte[] content, Folder folder) {
            this.name = name;
            this.kind = kind;
            this.content = content;
            this.folder = folder;
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            this.key = kind == Kind.FOLDER ? Arrays.copyOf(utf8, utf8.length + 1) : utf8;
            if (kind == Kind.FOLDER) {
                key[utf8.length] = '/';
            }
        }
    }

    /** The changes under one folder, by name. */
    private static final class Folder {
        private final Map<String, Folder> folders = new HashMap<>();
        private final Map<String, Edit> files = new HashMap<>();

        Folder folderOf(String path) {
            Folder folder = this;
            int start = 0;
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
                folder = folder.folders.computeIfAbsent(path.substring(start, slash), name -> new Folder());
                start = slash + 1;
            }
            return folder;
        }

        void edit(String name, Edit.Kind kind, byte[] content) {
            files.put(name, new Edit(name, kind, content, null));
        }

        List<Edit> sortedEdits() {
            List<Edit> edits = new ArrayList<>(files.values());
            folders.forEach((name, folder) -> edits.add(new Edit(name, Edit.Kind.FOLDER, null, folder)));
            edits.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
            return edits;
        }
    }
}
