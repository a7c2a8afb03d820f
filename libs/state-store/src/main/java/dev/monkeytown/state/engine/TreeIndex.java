package dev.monkeytown.state.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The files of one commit (path to blob id) as Git holds them: a tree of folders. Immutable and structurally shared:
 * {@link #with} rewrites only the folders on the edited paths and reuses every other folder of the old index, so a
 * commit touching k documents costs O(k · depth · folder width) whatever the size of the branch, and two snapshots of a
 * 50,000-document branch that differ in one document share all but a few folders.
 * <p>
 * Entries of a folder are kept in Git's order (a folder sorts as if its name ended with '/'), which for the ASCII
 * paths {@link StatePaths} allows is also the order of the full path strings, so walking the tree lists paths sorted.
 */
final class TreeIndex {

    static final TreeIndex EMPTY = new TreeIndex(Folder.EMPTY);

    private final Folder root;

    private TreeIndex(Folder root) {
        this.root = root;
    }

    static TreeIndex of(Map<String, String> files) {
        return EMPTY.with(files, List.of());
    }

    /** Number of documents. */
    int size() {
        return root.files;
    }

    /** The blob id of the document at {@code path}, or null. */
    String blobId(String path) {
        Folder folder = root;
        int start = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
            folder = folder.folder(path, start, slash);
            if (folder == null) {
                return null;
            }
            start = slash + 1;
        }
        int at = folder.find(path, start, path.length(), false);
        return at < 0 ? null : (String) folder.entries[at];
    }

    boolean containsDocument(String path) {
        return blobId(path) != null;
    }

    /** Whether {@code folder} (no trailing slash) holds at least one document. */
    boolean containsFolder(String folder) {
        return folderAt(folder + "/") != null;
    }

    /**
     * Calls {@code action} with path and blob id of every document under {@code folder} ("" for all, else ending with
     * '/'), in path order.
     */
    void forEachUnder(String folder, BiConsumer<String, String> action) {
        Folder start = folder.isEmpty() ? root : folderAt(folder);
        if (start != null) {
            start.forEach(new StringBuilder(folder), action);
        }
    }

    /** Paths under {@code folder}, in order. */
    List<String> pathsUnder(String folder) {
        List<String> paths = new ArrayList<>();
        forEachUnder(folder, (path, id) -> paths.add(path));
        return paths;
    }

    /** Identity of the folder object at {@code folder}: lets tests see that unchanged folders are shared. */
    Object folderIdentity(String folder) {
        return folderAt(folder);
    }

    /**
     * This index with {@code puts} (path to blob id) and {@code deletes} applied; a path both put and deleted is put.
     * Folders left empty disappear, as in Git.
     *
     * @throws IllegalArgumentException a document and a folder would share a name
     */
    TreeIndex with(Map<String, String> puts, Collection<String> deletes) {
        if (puts.isEmpty() && deletes.isEmpty()) {
            return this;
        }
        Edits edits = new Edits();
        deletes.forEach(path -> edits.at(path).files.putIfAbsent(fileName(path), null));
        puts.forEach((path, id) -> edits.at(path).files.put(fileName(path), id));
        Folder edited = root.apply(edits, "");
        return new TreeIndex(edited == null ? Folder.EMPTY : edited);
    }

    private Folder folderAt(String folderWithSlash) {
        Folder folder = root;
        int start = 0;
        for (int slash = folderWithSlash.indexOf('/'); slash >= 0 && folder != null; slash = folderWithSlash
                .indexOf('/', start)) {
            folder = folder.folder(folderWithSlash, start, slash);
            start = slash + 1;
        }
        return folder;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Edits below one folder, by name; a null file value is a delete. */
    private static final class Edits {
        final TreeMap<String, String> files = new TreeMap<>();
        final TreeMap<String, Edits> folders = new TreeMap<>();

        Edits at(String path) {
            Edits edits = this;
            int start = 0;
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
                edits = edits.folders.computeIfAbsent(path.substring(start, slash), name -> new Edits());
                start = slash + 1;
            }
            return edits;
        }
    }

    /**
     * One folder: names in Git order, each entry a blob id (String) or a sub-folder ({@link Folder}). {@code files}
     * counts the documents below, so {@link #size()} is free.
     */
    private static final class Folder {

        static final Folder EMPTY = new Folder(new String[0], new Object[0]);

        final String[] names;
        final Object[] entries;
        final int files;

        Folder(String[] names, Object[] entries) {
            this.names = names;
            this.entries = entries;
            int count = 0;
            for (Object entry : entries) {
                count += entry instanceof Folder folder ? folder.files : 1;
            }
            this.files = count;
        }

        Folder folder(String path, int from, int to) {
            int at = find(path, from, to, true);
            return at < 0 ? null : (Folder) entries[at];
        }

        /** Index of the entry named {@code path[from, to)} of the given kind, or a negative number. */
        int find(String path, int from, int to, boolean asFolder) {
            int low = 0;
            int high = names.length - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                int order = compare(names[middle], entries[middle] instanceof Folder, path, from, to, asFolder);
                if (order < 0) {
                    low = middle + 1;
                } else if (order > 0) {
                    high = middle - 1;
                } else {
                    return middle;
                }
            }
            return -(low + 1);
        }

        void forEach(StringBuilder prefix, BiConsumer<String, String> action) {
            int length = prefix.length();
            for (int i = 0; i < names.length; i++) {
                prefix.append(names[i]);
                if (entries[i] instanceof Folder folder) {
                    prefix.append('/');
                    folder.forEach(prefix, action);
                } else {
                    action.accept(prefix.toString(), (String) entries[i]);
                }
                prefix.setLength(length);
            }
        }

        /** This folder with {@code edits}, or null if nothing is left in it. */
        Folder apply(Edits edits, String where) {
            List<String> outNames = new ArrayList<>(names.length + edits.files.size() + edits.folders.size());
            List<Object> outEntries = new ArrayList<>(outNames.size());
            // Edits in Git order: files by name, folders by name + '/'.
            List<Object[]> sorted = new ArrayList<>();
            edits.files.forEach((name, id) -> sorted.add(new Object[]{name, id, Boolean.FALSE}));
            edits.folders.forEach((name, sub) -> sorted.add(new Object[]{name, sub, Boolean.TRUE}));
            sorted.sort((a, b) -> compare((String) a[0], (Boolean) a[2], (String) b[0], 0, ((String) b[0]).length(),
                    (Boolean) b[2]));
            int next = 0;
            for (Object[] edit : sorted) {
                String name = (String) edit[0];
                boolean folderEdit = (Boolean) edit[2];
                while (next < names.length && compare(names[next], entries[next] instanceof Folder, name, 0,
                        name.length(), folderEdit) < 0) {
                    outNames.add(names[next]);
                    outEntries.add(entries[next]);
                    next++;
                }
                boolean same = next < names.length && names[next].equals(name)
                        && (entries[next] instanceof Folder) == folderEdit;
                if (folderEdit) {
                    Folder current = same ? (Folder) entries[next] : EMPTY;
                    Folder edited = current.apply((Edits) edit[1], where + name + "/");
                    if (edited != null) {
                        outNames.add(name);
                        outEntries.add(edited);
                    }
                } else if (edit[1] != null) {
                    outNames.add(name);
                    outEntries.add(edit[1]);
                }
                if (same) {
                    next++;
                }
            }
            while (next < names.length) {
                outNames.add(names[next]);
                outEntries.add(entries[next]);
                next++;
            }
            if (new HashSet<>(outNames).size() != outNames.size()) {
                // Git cannot hold a document and a folder under one name; the workspace refuses such puts first
                throw new IllegalArgumentException("a document and a folder would share a name in folder '" + where
                        + "'");
            }
            return outNames.isEmpty()
                    ? null
                    : new Folder(outNames.toArray(String[]::new), outEntries.toArray());
        }

        /**
         * Git order of entry {@code a} (a folder if {@code aFolder}) against {@code b[from, to)}: names compare as
         * bytes, a folder's name as if followed by '/'.
         */
        private static int compare(String a, boolean aFolder, String b, int from, int to, boolean bFolder) {
            int aLength = a.length() + (aFolder ? 1 : 0);
            int bLength = to - from + (bFolder ? 1 : 0);
            int common = Math.min(aLength, bLength);
            for (int i = 0; i < common; i++) {
                char x = i < a.length() ? a.charAt(i) : '/';
                char y = from + i < to ? b.charAt(from + i) : '/';
                if (x != y) {
                    return x - y;
                }
            }
            return aLength - bLength;
        }

        @Override
        public String toString() {
            return "Folder" + Arrays.toString(names);
        }
    }
}
