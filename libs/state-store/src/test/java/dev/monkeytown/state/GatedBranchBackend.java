package dev.monkeytown.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Holds the first commit in flight until {@link #release()}, so a test can queue changes behind it deterministically,
 * and records the metadata of every commit that reached the backend.
 */
public final class GatedBranchBackend extends ForwardingBranchBackend {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);
    private final List<CommitMetadata> committed = new CopyOnWriteArrayList<>();

    public GatedBranchBackend(BranchBackend delegate) {
        super(delegate);
    }

    /** Records commits without holding any. */
    public static GatedBranchBackend recording(BranchBackend delegate) {
        GatedBranchBackend backend = new GatedBranchBackend(delegate);
        backend.release();
        return backend;
    }

    /** Waits until the first commit is held. */
    public void awaitFirstCommit(Duration timeout) throws InterruptedException {
        if (!entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no commit reached the backend within " + timeout);
        }
    }

    public void release() {
        released.countDown();
    }

    /** Metadata of the commits that succeeded, oldest first. */
    public List<CommitMetadata> committed() {
        return List.copyOf(committed);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        if (first.compareAndSet(true, false)) {
            entered.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released the first commit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted", e, true);
            }
        }
        String id = super.commit(expectedHead, puts, deletes, metadata);
        committed.add(metadata);
        return id;
    }
}
