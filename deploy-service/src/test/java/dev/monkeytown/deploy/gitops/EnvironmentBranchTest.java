package dev.monkeytown.deploy.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;

class EnvironmentBranchTest {

    @TempDir
    Path directory;

    @Test
    void everyDeploymentIsOneCommitOfItsTreeOnALinearBranch() throws Exception {
        RevCommit a;
        RevCommit b;
        try (Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            a = commit(git, "one");
            b = commit(git, "two");
        }
        try (LocalRepository repository = new LocalRepository(directory)) {
            EnvironmentBranch branch = new EnvironmentBranch(repository, "deploy-service");
            Deployment first = deployment("D1", a, DeploymentKind.DEPLOY);
            LocalRepository.Commit c1 = branch.record(first);
            assertEquals(a.getTree().name(), c1.tree());
            assertEquals("Deploy " + a.name() + " (deployment D1)\n\nMonkeytown-Source: " + a.name()
                    + "\nMonkeytown-Deployment: D1\n", c1.message());
            assertEquals(c1, branch.record(first), "recording the same deployment again finds its commit");

            Deployment second = deployment("D2", b, DeploymentKind.DEPLOY);
            LocalRepository.Commit c2 = branch.record(second);
            Deployment revert = Deployment.revert("D3", second, first, "alice", second.createdAt());
            LocalRepository.Commit c3 = branch.record(revert);
            assertEquals(a.getTree().name(), c3.tree(), "a revert commits the last good tree");
            assertEquals("Revert staging to " + a.name() + " (deployment D3)\n\nMonkeytown-Revert-Of: D2\n"
                    + "Monkeytown-Last-Good: D1\nMonkeytown-Source: " + a.name() + "\nMonkeytown-Deployment: D3\n",
                    c3.message());

            List<String> history = new ArrayList<>();
            try (Git git = Git.open(directory.toFile())) {
                for (RevCommit commit : git.log().add(git.getRepository().resolve("environments/staging")).call()) {
                    history.add(commit.name());
                    assertTrue(commit.getParentCount() <= 1, "linear");
                }
                RevCommit head = git.log().add(git.getRepository().resolve("environments/staging")).setMaxCount(1)
                        .call().iterator().next();
                assertEquals("alice", head.getAuthorIdent().getName(), "the actor is on the commit");
                assertEquals("deploy-service", head.getCommitterIdent().getName());
            }
            assertEquals(List.of(c3.sha(), c2.sha(), c1.sha()), history);
        }
    }

    @Test
    void theBranchMovesOnlyFromTheHeadItWasReadAt() throws Exception {
        RevCommit a;
        try (Git git = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            a = commit(git, "one");
        }
        try (LocalRepository repository = new LocalRepository(directory)) {
            String tree = a.getTree().name();
            LocalRepository.Commit first = repository.commitOnto("environments/x", Optional.empty(), tree, "m\n",
                    LocalRepository.person("a", "a@x"), LocalRepository.person("a", "a@x")).orElseThrow();
            assertEquals(Optional.empty(), repository.commitOnto("environments/x", Optional.empty(), tree, "m\n",
                    LocalRepository.person("a", "a@x"), LocalRepository.person("a", "a@x")),
                    "creating a branch that exists is a lost race");
            assertEquals(Optional.empty(), repository.commitOnto("environments/x", Optional.of(a.name()), tree,
                    "m\n", LocalRepository.person("a", "a@x"), LocalRepository.person("a", "a@x")),
                    "a stale head is a lost race, never forced");
            assertEquals(first, repository.head("environments/x").orElseThrow());
        }
    }

    private static Deployment deployment(String id, RevCommit commit, DeploymentKind kind) {
        return Deployment.queued(id, "staging", commit.name(), commit.getTree().name(), kind, List.of(), "alice",
                java.time.Instant.parse("2026-12-01T10:00:00Z"));
    }

    private RevCommit commit(Git git, String content) throws IOException, GitAPIException {
        Files.writeString(directory.resolve("file.txt"), content, StandardCharsets.UTF_8);
        git.add().addFilepattern("file.txt").call();
        return git.commit().setMessage(content).setAuthor("t", "t@x").setCommitter("t", "t@x").call();
    }
}
