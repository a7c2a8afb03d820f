package dev.monkeytown.dispatcher.dispatch;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;

/** A store that can be read but takes no commit: a disk full, a token without write rights. */
final class RefusingWrites extends ForwardingBranchBackend {

    RefusingWrites(BranchBackend delegate) {
        super(delegate);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws BackendException {
        throw new BackendException("this store takes no writes (test)", null, true);
    }
}
