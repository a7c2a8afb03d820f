package dev.monkeytown.dispatcher.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

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
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.dispatcher.registry.local.LocalDeclarationSource;

/** The local business figures, read from a real JGit repository the way agent runs and people change it. */
class LocalRepositoryActivityTest {

    @TempDir
    Path directory;

    private Repository repository;
    private MeterRegistry meters;
    private BusinessMetrics metrics;
    private LocalDeclarationSource declarations;

    @BeforeEach
    void repositoryWithOneDeclaredAgent() throws Exception {
        repository = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call().getRepository();
        commit("refs/heads/main", Map.of(".monkeytown/agents.yaml", "agents:\n  gardener:\n    command: \"true\"\n",
                "README.md", "one\ntwo\n"));
        declarations = new LocalDeclarationSource(directory, "main");
        AgentRegistry agents = new AgentRegistry(declarations);
        agents.refresh();
        meters = new SimpleMeterRegistry();
        metrics = new BusinessMetrics(meters, agents);
    }

    @AfterEach
    void close() {
        declarations.close();
        repository.close();
    }

    @Test
    void anAgentBranchIsOpenedThenMergedAndItsCommitsReachTheDefaultBranch() throws Exception {
        try (LocalRepositoryActivity activity = activity()) {
            activity.observe(); // first look: takes note only
            String branch = "refs/heads/agents/gardener/r-1";
            commit(branch, "refs/heads/main", Map.of("notes/a.md", "a\nb\nc\n"));
            activity.observe();
            assertEquals(1, count("monkeytown.pull.requests.opened", "author", "agent"));
            assertEquals(1, count("monkeytown.agent.commits", "agent", "gardener"));
            assertEquals(0, count("monkeytown.pull.requests.merged", "author", "agent"));

            ObjectId tip = commit(branch, Map.of("notes/a.md", "a\nb\nc\nd\n", "README.md", "one\n"));
            activity.observe();
            activity.observe(); // looking again at unchanged branches counts nothing
            assertEquals(1, count("monkeytown.pull.requests.opened", "author", "agent"));
            assertEquals(2, count("monkeytown.agent.commits", "agent", "gardener"));
            assertEquals(0, count("monkeytown.default.branch.commits"));

            // merged by fast-forward and the branch deleted before the next look: still counted as merged
            move("refs/heads/main", tip);
            delete(branch);
            activity.observe();
            assertEquals(1, count("monkeytown.pull.requests.merged", "author", "agent"));
            assertEquals(2, count("monkeytown.pull.requests.merged.files", "author", "agent"));
            assertEquals(4, count("monkeytown.pull.requests.merged.lines.added", "author", "agent"));
            assertEquals(1, count("monkeytown.pull.requests.merged.lines.deleted", "author", "agent"));
            assertEquals(2, count("monkeytown.default.branch.commits"));
            // notes/a.md changed by both commits is one file
            assertEquals(2, count("monkeytown.default.branch.files.changed"));
            activity.observe();
            assertEquals(1, count("monkeytown.pull.requests.merged", "author", "agent"));
            assertEquals(2, count("monkeytown.default.branch.commits"));
        }
    }

    @Test
    void otherBranchesCountNothingUntilTheirCommitsReachTheDefaultBranch() throws Exception {
        try (LocalRepositoryActivity activity = activity()) {
            activity.observe();
            ObjectId feature = commit("refs/heads/feature/x", "refs/heads/main", Map.of("src/A.java", "class A {}\n"));
            activity.observe();
            assertEquals(0, count("monkeytown.default.branch.commits"));
            assertEquals(0, count("monkeytown.default.branch.files.changed"));
            assertEquals(0, count("monkeytown.pull.requests.opened", "author", "agent"));

            move("refs/heads/main", feature);
            activity.observe();
            assertEquals(1, count("monkeytown.default.branch.commits"));
            assertEquals(1, count("monkeytown.default.branch.files.changed"));
            assertEquals(0, count("monkeytown.pull.requests.merged", "author", "agent"), "a person's branch");
        }
    }

    @Test
    void aRestartTakesNoteOfTheRepositoryAndCountsNothingAgain() throws Exception {
        String branch = "refs/heads/agents/gardener/r-2";
        try (LocalRepositoryActivity activity = activity()) {
            activity.observe();
            commit(branch, "refs/heads/main", Map.of("notes/b.md", "b\n"));
            activity.observe();
        }
        commit("refs/heads/main", Map.of("docs/c.md", "c\n"));
        try (LocalRepositoryActivity restarted = activity()) {
            restarted.observe();
            restarted.observe();
        }
        assertEquals(1, count("monkeytown.pull.requests.opened", "author", "agent"));
        assertEquals(1, count("monkeytown.agent.commits", "agent", "gardener"));
        // made while no dispatcher looked: lost, as docs/operations.md says, never counted twice
        assertEquals(0, count("monkeytown.default.branch.commits"));
    }

    @Test
    void aBranchOfAnUndeclaredAgentDoesNotMintASeries() throws Exception {
        try (LocalRepositoryActivity activity = activity()) {
            activity.observe();
            commit("refs/heads/agents/nobody-declared-me/r-1", "refs/heads/main", Map.of("x.md", "x\n"));
            activity.observe();
            assertEquals(1, count("monkeytown.agent.commits", "agent", BusinessMetrics.UNDECLARED));
            assertEquals(0, meters.find("monkeytown.agent.commits").tag("agent", "nobody-declared-me").counters()
                    .size());
        }
    }

    private LocalRepositoryActivity activity() throws IOException {
        return new LocalRepositoryActivity(directory, "main", metrics);
    }

    private double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private ObjectId commit(String ref, Map<String, String> files) throws IOException {
        return commit(ref, ref, files);
    }

    /** A commit on {@code parentRef}'s head (none when it does not exist) with {@code files} written, at {@code ref}. */
    private ObjectId commit(String ref, String parentRef, Map<String, String> files) throws IOException {
        try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
            ObjectId parentId = repository.resolve(parentRef);
            RevCommit parent = parentId == null ? null : walk.parseCommit(parentId);
            DirCache tree = parent == null
                    ? DirCache.newInCore()
                    : DirCache.read(repository.newObjectReader(), parent.getTree());
            DirCacheBuilder builder = tree.builder();
            for (int i = 0; i < tree.getEntryCount(); i++) {
                if (!files.containsKey(tree.getEntry(i).getPathString())) {
                    builder.add(tree.getEntry(i));
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                builder.add(entry);
            }
            builder.finish();
            PersonIdent person = new PersonIdent("tester", "tester@example.com", Instant.now(), ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(person);
            commit.setCommitter(person);
            commit.setMessage("change " + files.keySet() + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            move(ref, id);
            return id;
        }
    }

    private void move(String ref, ObjectId id) throws IOException {
        RefUpdate update = repository.updateRef(ref);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE) {
            throw new IllegalStateException("could not move " + ref + ": " + result);
        }
    }

    private void delete(String ref) throws IOException {
        RefUpdate update = repository.updateRef(ref);
        update.setForceUpdate(true);
        update.delete();
    }
}
