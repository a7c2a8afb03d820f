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
 * "Before" for the restart benchmark: the GitHub backend exactly as it is, except that it does not override
 * {@link BranchBackend#readBlobs}, so the SPI's default applies — one counted {@code GET .../git/blobs/<id>} per
 * document, as the engine read documents before bulk reads existed. Everything else is delegated, including
 * {@link #existedBefore()} and {@link #isAncestor}, so the two variants differ in that one method alone.
 */
final class OneByOneBlobReads implements BranchBackend {

    private final BranchBackend delegate;

    OneByOneBlobReads(BranchBackend delegate) {
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

    // readBlobs deliberately not overridden: BranchBackend's default reads one blob at a time through readBlob

    @Override
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        return delegate.history(head, base, limit);
    }

    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        return delegate.isAncestor(ancestor, descendant);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, AmbiguousCommitException, BackendException {
        return delegate.commit(expectedHead, puts, deletes, metadata);
    }
}
