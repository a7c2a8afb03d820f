package dev.monkeytown.artifact.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.Workspace;

/** A workspace that remembers which paths a change wrote, so the catalog re-reads exactly those after the commit. */
public final class RecordingWorkspace implements Workspace {

    private final Workspace delegate;
    private final Set<String> touched = new TreeSet<>();

    RecordingWorkspace(Workspace delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Document> read(String path) {
        return delegate.read(path);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void put(String path, byte[] content) {
        touched.add(path);
        delegate.put(path, content);
    }

    @Override
    public void delete(String path) {
        touched.add(path);
        delegate.delete(path);
    }

    public <T> Optional<T> readJson(String path, Class<T> type) {
        return delegate.read(path).map(d -> CatalogJson.read(d.content(), type));
    }

    public void putJson(String path, Object record) {
        put(path, CatalogJson.write(record));
    }

    Set<String> touched() {
        return Set.copyOf(touched);
    }
}
