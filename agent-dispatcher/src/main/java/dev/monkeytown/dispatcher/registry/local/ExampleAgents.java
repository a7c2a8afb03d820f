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

import dev.monkeytown.dispatcher.registry.AgentsFile;

/**
 * Gives a brand-new local repository a first commit with example agents, so the embedded suite has something to run
 * the moment it starts: one run by hand, one on a schedule, one on change. A repository whose default branch already
 * exists is never touched; it is the user's.
 */
public final class ExampleAgents {

    private static final Map<String, String> FILES = Map.of(
            AgentsFile.PATH, "agents.yaml",
            "README.md", "README.md",
            "docs/welcome.md", "welcome.md");

    private ExampleAgents() {
    }

    /** @return whether the examples were committed (false when the branch already existed) */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        try (Git git = Git.open(repositoryDirectory.toFile())) {
            Repository repository = git.getRepository();
            String refName = Constants.R_HEADS + branch;
            if (repository.exactRef(refName) != null) {
                return false;
            }
            ObjectId commit = commitExamples(repository);
            RefUpdate update = repository.updateRef(refName);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            update.setNewObjectId(commit);
            update.setRefLogMessage("monkeytown: seed example agents", false);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW) {
                return false; // someone created the branch meanwhile: theirs wins
            }
            fillWorkTree(git, refName);
            return true;
        }
    }

    private static ObjectId commitExamples(Repository repository) throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            DirCache tree = DirCache.newInCore();
            DirCacheBuilder builder = tree.builder();
            for (Map.Entry<String, String> file : new TreeMap<>(FILES).entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, resource(file.getValue())));
                builder.add(entry);
            }
            builder.finish();
            PersonIdent author = new PersonIdent("Monkeytown", "agent-dispatcher@services.monkeytown", Instant.now(),
                    ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
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
