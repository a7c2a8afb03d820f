package dev.monkeytown.dispatcher.registry.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
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

import dev.monkeytown.dispatcher.registry.AgentsFile;

/**
 * Gives a brand-new local repository a commit with example agents, so the embedded suite has something to run the
 * moment it starts: one run by hand, one on a schedule, one on change. build-service seeds the same branch with example
 * pipelines and either service may start first, so the rule is the same as its: seed a branch that does not exist, or
 * one whose whole history is seed commits (authored {@value #SEEDER}) and has no {@code agents.yaml} yet — never a
 * repository someone has worked in. The seed commit goes on top with a compare-and-swap on the ref.
 */
public final class ExampleAgents {

    static final String SEEDER = "Monkeytown";
    private static final Map<String, String> FILES = Map.of(
            AgentsFile.PATH, "agents.yaml",
            "README.md", "README.md",
            "docs/welcome.md", "welcome.md");

    private ExampleAgents() {
    }

    /** @return whether the examples were committed (false when the branch is someone's work or has agents) */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        try (Git git = Git.open(repositoryDirectory.toFile())) {
            Repository repository = git.getRepository();
            String refName = Constants.R_HEADS + branch;
            for (int attempt = 0; attempt < 5; attempt++) {
                Ref ref = repository.exactRef(refName);
                ObjectId parent = ref == null ? null : ref.getObjectId();
                if (parent != null && (!onlySeedCommits(repository, parent) || hasAgentsFile(repository, parent))) {
                    return false;
                }
                ObjectId commit = commitExamples(repository, parent);
                RefUpdate update = repository.updateRef(refName);
                update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
                update.setNewObjectId(commit);
                update.setRefLogMessage("monkeytown: seed example agents", false);
                RefUpdate.Result result = update.update();
                if (result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD) {
                    fillWorkTree(git, refName);
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

    private static boolean hasAgentsFile(Repository repository, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk file = TreeWalk.forPath(repository, AgentsFile.PATH, walk.parseCommit(head).getTree())) {
            return file != null;
        }
    }

    private static ObjectId commitExamples(Repository repository, ObjectId parent) throws IOException {
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
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, resource(file.getValue())));
                entries.put(file.getKey(), entry);
            }
            entries.values().forEach(builder::add);
            builder.finish();
            PersonIdent author = new PersonIdent(SEEDER, "agent-dispatcher@services.monkeytown", Instant.now(),
                    ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("Seed example agents\n\nWritten by agent-dispatcher because the repository was empty.\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    /** A fresh non-bare repository whose HEAD names the branch gets a matching checkout, so `git status` is clean. */
    private static void fillWorkTree(Git git, String refName) throws IOException {
        Repository repository = git.getRepository();
        Ref head = repository.exactRef(Constants.HEAD);
        if (repository.isBare() || head == null || !head.isSymbolic() || !head.getTarget().getName().equals(refName)) {
            return;
        }
        try {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(refName).call();
        } catch (GitAPIException e) {
            throw new IOException("seeded " + refName + " but could not check it out", e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ExampleAgents.class.getResourceAsStream("/example-repository/" + name)) {
            if (in == null) {
                throw new IllegalStateException("example file " + name + " missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
