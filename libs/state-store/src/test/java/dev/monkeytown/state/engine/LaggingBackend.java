package dev.monkeytown.state.engine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/** Answers head reads from a replica that has not seen the last commit yet, for the next {@code lagReads} reads. */
final class LaggingBackend extends ForwardingBranchBackend {

    final AtomicInteger lagReads = new AtomicInteger();
    final AtomicInteger headReads = new AtomicInteger();
    private volatile Optional<String> beforeLastCommit = Optional.empty();

    LaggingBackend(BranchBackend delegate) {
        super(delegate);
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        headReads.incrementAndGet();
        if (lagReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return beforeLastCommit;
        }
        return super.readHead();
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        // what a lagging replica shows after this commit: the head it was made on, whether or not its answer came back
        beforeLastCommit = expectedHead;
        return super.commit(expectedHead, puts, deletes, metadata);
    }
}
