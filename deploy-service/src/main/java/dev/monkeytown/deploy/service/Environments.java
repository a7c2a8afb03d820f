package dev.monkeytown.deploy.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.environment.EnvironmentCatalog;
import dev.monkeytown.deploy.environment.EnvironmentProblem;
import dev.monkeytown.deploy.environment.EnvironmentsFile;
import dev.monkeytown.deploy.gitops.SourceRepository;

/** The environments as declared at the default branch's head; re-read only when that head moves. */
public final class Environments {

    private final SourceRepository repository;
    private final String defaultBranch;
    private final AtomicReference<EnvironmentCatalog> current = new AtomicReference<>(EnvironmentCatalog.EMPTY);

    public Environments(SourceRepository repository, String defaultBranch) {
        this.repository = repository;
        this.defaultBranch = defaultBranch;
    }

    public EnvironmentCatalog catalog() {
        return current.get();
    }

    public synchronized void refresh() throws IOException {
        Optional<SourceRepository.Commit> head = repository.head(defaultBranch);
        String revision = head.map(SourceRepository.Commit::sha).orElse("");
        if (revision.equals(current.get().revision())) {
            return;
        }
        EnvironmentCatalog next = head.isEmpty()
                ? EnvironmentCatalog.EMPTY
                : EnvironmentsFile.parse(revision, repository.file(revision, EnvironmentsFile.PATH));
        for (EnvironmentProblem problem : next.problems()) {
            Log.warnf("%s at %s: %s", EnvironmentsFile.PATH, revision, problem.describe());
        }
        current.set(next);
        Log.infof("Environments at %s: %s", revision, next.environments().keySet());
    }
}
