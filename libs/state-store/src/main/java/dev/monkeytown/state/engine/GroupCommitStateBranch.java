package dev.monkeytown.state.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.engine.BranchView.Snapshot;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * A {@link StateBranch} over any {@link BranchBackend}, writing with group commits.
 * <p>
 * One committer thread per branch takes every change queued so far (up to {@link StateBranchOptions#maxBatchSize()})
 * and writes them as one commit; changes arriving meanwhile wait for the next one. A disk or GitHub round trip thus
 * costs once per batch instead of once per change, which is what lets a branch absorb bursts. Reads are served from
 * the in-memory view of the head; only documents not loaded yet cost a backend call, made on the branch's worker
 * threads.
 * <p>
 * Every queue is bounded: changes beyond {@link StateBranchOptions#maxPendingChanges()} and reads beyond
 * {@link StateBranchOptions#maxPendingReads()} fail at once with {@link StateUnavailableException}. Callers are
 * acknowledged on threads of their own, so an acknowledgement never waits behind reads of a slow backend, and at most
 * one refresh of the head is in flight: readiness probes that time out do not pile up.
 */
public final class GroupCommitStateBranch implements StateBranch, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitStateBranch.class.getName());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String service;
    private final StateBranchOptions options;
    private final BranchBackend backend;
    private final BranchView view;
    private final StatsRecorder stats = new StatsRecorder();
    private final BlockingQueue<PendingChange> queue;
    private final ExecutorService workers;
    private final ExecutorService acknowledgements;
    private final AtomicReference<CompletableFuture<Void>> refreshing = new AtomicReference<>();
    private final BatchCommitter committer;
    private final Thread committerThread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private boolean closed;

    public GroupCommitStateBranch(String service, BranchBackend backend, StateBranchOptions options) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        this.service = service;
        this.options = options;
        this.backend = backend;
        this.queue = new LinkedBlockingQueue<>(options.maxPendingChanges());
        this.view = new BranchView(backend, new ObjectCache(options.objectCacheBytes()),
                new HeadWatch(backend, options.lagTolerance(), options.clock()),
                options.clock());
        this.workers = pool("state-" + service + "-worker", options.workerThreads(), options.maxPendingReads());
        // bounded by the pending changes they acknowledge; a full queue makes the committer complete them itself
        this.acknowledgements = pool("state-" + service + "-ack", 2, options.maxPendingChanges() + options.maxBatchSize());
        this.committer = new BatchCommitter(view, options, options.committerFor(service), stats, acknowledgements,
                this::pause);
        this.committerThread = new Thread(this::commitLoop, "state-" + service + "-committer");
        committerThread.setDaemon(true);
        committerThread.start();
    }

    @Override
    public String service() {
        return service;
    }

    /**
     * Whether the branch head has been read at least once, so reads can be answered from memory even while the backend
     * is unreachable.
     */
    public boolean hasView() {
        return view.peek() != null;
    }

    @Override
    public Uni<Optional<Document>> read(String path) {
        StatePaths.requireValid(path);
        Snapshot snapshot = view.peek();
        if (snapshot != null) {
            String blobId = snapshot.tree().blobId(path);
            if (blobId == null) {
                return Uni.createFrom().item(Optional.empty());
            }
            byte[] cached = view.cachedBlob(blobId);
            if (cached != null) {
                return Uni.createFrom().item(Optional.of(new Document(path, cached.clone())));
            }
        }
        return blocking(() -> {
            String blobId = loaded().tree().blobId(path);
            return blobId == null ? Optional.empty() : Optional.of(new Document(path, view.blob(blobId).clone()));
        });
    }

    @Override
    public Uni<List<Document>> list(String prefix) {
        return list(List.of(prefix));
    }

    /** Paths from the view's tree: no document is read. */
    @Override
    public Uni<List<String>> paths(String prefix) {
        String folder = StatePaths.requireValidFolder(prefix);
        Snapshot snapshot = view.peek();
        return snapshot != null
                ? Uni.createFrom().item(snapshot.tree().pathsUnder(folder))
                : blocking(() -> loaded().tree().pathsUnder(folder));
    }

    /** Documents under all {@code folders}; those not in memory are loaded with one bulk read of the backend. */
    @Override
    public Uni<List<Document>> list(Collection<String> folders) {
        List<String> valid = folders.stream().map(StatePaths::requireValidFolder).distinct().toList();
        Snapshot snapshot = view.peek();
        List<Document> cached = snapshot == null ? null : view.cachedDocuments(snapshot, valid);
        return cached != null ? Uni.createFrom().item(cached) : blocking(() -> view.documents(loaded(), valid));
    }

    @Override
    public Uni<CommitReceipt> apply(Change change) {
        requireValid(change);
        // Lazy like any Uni: the change is queued on subscription, so re-subscribing (e.g. a retry) applies it again.
        return Uni.createFrom().completionStage(() -> enqueue(change));
    }

    /**
     * Re-reads the head. At most one refresh is in flight: a caller arriving meanwhile shares its outcome, so probes
     * that give up early (readiness) never stack up requests or threads.
     */
    @Override
    public Uni<Void> refresh() {
        return Uni.createFrom().completionStage(this::sharedRefresh);
    }

    private CompletableFuture<Void> sharedRefresh() {
        while (true) {
            CompletableFuture<Void> running = refreshing.get();
            if (running != null) {
                return running.copy();
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (refreshing.compareAndSet(null, mine)) {
                // cleared before completing: a caller resuming on completion must start a new read, not join this one
                CompletableFuture<Void> outcome = new CompletableFuture<>();
                outcome.whenComplete((ok, failure) -> {
                    refreshing.compareAndSet(mine, null);
                    if (failure != null) {
                        mine.completeExceptionally(failure);
                    } else {
                        mine.complete(null);
                    }
                });
                submit(() -> {
                    try {
                        view.refresh();
                        outcome.complete(null);
                    } catch (BackendException e) {
                        outcome.completeExceptionally(unavailable(e));
                    } catch (RuntimeException e) {
                        outcome.completeExceptionally(e);
                    }
                }, outcome);
                return mine.copy();
            }
        }
    }

    /** What the branch knows about its backend right now, without any I/O: for readiness and metrics. */
    public BranchHealth health() {
        Snapshot snapshot = view.peek();
        BranchView.Contact contact = view.contact();
        return new BranchHealth(snapshot != null, snapshot == null ? null : snapshot.head(),
                snapshot == null ? 0 : snapshot.tree().size(), view.alarm(), contact.lastAnswer(),
                contact.lastFailure(), contact.lastFailureReason(), backend.impairment(), queue.size(),
                view.cachedBytes());
    }

    public StateBranchStats stats() {
        return stats.snapshot();
    }

    /**
     * Stops taking changes, commits those already queued (giving up at once on an unreachable backend) and stops the
     * branch's threads.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing.countDown();
        try {
            committerThread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (committerThread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "state branch {0}: committer still busy after {1}, leaving it",
                    service, CLOSE_TIMEOUT);
        }
        workers.shutdown();
        acknowledgements.shutdown();
    }

    private CompletableFuture<CommitReceipt> enqueue(Change change) {
        CompletableFuture<CommitReceipt> caller = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (closed) {
                caller.completeExceptionally(new StateUnavailableException("state branch " + service + " is closed",
                        null));
                return caller;
            }
            if (!queue.offer(new PendingChange(change, caller,
                    System.nanoTime() + options.unavailableWait().toNanos()))) {
                caller.completeExceptionally(new StateUnavailableException("state branch " + service + " has "
                        + options.maxPendingChanges() + " changes waiting already; try again shortly", null));
            }
        }
        return caller;
    }

    private void commitLoop() {
        List<PendingChange> batch = new ArrayList<>();
        while (true) {
            PendingChange first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (isClosed() && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, options.maxBatchSize() - 1);
            // A caller that cancelled before its batch started is not committed behind its back.
            batch.removeIf(pending -> pending.caller().isDone());
            if (batch.isEmpty()) {
                continue;
            }
            try {
                committer.process(batch);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "state branch " + service + ": batch failed unexpectedly", e);
                batch.forEach(pending -> pending.caller()
                        .completeExceptionally(new StateUnavailableException("state engine failed", e)));
            }
        }
    }

    private boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    /** The committer's pause between attempts; cut short (returning false) when the branch closes. */
    private boolean pause(Duration duration) {
        try {
            return !closing.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Snapshot loaded() throws BackendException {
        Snapshot snapshot = view.peek();
        return snapshot != null ? snapshot : view.refresh();
    }

    /**
     * Runs backend work on the branch's workers. A caller that gave up (a readiness probe's timeout cancels its
     * subscription) is not told the late result: emitting a failure nobody waits for would make Mutiny log it as a
     * dropped exception, an ERROR with a stack trace on every probe during an outage.
     */
    private <T> Uni<T> blocking(Callable<T> work) {
        return Uni.createFrom().<T>emitter(emitter -> {
            // set by a cancellation; completion cannot set it first because we only look before completing
            AtomicBoolean abandoned = new AtomicBoolean();
            emitter.onTermination(() -> abandoned.set(true));
            CompletableFuture<T> outcome = new CompletableFuture<>();
            outcome.whenComplete((result, failure) -> {
                if (abandoned.get()) {
                    return;
                }
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(result);
                }
            });
            submit(() -> {
                if (abandoned.get()) {
                    outcome.cancel(false);
                    return;
                }
                try {
                    outcome.complete(work.call());
                } catch (BackendException e) {
                    outcome.completeExceptionally(unavailable(e));
                } catch (RuntimeException e) {
                    outcome.completeExceptionally(e);
                } catch (Exception e) {
                    outcome.completeExceptionally(new IllegalStateException(e));
                }
            }, outcome);
        });
    }

    /** Runs {@code work} on a worker, or fails {@code outcome} at once if every worker and queue slot is taken. */
    private void submit(Runnable work, CompletableFuture<?> outcome) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            outcome.completeExceptionally(new StateUnavailableException("state branch " + service + " has "
                    + options.maxPendingReads() + " reads waiting already; try again shortly", e));
        }
    }

    private static StateUnavailableException unavailable(BackendException e) {
        return new StateUnavailableException("state backend unavailable: " + e.getMessage(), e);
    }

    private static void requireValid(Change change) {
        if (change == null || change.edits() == null) {
            throw new IllegalArgumentException("a change needs an edits function");
        }
        if (change.message() == null || change.message().isBlank()) {
            throw new IllegalArgumentException("a change needs a message: it becomes the commit message");
        }
        requireValid(change.actor());
    }

    /** Actors become Git identities ({@code name <email>}), which cannot hold angle brackets or line breaks. */
    private static void requireValid(Actor actor) {
        if (actor == null || isBlankOrUnsafe(actor.name()) || isBlankOrUnsafe(actor.email())) {
            throw new IllegalArgumentException("a change needs an actor with a name and an email without <, > "
                    + "or line breaks: " + actor);
        }
    }

    private static boolean isBlankOrUnsafe(String value) {
        return value == null || value.isBlank() || value.chars().anyMatch(c -> c == '<' || c == '>' || c < 0x20);
    }

    private static ExecutorService pool(String name, int threads, int queued) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queued), task -> {
                    Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
