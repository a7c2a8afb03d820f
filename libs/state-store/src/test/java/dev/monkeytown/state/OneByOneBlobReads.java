package dev.monkeytown.state;

import java.util.Optional;

import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * "Before" for the restart benchmarks: a backend exactly as it is, except that {@link BranchBackend#readBlobs} is left
 * to the SPI's default — one {@link #readBlob} per document, as the engine read documents before bulk reads existed.
 * {@link #existedBefore()} and {@link #isAncestor} are forwarded too, so the two variants differ in that one method.
 */
public final class OneByOneBlobReads extends ForwardingBranchBackend {

    public OneByOneBlobReads(BranchBackend delegate) {
        super(delegate);
    }

    @Override
    public boolean existedBefore() throws BackendException {
        return delegate.existedBefore();
    }

    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        return delegate.isAncestor(ancestor, descendant);
    }
}
