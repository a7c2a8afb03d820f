package dev.monkeytown.build.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.build.engine.BuildBook;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.build.pipeline.SourceRepository;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.quarkus.WriterTakeover;

/**
 * Starts the build engine once this instance holds the state branch, and turns pushes into builds: the heads of the
 * branches pipelines build are polled, and a head that differs from the one the engine recorded on the state branch
 * queues an automatic build of the new commit (the engine decides, {@link BuildEngine#headSeen}, and folds a burst of
 * pushes into one build of the last). The recorded heads survive a restart, so a push made while build-service was
 * down is built when it comes back. A moved default branch re-reads {@code builds.yaml} first.
 *
 * <p>
 * GitHub mode: {@code push} webhooks ({@link #pushed}) bring the news at once, and the poll, spaced out to
 * {@code monkeytown.build.github.poll-interval} and made of conditional reads (free while nothing moved), catches a
 * delivery that was lost. A head that is not later than the recorded one (a replica that lags, a delivery overtaken by
 * a later one) is never taken for a push ({@link SourceRepository#isLater}).
 */
@Singleton
public class BuildLifecycle {

    private final BuildEngine engine;
    private final Pipelines pipelines;
    private final SourceRepository repository;
    private final BuildEvents events;
    private final BuildHistory history;
    private final BuildBook book;
    private final StateBranch branch;
    private final WriterTakeover takeover;
    /** Completes once a poll has had every watched head decided: a push after this is never taken for the baseline. */
    private final CompletableFuture<Void> watching = new CompletableFuture<>();
    /** Least time between two polls (GitHub mode: webhooks bring pushes, the poll is the backstop). */
    private final Duration pollSpacing;
    private Instant lastPoll = Instant.MIN;
    /** An earlier commit than the recorded head, read as a branch's head, and since when (poll thread only). */
    private record Behind(String sha, Instant since) {
    }

    private final Map<String, Behind> behind = new java.util.HashMap<>();
    private final Duration forcePushSettle;
    /** Where a push's decision goes on once the engine answered: never the engine's loop thread. */
    /**
     * Where push decisions go on once the engine answered, and the first poll runs: they may compare commits on GitHub
     * (blocking reads), so never the engine's loop thread nor {@code ForkJoinPool.commonPool()} (on one CPU a single
     * thread, shared by the whole JVM). Shut down when this instance stops or steps down.
     */
    private final java.util.concurrent.ExecutorService decisions;

    BuildLifecycle(BuildEngine engine, Pipelines pipelines, SourceRepository repository, BuildEvents events,
            BuildHistory history, BuildBook book, StateBranch branch, WriterTakeover takeover, BuildConfig config) {
        this.pollSpacing = repository instanceof dev.monkeytown.build.pipeline.LocalRepository
                ? Duration.ZERO
                : config.github().pollInterval();
        this.engine = engine;
        this.pipelines = pipelines;
        this.repository = repository;
        this.events = events;
        this.history = history;
        this.book = book;
        this.branch = branch;
        this.takeover = takeover;
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.decisions = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "build-push-decision-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.forcePushSettle = config.github().forcePushSettle();
    }

    /** Called once at start by {@link BuildStartup}, when this instance runs builds. */
    void start() {
        events.watch(engine);
        takeover.held().thenRun(() -> {
            loadHistory();
            // the pipelines first: the engine's first reconciliation looks attempts up by their pipeline's workflow
            try {
                pipelines.refresh();
            } catch (IOException | RuntimeException e) {
                Log.warnf("Could not read builds.yaml before starting; read again at the first poll: %s",
                        e.toString());
            }
            engine.start();
        });
        // off the engine's loop thread, which completes restored(): the poll reads Git
        engine.restored().thenRunAsync(() -> {
            engine.view().streaks().keySet().forEach(events::watchStreak);
            poll();
        }, decisions);
    }

    /** Stops deciding pushes (this instance stops, or another took the state branch over). */
    @jakarta.annotation.PreDestroy
    void stop() {
        decisions.shutdownNow();
    }

    /** Completes once the watched branches' heads have been read and decided on at least once (for readiness). */
    CompletableFuture<Void> watching() {
        return watching;
    }

    private void loadHistory() {
        try {
            history.addAll(book.history(branch, BuildBook.HISTORY));
        } catch (RuntimeException e) {
            Log.warnf("Could not list the recorded builds; the list starts with the builds from now on: %s",
                    e.toString());
        }
    }

    /** Every {@code monkeytown.build.poll-interval}, through {@link BuildStartup}; nothing before the engine is restored. */
    synchronized void poll() {
        if (!engine.restored().isDone()) {
            return;
        }
        Instant now = Instant.now();
        if (watching.isDone() && now.isBefore(lastPoll.plus(pollSpacing))) {
            return;
        }
        lastPoll = now;
        try {
            pipelines.refresh();
        } catch (IOException | RuntimeException e) {
            Log.warnf("Could not re-read builds.yaml; watching the branches declared before: %s", e.toString());
        }
        TreeSet<String> watched = new TreeSet<>();
        pipelines.catalog().pipelines().values().stream().map(Pipeline::branches).forEach(watched::addAll);
        Map<String, String> recorded = engine.view().heads();
        List<CompletableFuture<?>> decided = new ArrayList<>();
        for (String name : watched) {
            String sha;
            String tree;
            try {
                Optional<SourceRepository.Commit> head = repository.head(name);
                sha = head.map(SourceRepository.Commit::sha).orElse("");
                tree = head.map(SourceRepository.Commit::tree).orElse("");
                // a missing branch is recorded once, so that its first commit later is a push; a branch that
                // disappears keeps the head it had
                if (sha.equals(recorded.get(name)) || (sha.isEmpty() && recorded.containsKey(name))) {
                    behind.remove(name);
                    continue;
                }
                String known = recorded.getOrDefault(name, "");
                if (!known.isEmpty() && !sha.isEmpty() && !repository.isLater(known, sha)) {
                    if (!forcePushedBack(name, sha, now)) {
                        continue; // a stale read (the recorded head is later), or a force-push not confirmed yet
                    }
                    if (name.equals(pipelines.defaultBranch())) {
                        pipelines.refreshAt(sha, known);
                    }
                } else {
                    behind.remove(name);
                }
            } catch (IOException | RuntimeException e) {
                // one unreadable branch must not keep the others (or readiness) waiting
                Log.warnf("Could not read branch %s of the repository: %s", name, e.toString());
                continue;
            }
            // applied only if the recorded head is still the one compared with (a push webhook may cross this read)
            decided.add(engine.headSeenIfRecorded(name, sha, tree, recorded.getOrDefault(name, ""))
                    .whenComplete((queued, failure) -> {
                        if (failure != null) {
                            Log.warnf("The head of %s (%s) could not be recorded: %s; it is read again at the next poll",
                                    name, sha.isEmpty() ? "absent" : sha, failure.toString());
                        }
                    }));
        }
        // decided, whether recorded or failed: a failure is retried at the next poll and logged, readiness is not held
        CompletableFuture.allOf(decided.toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> watching.complete(null));
    }

    /**
     * Whether {@code sha}, read as the head of {@code branch} although it is earlier than the recorded head, is the
     * branch force-pushed back to it rather than a replica that lags: the same earlier commit read again after
     * {@code monkeytown.build.github.force-push-settle} (far longer than GitHub's replicas lag). Then it is decided as a
     * push webhook saying {@code before} = the recorded head decides it, so both paths build the same commits.
     */
    private boolean forcePushedBack(String branch, String sha, Instant now) {
        Behind seen = behind.get(branch);
        if (seen == null || !seen.sha().equals(sha)) {
            behind.put(branch, new Behind(sha, now));
            return false;
        }
        if (now.isBefore(seen.since().plus(forcePushSettle))) {
            return false;
        }
        behind.remove(branch);
        Log.infof("Branch %s stayed at %s, earlier than the head acted on, for %s: taken for a force-push back",
                branch, sha, forcePushSettle);
        return true;
    }

    /**
     * A verified {@code push} webhook (GitHub mode): {@code branch} moved from {@code before} to {@code after}, whose
     * tree is {@code tree}. The default branch re-reads {@code builds.yaml} at {@code after}; a branch a pipeline builds
     * goes to the engine as the poll's reads do. Completes once recorded (or at once when nothing is to be done), so
     * that a push that could not be recorded is answered with a failure and delivered again.
     *
     * @return the pipelines a build was queued (or moved to the new commit) for
     */
    public CompletableFuture<List<String>> pushed(String branchName, String before, String after, String tree) {
        if (!engine.restored().isDone()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "build-service is still restoring its builds; deliver the push again shortly"));
        }
        String treeOfAfter;
        try {
            if (branchName.equals(pipelines.defaultBranch())) {
                pipelines.refreshAt(after, before); // a force-push back is read there, as its builds are queued
            }
            boolean watched = pipelines.catalog().pipelines().values().stream()
                    .anyMatch(p -> p.branches().contains(branchName));
            if (!watched) {
                return CompletableFuture.completedFuture(List.of());
            }
            treeOfAfter = tree == null || tree.isBlank() ? repository.tree(after) : tree;
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(unreadable(e));
        }
        return decide(branchName, before, after, treeOfAfter, 3);
    }

    /** Decides against the recorded head, again if a poll recorded another meanwhile. */
    private CompletableFuture<List<String>> decide(String branchName, String before, String after, String tree,
            int tries) {
        String known = engine.view().heads().getOrDefault(branchName, "");
        try {
            if (!known.isEmpty() && !known.equals(before) && !repository.isLater(known, after)) {
                return CompletableFuture.completedFuture(List.of()); // overtaken by a later push already acted on
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(unreadable(e));
        }
        // async: the engine's loop thread completes the answer, and a retry compares commits on GitHub, which must
        // not block the loop (the same pool the first poll runs on)
        return engine.headSeenIfRecorded(branchName, after, tree, known).thenComposeAsync(decided -> decided
                .map(builds -> CompletableFuture.completedFuture(
                        builds.stream().map(b -> b.pipeline()).distinct().sorted().toList()))
                .orElseGet(() -> tries > 1
                        ? decide(branchName, before, after, tree, tries - 1)
                        : CompletableFuture.failedFuture(new IllegalStateException(
                                "the branch's head kept moving while the push was decided; deliver it again"))),
                decisions);
    }

    /** Not being able to read the repository is a passing failure: the push is answered 503 and delivered again. */
    private static IllegalStateException unreadable(Exception e) {
        return new IllegalStateException("the repository could not be read to act on the push (" + e.getMessage()
                + "); nothing was recorded", e);
    }
}
