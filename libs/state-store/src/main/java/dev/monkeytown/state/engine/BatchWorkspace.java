package dev.monkeytown.state.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.Workspace;
import dev.monkeytown.state.engine.BranchView.Snapshot;
import dev.monkeytown.state.spi.BackendException;

/**
 * The edits of one batch, layered over a head snapshot. Each change runs in its own {@link ChangeWorkspace} that sees
 * the head plus the changes accepted before it; its edits join the batch only if its function returned normally, so a
 * change that throws midway leaves nothing behind.
 */
final class BatchWorkspace {

    private final Snapshot base;
    private final BlobSource blobs;
    /** Path to new content; a null value marks a delete. */
    private final TreeMap<String, byte[]> staged = new TreeMap<>();
    private BackendException backendFailure;

    BatchWorkspace(Snapshot base, BlobSource blobs) {
        this.base = base;
        this.blobs = blobs;
    }

    ChangeWorkspace open() {
        return new ChangeWorkspace();
    }

    /**
     * The backend failure hit while a change function read a document, if any. Recorded here too because a function
     * may catch the exception we throw into it, and the batch must then be retried rather than committed.
     */
    BackendException backendFailure() {
        return backendFailure;
    }

    /** Documents whose content differs from the head, in path order. */
    Map<String, byte[]> puts() {
        Map<String, byte[]> puts = new LinkedHashMap<>();
        staged.forEach((path, content) -> {
            if (content != null && !GitBlobId.of(content).equals(base.tree().blobId(path))) {
                puts.put(path, content);
            }
        });
        return puts;
    }

    /** Documents of the head that the batch removed. */
    Set<String> deletes() {
        Set<String> deletes = new LinkedHashSet<>();
        staged.forEach((path, content) -> {
            if (content == null && base.tree().containsDocument(path)) {
                deletes.add(path);
            }
        });
        return deletes;
    }

    /** Signals that a backend read failed inside a change function; never a reason to reject the change. */
    static final class BackendReadFailed extends RuntimeException {

        BackendReadFailed(BackendException cause) {
            super("could not read the branch: " + cause.getMessage(), cause);
        }
    }

    final class ChangeWorkspace implements Workspace {

        private final TreeMap<String, byte[]> own = new TreeMap<>();
        private boolean closed;

        /** Makes this change's edits part of the batch. */
        void accept() {
            closed = true;
            staged.putAll(own);
        }

        void discard() {
            closed = true;
        }

        @Override
        public Optional<Document> read(String path) {
            StatePaths.requireValid(path);
            requireOpen();
            byte[] content = contentOf(path);
            return content == null ? Optional.empty() : Optional.of(new Document(path, content.clone()));
        }

        @Override
        public List<String> list(String prefix) {
            String folder = StatePaths.requireValidFolder(prefix);
            requireOpen();
            List<String> paths = new ArrayList<>();
            Iterator<String> under = pathsUnder(folder);
            under.forEachRemaining(paths::add);
            return paths;
        }

        @Override
        public void put(String path, byte[] content) {
            StatePaths.requireValid(path);
            Objects.requireNonNull(content, "content");
            requireOpen();
            // Git cannot hold a document and a folder under one name: refuse instead of writing a broken tree.
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                if (exists(parent)) {
                    throw new IllegalArgumentException(
                            "cannot put " + path + ": " + parent + " is a document, not a folder");
                }
            }
            if (pathsUnder(path + "/").hasNext()) {
                throw new IllegalArgumentException("cannot put " + path + ": it is a folder");
            }
            own.put(path, content.clone());
        }

        @Override
        public void delete(String path) {
            StatePaths.requireValid(path);
            requireOpen();
            own.put(path, null);
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("the workspace is only valid while the change function runs");
            }
        }

        private boolean exists(String path) {
            if (own.containsKey(path)) {
                return own.get(path) != null;
            }
            if (staged.containsKey(path)) {
                return staged.get(path) != null;
            }
            return base.tree().containsDocument(path);
        }

        private byte[] contentOf(String path) {
            if (own.containsKey(path)) {
                return own.get(path);
            }
            if (staged.containsKey(path)) {
                return staged.get(path);
            }
            String blobId = base.tree().blobId(path);
            if (blobId == null) {
                return null;
            }
            try {
                return blobs.blob(blobId);
            } catch (BackendException e) {
                backendFailure = e;
                throw new BackendReadFailed(e);
            }
        }

        /** Paths that exist under {@code folder} ("" for all), in order, merging the three layers. */
        private Iterator<String> pathsUnder(String folder) {
            TreeSet<String> candidates = new TreeSet<>();
            base.tree().forEachUnder(folder, (path, id) -> candidates.add(path));
            addUnder(staged, folder, candidates);
            addUnder(own, folder, candidates);
            return candidates.stream().filter(this::exists).iterator();
        }

        private static void addUnder(NavigableMap<String, ?> layer, String folder, Set<String> into) {
            for (String path : layer.tailMap(folder, true).keySet()) {
                if (!path.startsWith(folder)) {
                    break;
                }
                into.add(path);
            }
        }
    }
}
