package dev.monkeytown.state.github.bench;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Forwards everything and times {@link #commit}: splits a commit's latency into the backend's part (locally the pack,
 * fsyncs and ref; on GitHub the request, including the host's own work) and the engine's (batching, change functions,
 * blob ids, the new {@code TreeIndex}, acknowledgement).
 */
final class TimedBackend extends ForwardingBranchBackend {

    private volatile long lastCommitNanos;

    TimedBackend(BranchBackend delegate) {
        super(delegate);
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
    public boolean existedBefore() throws BackendException {
        return delegate.existedBefore();
    }

    @Override
    public Map<String, byte[]> readBlobs(Collection<String> blobIds) throws BackendException {
        return delegate.readBlobs(blobIds);
    }

    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        return delegate.isAncestor(ancestor, descendant);
    }
}
