package dev.monkeytown.state.github.bench;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * Delegates everything and times {@link #commit}: splits a commit's latency into the backend's part (locally the pack,
 * fsyncs and ref; on GitHub the request, including the host's own work) and the engine's (batching, change functions,
 * blob ids, the new {@code TreeIndex}, acknowledgement).
 */
final class TimedBackend implements BranchBackend {

    private final BranchBackend delegate;
    private volatile long lastCommitNanos;

    TimedBackend(BranchBackend delegate) {
        this.delegate = delegate;
    }

    /** How long the last {@link #commit} took; read after its caller was acknowledged. */
    long lastCommitNanos() {
        return lastCommitNanos;
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, AmbiguousCommitException, BackendException {
        long start = System.nanoTime();
        try {
            return delegate.commit(expectedHead, puts, deletes, metadata);
        } finally {
            lastCommitNanos = System.nanoTime() - start;
        }
    }

    @Override
    public String ref() {
        return delegate.ref();
    }

    @Override
    public Optional<String> impairment() {
        return delegate.impairment();
    }

    @Override
    public boolean existedBefore() throws BackendException {
        return delegate.existedBefore();
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        return delegate.readHead();
    }

    @Override
    public Map<String, String> readTree(String commitId) throws BackendException {
        return delegate.readTree(commitId);
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        return delegate.readBlob(blobId);
    }

    @Override
    public Map<String, byte[]> readBlobs(java.util.Collection<String> blobIds) throws BackendException {
        return delegate.readBlobs(blobIds);
    }

    @Override
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        return delegate.history(head, base, limit);
    }

    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        return delegate.isAncestor(ancestor, descendant);
    }
}
