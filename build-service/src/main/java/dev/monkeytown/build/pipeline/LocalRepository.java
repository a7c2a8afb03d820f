package dev.monkeytown.build.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.engine.RunTarget;

/**
 * The local Monkeytown repository (embedded default), read with JGit: branch heads (a moved head is a push), commits and
 * their trees, {@code builds.yaml} at a revision; and the ref each attempt checks out, {@code refs/monkeytown/builds/
 * <run-id>}, pinned to the build's commit so a branch that moved on since does not change what is built.
 */
public final class LocalRepository implements SourceRepository, RunTarget, AutoCloseable {

    private static final String PINS = "refs/monkeytown/builds/";

    private final Repository repository;

    public LocalRepository(Path directory) throws IOException {
        this.repository = Git.open(directory.toFile()).getRepository();
    }

    @Override
    public Optional<Commit> head(String branch) throws IOException {
        Ref ref = repository.exactRef(Constants.R_HEADS + branch);
        return ref == null || ref.getObjectId() == null ? Optional.empty() : commit(ref.getObjectId());
    }

    /** A branch, a tag or a commit id. */
    public Optional<Commit> resolve(String ref) throws IOException {
        for (String candidate : new String[]{Constants.R_HEADS + ref, Constants.R_TAGS + ref}) {
            Ref found = repository.exactRef(candidate);
            if (found != null && found.getObjectId() != null) {
                return commit(found.getObjectId());
            }
        }
        if (ObjectId.isId(ref)) {
            try {
                return commit(ObjectId.fromString(ref));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public String tree(String sha) throws IOException {
        return commit(ObjectId.fromString(sha)).orElseThrow().tree();
    }

    @Override
    public String buildsYaml(String sha) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk file = TreeWalk.forPath(repository, BuildsFile.PATH, commit.getTree())) {
                if (file == null || file.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return "";
                }
                return new String(repository.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** Each attempt checks out a ref of its own pinned to the build's commit. */
    @Override
    public RunTarget runTarget() {
        return this;
    }

    @Override
    public String refFor(Build build, String runId) throws IOException {
        RefUpdate update = repository.updateRef(PINS + runId);
        update.setNewObjectId(ObjectId.fromString(build.sha()));
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("cannot pin " + build.sha() + " for " + runId + ": " + result);
        }
        return PINS + runId;
    }

    @Override
    public void release(String runId) {
        try {
            RefUpdate delete = repository.updateRef(PINS + runId);
            delete.setForceUpdate(true);
            delete.delete();
        } catch (IOException e) {
            // a pin left behind costs one ref and is replaced if the run id ever comes back
        }
    }

    private Optional<Commit> commit(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(id);
            return Optional.of(new Commit(commit.name(), commit.getTree().name()));
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
