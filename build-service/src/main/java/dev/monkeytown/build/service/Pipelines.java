package dev.monkeytown.build.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.logging.Log;

import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.build.pipeline.PipelineProblem;
import dev.monkeytown.build.pipeline.SourceRepository;

/**
 * The pipelines as declared at the default branch's head; re-read only when that head moves (read by the poll, or told
 * by a push webhook). A head read that is older than the one already read (GitHub's replicas lag) changes nothing.
 */
public final class Pipelines {

    private final SourceRepository repository;
    private final String defaultBranch;
    private final AtomicReference<PipelineCatalog> current = new AtomicReference<>(PipelineCatalog.EMPTY);

    public Pipelines(SourceRepository repository, String defaultBranch) {
        this.repository = repository;
        this.defaultBranch = defaultBranch;
    }

    public PipelineCatalog catalog() {
        return current.get();
    }

    public String defaultBranch() {
        return defaultBranch;
    }

    /** Reads the default branch's head, and {@code builds.yaml} there when it moved on. @return whether it changed */
    public synchronized boolean refresh() throws IOException {
        Optional<SourceRepository.Commit> head = repository.head(defaultBranch);
        return refreshAt(head.map(SourceRepository.Commit::sha).orElse(""));
    }

    /**
     * The default branch is at {@code revision} ({@code ""}: it does not exist): {@code builds.yaml} is read there unless
     * it is the revision already read or an earlier one. @return whether the catalog changed
     */
    public synchronized boolean refreshAt(String revision) throws IOException {
        return refreshAt(revision, "");
    }

    /**
     * As {@link #refreshAt(String)}, knowing that the branch moved from {@code before} to {@code revision} (a push
     * webhook says so; the poll once a force-push is confirmed): when {@code before} is the revision read last, an
     * earlier {@code revision} is the branch force-pushed back to it, not a stale read, and {@code builds.yaml} is read
     * there, as the branch's builds are.
     */
    public synchronized boolean refreshAt(String revision, String before) throws IOException {
        String known = current.get().revision();
        if (revision.equals(known)) {
            return false;
        }
        boolean movedFromKnown = !known.isEmpty() && known.equals(before);
        if (!movedFromKnown && !known.isEmpty() && !revision.isEmpty() && !repository.isLater(known, revision)) {
            return false; // a stale read of the branch: what was read before is newer
        }
        PipelineCatalog next = revision.isEmpty()
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
