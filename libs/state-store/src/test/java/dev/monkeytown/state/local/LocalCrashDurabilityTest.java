package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * Kills a writing JVM with SIGKILL, at full speed and while packs are being merged, and checks with the {@code git}
 * command line that every change it acknowledged is on the branch, that the repository is sound, and that a restarted
 * writer carries on over whatever the kill left (temp packs, a ref lock).
 * <p>
 * What it proves is the <em>order of publication</em> against a process dying at any instruction: a ref is never
 * moved before its objects can be found, a pack is never found before it is complete, a merge never deletes a pack
 * before its copy is in place, and nothing is acknowledged before the ref moved. It cannot prove that anything is
 * <em>on disk</em>: SIGKILL leaves the kernel's page cache intact, so this test passes with every fsync removed. The
 * fsyncs and their order are {@link LocalDurabilityOrderTest}'s.
 */
class LocalCrashDurabilityTest {

    private static final String SERVICE = "crash";
    private static final int ACKS_BEFORE_KILL = 200;
    private static final int MAX_PACKS = 4;

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedChangeSurvivesSigkill() throws Exception {
        Path repo = directory.resolve("repo");
        Path stderr = directory.resolve("writer-stderr.txt");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashingWriter.class.getName(), repo.toString(), SERVICE,
                // Few packs allowed, so packs are being merged in the background when the kill lands.
                String.valueOf(MAX_PACKS))
                .redirectError(stderr.toFile())
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged.size() < ACKS_BEFORE_KILL) {
                String line = out.readLine();
                if (line == null) {
                    throw new AssertionError("writer exited early: " + Files.readString(stderr));
                }
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                }
            }
            // Still writing at full speed: the kill lands in the middle of some commit. (Acks printed after the last
            // line read are not checked: killing closes the pipe.)
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
        } finally {
            writer.destroyForcibly();
        }

        String branch = "monkeytown/state/" + SERVICE;
        Set<String> onBranch = new HashSet<>(
                GitCli.output(repo, "ls-tree", "-r", "--name-only", branch).lines().toList());
        List<String> lost = acknowledged.stream().filter(path -> !onBranch.contains(path)).toList();
        assertEquals(List.of(), lost, "acknowledged but not on the branch");
        String last = acknowledged.get(acknowledged.size() - 1);
        assertTrue(GitCli.output(repo, "show", branch + ":" + last).startsWith("{\"n\":"));
        GitCli.Result fsck = GitCli.run(repo, "fsck", "--strict", "--no-dangling");
        assertEquals(0, fsck.exitCode(), fsck.errors() + fsck.output());

        // A restarted service carries on over a ref lock the kill may have left (LocalBranchLockTest kills a writer
        // inside its ref update on purpose; a planted lock here would be nobody's, which is never removed).
        Path refLock = repo.resolve(".git/refs/heads/" + branch + ".lock");
        try (LocalGitRepository repository = LocalGitRepository.openOrCreate(repo);
                GroupCommitStateBranch restarted = new GroupCommitStateBranch(SERVICE, repository.branch(SERVICE),
                        StateBranchOptions.defaults())) {
            restarted.apply(new Change("after the crash", Actor.service("crash-test"),
                    ws -> ws.put("after.json", "{}"))).await().atMost(Duration.ofSeconds(30));
            Optional<Document> first = restarted.read(acknowledged.get(0)).await().atMost(Duration.ofSeconds(30));
            assertTrue(first.isPresent());
        }
        assertTrue(GitCli.output(repo, "ls-tree", "-r", "--name-only", branch).contains("after.json"));
        assertTrue(Files.notExists(refLock));
    }
}
