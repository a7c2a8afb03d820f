package dev.monkeytown.state;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/** Base of test decorators: forwards everything to the real backend. */
public abstract class ForwardingBranchBackend implements BranchBackend {

    protected final BranchBackend delegate;

    protected ForwardingBranchBackend(BranchBackend delegate) {
        this.delegate = delegate;
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
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        return delegate.history(head, base, limit);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        return delegate.commit(expectedHead, puts, deletes, metadata);
    }
}
