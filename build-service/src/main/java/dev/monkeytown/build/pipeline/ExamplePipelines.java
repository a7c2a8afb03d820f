package dev.monkeytown.build.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Gives the embedded suite's repository example pipelines: one that builds a small site from the repository's Markdown
 * and stores it, one that fails on demand. agent-dispatcher seeds the same branch with example agents, and either
 * service may start first, so the rule is: seed a branch that does not exist, or one whose whole history is seed
 * commits (authored {@value #SEEDER}) and has no {@code builds.yaml} yet — never a repository someone has worked in.
 * The seed commit is added on top with a compare-and-swap on the ref, so a concurrent seeder's commit is never lost.
 */
public final class ExamplePipelines {

    static final String SEEDER = "Monkeytown";
    private static final Map<String, String> FILES = Map.of(
            BuildsFile.PATH, "builds.yaml",
            "build/site.sh", "site.sh",
            "build/check.sh", "check.sh");

    private ExamplePipelines() {
    }

    /** @return whether the examples were committed */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        try (Git git = Git.open(repositoryDirectory.toFile())) {
            Repository repository = git.getRepository();
            for (int attempt = 0; attempt < 5; attempt++) {
                Ref ref = repository.exactRef(Constants.R_HEADS + branch);
                ObjectId parent = ref == null ? null : ref.getObjectId();
                if (parent != null && !onlySeedCommits(repository, parent)) {
                    return false;
                }
                if (parent != null && hasBuildsFile(repository, parent)) {
                    return false;
                }
                ObjectId commit = commit(repository, parent);
                RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
                update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
                update.setNewObjectId(commit);
                update.setRefLogMessage("monkeytown: seed example pipelines", false);
                RefUpdate.Result result = update.update();
                if (result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD) {
                    return true;
                }
                // another seeder moved the branch meanwhile: look again
            }
            return false;
        }
    }

    private static boolean onlySeedCommits(Repository repository, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(head));
            int seen = 0;
            for (RevCommit commit : walk) {
                if (!SEEDER.equals(commit.getAuthorIdent().getName()) || ++seen > 10) {
                    return false;
                }
            }
            return true;
        }
    }

    private static boolean hasBuildsFile(Repository repository, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk file = TreeWalk.forPath(repository, BuildsFile.PATH, walk.parseCommit(head).getTree())) {
            return file != null;
        }
    }

    private static ObjectId commit(Repository repository, ObjectId parent) throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter(); RevWalk walk = new RevWalk(repository)) {
            DirCache tree = DirCache.newInCore();
            DirCacheBuilder builder = tree.builder();
            Map<String, DirCacheEntry> entries = new TreeMap<>();
            if (parent != null) {
                try (TreeWalk existing = new TreeWalk(repository)) {
                    existing.addTree(walk.parseCommit(parent).getTree());
                    existing.setRecursive(true);
                    while (existing.next()) {
                        DirCacheEntry entry = new DirCacheEntry(existing.getPathString());
                        entry.setFileMode(existing.getFileMode(0));
                        entry.setObjectId(existing.getObjectId(0));
                        entries.put(existing.getPathString(), entry);
                    }
                }
            }
            for (Map.Entry<String, String> file : FILES.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(file.getKey().endsWith(".sh") ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, resource(file.getValue())));
                entries.put(file.getKey(), entry);
            }
            entries.values().forEach(builder::add);
            builder.finish();
            PersonIdent author = new PersonIdent(SEEDER, "build-service@services.monkeytown", Instant.now(),
                    ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("Seed example pipelines\n\nWritten by build-service because the repository had none.\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ExamplePipelines.class.getResourceAsStream("/example-repository/" + name)) {
            if (in == null) {
                throw new IllegalStateException("example file " + name + " missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
