package dev.monkeytown.build.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;

import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.LocalRepository;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.build.pipeline.PipelineProblem;

/** The pipelines as declared at the default branch's head; re-read only when that head moves. */
public final class Pipelines {

    private final LocalRepository repository;
    private final String defaultBranch;
    private final AtomicReference<PipelineCatalog> current = new AtomicReference<>(PipelineCatalog.EMPTY);

    public Pipelines(LocalRepository repository, String defaultBranch) {
        this.repository = repository;
        this.defaultBranch = defaultBranch;
    }

    public PipelineCatalog catalog() {
        return current.get();
    }

    public String defaultBranch() {
        return defaultBranch;
    }

    /** @return whether the catalog changed */
    public synchronized boolean refresh() throws IOException {
        Optional<LocalRepository.Commit> head = repository.head(defaultBranch);
        String revision = head.map(LocalRepository.Commit::sha).orElse("");
        if (revision.equals(current.get().revision())) {
            return false;
        }
        PipelineCatalog next = head.isEmpty()
                ? PipelineCatalog.EMPTY
                : BuildsFile.parse(revision, repository.buildsYaml(revision));
        for (PipelineProblem problem : next.problems()) {
            Log.warnf("%s at %s: %s", BuildsFile.PATH, revision, problem);
        }
        current.set(next);
        Log.infof("Pipelines at %s: %s", revision, next.pipelines().keySet());
        return true;
    }
}
