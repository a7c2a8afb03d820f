package dev.monkeytown.state.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Loses the answer to the next commits as GitHub does when a request times out: the client hears nothing, while the
 * host applies the commit later ({@code landAfter}), or never ({@code null}). The commit lands only if the head is
 * still the expected one by then, as on GitHub.
 */
final class LateLandingBackend extends ForwardingBranchBackend {

    final AtomicInteger loseNextAnswers = new AtomicInteger();
    volatile Duration landAfter = Duration.ZERO;
    final AtomicInteger landedLate = new AtomicInteger();
    final AtomicInteger commitCalls = new AtomicInteger();

    LateLandingBackend(BranchBackend delegate) {
        super(delegate);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        commitCalls.incrementAndGet();
        if (loseNextAnswers.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return super.commit(expectedHead, puts, deletes, metadata);
        }
        Instant sent = Instant.now();
        Duration delay = landAfter;
        if (delay != null) {
            CompletableFuture.runAsync(() -> {
                try {
                    super.commit(expectedHead, puts, deletes, metadata);
                    landedLate.incrementAndGet();
                } catch (HeadMovedException | BackendException e) {
                    // the host refused it after all: the head had moved
                }
            }, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
        }
        throw new AmbiguousCommitException("read timed out (test)", null, sent);
    }
}
