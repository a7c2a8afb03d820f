package dev.monkeytown.build.service;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

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
 * the branches pipelines build are polled, and a head that moved since the last poll queues an automatic build of the
 * new commit (the engine folds a burst of pushes into one build of the last). A moved default branch re-reads
 * {@code builds.yaml} first.
 *
 * <p>
 * The heads are remembered in memory from the first poll on: a push made while build-service was down is not built
 * when it comes back (ask for a build by hand, or push again).
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
    /** Owned by the (non-concurrent) poll. */
    private final Map<String, String> heads = new HashMap<>();

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
        poll();
        takeover.held().thenRun(() -> {
            loadHistory();
            engine.start();
        });
        engine.restored().thenRun(() -> engine.view().streaks().keySet().forEach(events::watchStreak));
    }

    private void loadHistory() {
        try {
            history.addAll(book.history(branch, BuildBook.HISTORY));
        } catch (RuntimeException e) {
            Log.warnf("Could not list the recorded builds; the list starts with the builds from now on: %s",
                    e.toString());
        }
    }

    /** Every {@code monkeytown.build.poll-interval}, through {@link BuildStartup}. */
    synchronized void poll() {
        try {
            pipelines.refresh();
            TreeSet<String> watched = new TreeSet<>();
            pipelines.catalog().pipelines().values().stream().map(Pipeline::branches).forEach(watched::addAll);
            for (String name : watched) {
                Optional<LocalRepository.Commit> head = repository.head(name);
                if (head.isEmpty()) {
                    continue;
                }
                String before = heads.put(name, head.get().sha());
                if (before != null && !before.equals(head.get().sha())) {
                    engine.pushed(name, head.get().sha(), head.get().tree()).whenComplete((queued, failure) -> {
                        if (failure != null) {
                            Log.warnf("The push to %s (%s) could not be recorded: %s; it is tried again at the next"
                                    + " poll", name, head.get().sha(), failure.toString());
                            forget(name, before);
                        }
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("Could not read the local repository's branches: %s", e.toString());
        }
    }

    private synchronized void forget(String name, String before) {
        heads.put(name, before);
    }
}
