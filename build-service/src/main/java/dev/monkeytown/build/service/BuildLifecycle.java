package dev.monkeytown.build.service;

import java.io.IOException;
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
import dev.monkeytown.build.pipeline.LocalRepository;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.quarkus.WriterTakeover;

/**
 * Starts the build engine once this instance holds the state branch, and turns local pushes into builds: the heads of
 * the branches pipelines build are polled, and a head that differs from the one the engine recorded on the state branch
 * queues an automatic build of the new commit (the engine decides, {@link BuildEngine#headSeen}, and folds a burst of
 * pushes into one build of the last). The recorded heads survive a restart, so a push made while build-service was
 * down is built when it comes back. A moved default branch re-reads {@code builds.yaml} first.
 */
@Singleton
public class BuildLifecycle {

    private final BuildEngine engine;
    private final Pipelines pipelines;
    private final LocalRepository repository;
    private final BuildEvents events;
    private final BuildHistory history;
    private final BuildBook book;
    private final StateBranch branch;
    private final WriterTakeover takeover;
    /** Completes once a poll has had every watched head decided: a push after this is never taken for the baseline. */
    private final CompletableFuture<Void> watching = new CompletableFuture<>();

    BuildLifecycle(BuildEngine engine, Pipelines pipelines, LocalRepository repository, BuildEvents events,
            BuildHistory history, BuildBook book, StateBranch branch, WriterTakeover takeover) {
        this.engine = engine;
        this.pipelines = pipelines;
        this.repository = repository;
        this.events = events;
        this.history = history;
        this.book = book;
        this.branch = branch;
        this.takeover = takeover;
    }

    /** Called once at start by {@link BuildStartup}, when this instance runs builds. */
    void start() {
        events.watch(engine);
        takeover.held().thenRun(() -> {
            loadHistory();
            engine.start();
        });
        // off the engine's loop thread, which completes restored(): the poll reads Git
        engine.restored().thenRunAsync(() -> {
            engine.view().streaks().keySet().forEach(events::watchStreak);
            poll();
        });
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
                Optional<LocalRepository.Commit> head = repository.head(name);
                sha = head.map(LocalRepository.Commit::sha).orElse("");
                tree = head.map(LocalRepository.Commit::tree).orElse("");
            } catch (IOException | RuntimeException e) {
                // one unreadable branch must not keep the others (or readiness) waiting
                Log.warnf("Could not read branch %s of the local repository: %s", name, e.toString());
                continue;
            }
            // a missing branch is recorded once, so that its first commit later is a push; a branch that disappears
            // keeps the head it had
            if (sha.equals(recorded.get(name)) || (sha.isEmpty() && recorded.containsKey(name))) {
                continue;
            }
            decided.add(engine.headSeen(name, sha, tree).whenComplete((queued, failure) -> {
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
}
