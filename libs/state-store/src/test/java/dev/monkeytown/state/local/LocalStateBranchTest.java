package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.StateBranchContractTest;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.spi.BranchBackend;

/** The contract on a Git repository on disk, plus what only the local backend promises. */
class LocalStateBranchTest extends StateBranchContractTest {

    @TempDir
    Path directory;

    private final List<LocalGitRepository> repositories = new ArrayList<>();

    @Override
    protected BranchBackend newBackend(String service) {
        // A repository object per backend: own ref cache and object database handles, like another process.
        LocalGitRepository repository = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        repositories.add(repository);
        return repository.branch(service);
    }

    @AfterEach
    void closeRepositories() {
        repositories.forEach(LocalGitRepository::close);
    }

    @Test
    void gitCommandLineSeesTheActorAsAuthor() throws Exception {
        GroupCommitStateBranch branch = open();
        await(branch.apply(new Change("queue run 1 for agent docs", Actor.user("alice"),
                ws -> ws.put("queue.json", "[1]"))));
        await(branch.apply(new Change("finish run 1", Actor.service("agent-dispatcher"),
                ws -> ws.put("runs/1.json", "{\"state\":\"done\"}"))));

        Path repo = directory.resolve("repo");
        String log = GitCli.output(repo, "log", "--format=%an%x09%ae%x09%cn%x09%s", "monkeytown/state/" + SERVICE);
        assertEquals("""
                agent-dispatcher\tagent-dispatcher@services.monkeytown\tcontract\tfinish run 1
                alice\talice@users.monkeytown\tcontract\tqueue run 1 for agent docs
                """, log);
        assertEquals("{\"state\":\"done\"}", GitCli.output(repo, "show", "monkeytown/state/" + SERVICE + ":runs/1.json"));
        GitCli.Result fsck = GitCli.run(repo, "fsck", "--strict");
        assertEquals(0, fsck.exitCode(), fsck.errors());
        assertEquals("", GitCli.run(repo, "log", "monkeytown/state/" + SERVICE).errors(), "git has nothing to warn");
    }

    @Test
    void opensABareRepositoryCreatedByGit() throws Exception {
        Path bare = directory.resolve("bare.git");
        GitCli.output(directory, "init", "--bare", "--quiet", bare.toString());
        try (LocalGitRepository repository = LocalGitRepository.openOrCreate(bare);
                GroupCommitStateBranch branch = new GroupCommitStateBranch(SERVICE, repository.branch(SERVICE),
                        options())) {
            CommitReceipt receipt = await(branch.apply(put("queue.json", "[]")));
            assertEquals(receipt.commitId() + "\n", GitCli.output(bare, "rev-parse", "monkeytown/state/" + SERVICE));
        }
    }
}
