package dev.monkeytown.state.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/** A backend that can be taken down, made to lose every compare-and-swap, and watched. */
final class FlakyBranchBackend extends ForwardingBranchBackend {

    volatile boolean down;
    /** The backend goes down right after the next commit call, answered or not. */
    volatile boolean downAfterNextCommit;
    volatile boolean retryable = true;
    volatile boolean alwaysLoseTheRace;
    final AtomicInteger failNextCommits = new AtomicInteger();
    final AtomicInteger commitCalls = new AtomicInteger();
    final List<String> blobReaderThreads = new CopyOnWriteArrayList<>();

    FlakyBranchBackend(BranchBackend delegate) {
        super(delegate);
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        failIfDown();
        return super.readHead();
    }

    @Override
    public Map<String, String> readTree(String commitId) throws BackendException {
        failIfDown();
        return super.readTree(commitId);
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        failIfDown();
        blobReaderThreads.add(Thread.currentThread().getName());
        return super.readBlob(blobId);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        commitCalls.incrementAndGet();
        failIfDown();
        if (failNextCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new BackendException("503 from the test", null, retryable);
        }
        if (alwaysLoseTheRace) {
            throw new HeadMovedException("another writer, always first");
        }
        try {
            return super.commit(expectedHead, puts, deletes, metadata);
        } finally {
            if (downAfterNextCommit) {
                downAfterNextCommit = false;
                down = true;
            }
        }
    }

    private void failIfDown() throws BackendException {
        if (down) {
            throw new BackendException("backend down for the test", null, retryable);
        }
    }
}
