package dev.monkeytown.dispatcher.runner;

import static dev.monkeytown.dispatcher.runner.ProcessesUnderTest.descendantsOfThisJvm;
import static dev.monkeytown.dispatcher.runner.ProcessesUnderTest.isRunning;
import static dev.monkeytown.dispatcher.runner.ProcessesUnderTest.pidsIn;
import static dev.monkeytown.dispatcher.runner.ProcessesUnderTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.dispatcher.queue.RunIds;
import dev.monkeytown.dispatcher.queue.RunState;

/** Real subprocesses, a real Git repository, real files: the runner's job is exactly the part a fake would hide. */
class LocalRunnerTest {

    private static final String AGENT = "gardener";

    @TempDir
    Path temp;

    private final RunIds ids = new RunIds();
    private LocalGitRepository repository;
    private Path workRoot;
    private LocalRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        repository = LocalGitRepository.withOneCommit(Files.createDirectory(temp.resolve("repo")));
        workRoot = temp.resolve("work");
        runner = new LocalRunner(new LocalRunner.Settings(workRoot, temp.resolve("logs"), Duration.ofMillis(500),
                64 * 1024, 4));
    }

    @AfterEach
    void tearDown() {
        runner.close();
    }

    @Test
    void aCommandThatExitsZeroSucceedsAndItsOutputIsLogged() throws Exception {
        RunningAgent running = runner.start(request("echo hello && exit 0"));

        RunOutcome outcome = outcomeOf(running);

        assertEquals(new RunOutcome.Succeeded(false, outcome.finishedAt()), outcome);
        assertEquals(RunState.SUCCEEDED, outcome.state());
        assertTrue(logOf(running.runId()).contains("hello\n"), logOf(running.runId()));
        assertTrue(running.started().toCompletableFuture().isDone() && !running.started().toCompletableFuture()
                .isCompletedExceptionally(), "a run that ran reports when it started");
    }

    @Test
    void aNonZeroExitFailsWithThatExitCode() throws Exception {
        RunOutcome outcome = outcomeOf(runner.start(request("exit 3")));

        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcome);
        assertEquals(OptionalInt.of(3), failed.exitCode());
        assertEquals(RunState.FAILED, failed.state());
    }

    @Test
    void theAgentRunsInACheckoutOfTheRefWithItsRunIdentityInTheEnvironment() throws Exception {
        RunRequest request = request("test -f README.md && printf '<%s|%s|%s>' \"$MONKEYTOWN_RUN_ID\" "
                + "\"$MONKEYTOWN_AGENT\" \"$MONKEYTOWN_BRANCH\"");

        RunOutcome outcome = outcomeOf(runner.start(request));

        assertInstanceOf(RunOutcome.Succeeded.class, outcome, logOf(request.runId()));
        assertTrue(logOf(request.runId()).contains("<" + request.runId() + "|" + AGENT + "|agents/" + AGENT + "/"
                + request.runId() + ">"), logOf(request.runId()));
    }

    @Test
    void commitsOnTheRunBranchArePushedBackToTheRepository() throws Exception {
        RunRequest request = request("echo x > out.txt && git add out.txt"
                + " && git -c user.name=agent -c user.email=agent@monkeytown -c commit.gpgsign=false commit -q -m work");
        var mainBefore = repository.branchTip("main").orElseThrow();

        RunOutcome outcome = outcomeOf(runner.start(request));

        assertEquals(new RunOutcome.Succeeded(true, outcome.finishedAt()), outcome, logOf(request.runId()));
        assertEquals("agents/" + AGENT + "/" + request.runId(), request.branch());
        assertEquals("x\n", repository.fileAt(request.branch(), "out.txt").orElseThrow());
        assertEquals(mainBefore, repository.branchTip("main").orElseThrow(), "only the run's branch is pushed");
        assertFalse(java.nio.file.Files.exists(temp.resolve("logs").resolve(request.runId() + ".pid")),
                "a finished run leaves no process mark behind");
    }

    @Test
    void aRunWithoutCommitsLeavesNoBranch() throws Exception {
        RunRequest request = request("git status --short");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(runner.start(request)));

        assertTrue(repository.branchTip(request.branch()).isEmpty());
    }

    @Test
    void aTimeoutKillsTheShellAndEverythingItSpawned() throws Exception {
        Path pids = temp.resolve("timeout.pids");
        RunRequest request = request(treeRecordingPidsTo(pids), Duration.ofSeconds(1));

        RunningAgent running = runner.start(request);
        Set<Long> tree = treeOnceRecorded(pids);
        RunOutcome outcome = outcomeOf(running);

        assertInstanceOf(RunOutcome.TimedOut.class, outcome, logOf(request.runId()));
        assertEquals(RunState.TIMED_OUT, outcome.state());
        assertNoneRunning(tree);
        assertTrue(logOf(request.runId()).contains("timed out"), logOf(request.runId()));
    }

    @Test
    void cancellingKillsTheShellAndEverythingItSpawned() throws Exception {
        Path pids = temp.resolve("cancel.pids");
        RunRequest request = request(treeRecordingPidsTo(pids), Duration.ofMinutes(30));

        RunningAgent running = runner.start(request);
        Set<Long> tree = treeOnceRecorded(pids);
        assertTrue(runner.cancel(request.runId()));
        RunOutcome outcome = outcomeOf(running);

        assertInstanceOf(RunOutcome.Cancelled.class, outcome, logOf(request.runId()));
        assertEquals(RunState.CANCELLED, outcome.state());
        assertNoneRunning(tree);
        assertFalse(runner.cancel(request.runId()), "a finished run cannot be cancelled again");
    }

    @Test
    void theLogIsKeptAndTheScratchCheckoutRemovedAfterTheRun() throws Exception {
        Path pwd = temp.resolve("pwd.txt");
        RunRequest request = request("pwd > '" + pwd + "' && echo kept");

        outcomeOf(runner.start(request));

        Path scratch = Path.of(Files.readString(pwd).trim());
        assertTrue(scratch.startsWith(workRoot.toRealPath()) || scratch.startsWith(workRoot), scratch.toString());
        assertFalse(Files.exists(scratch), "scratch checkout should be removed");
        assertTrue(Files.exists(temp.resolve("logs").resolve(request.runId() + ".log")));
        assertTrue(logOf(request.runId()).contains("kept"));
    }

    @Test
    void theLogCanBeReadByByteRange() throws Exception {
        RunRequest request = request("echo 0123456789");

        outcomeOf(runner.start(request));

        LogExcerpt whole = runner.log(request.runId(), 0, 1 << 20).orElseThrow();
        int at = whole.text().indexOf("0123456789");
        LogExcerpt slice = runner.log(request.runId(), at + 3, 4).orElseThrow();
        assertEquals("3456", slice.text());
        assertEquals(at + 3, slice.fromByte());
        assertEquals(whole.totalBytes(), slice.totalBytes());
    }

    @Test
    void aMissingRefFailsWithoutRunningTheAgent() throws Exception {
        Path marker = temp.resolve("ran");
        RunRequest request = new RunRequest(ids.next(), AGENT, AgentCommand.shell("touch '" + marker + "'"),
                Duration.ofMinutes(1), repository.directory, "no-such-branch");

        RunningAgent running = runner.start(request);
        RunOutcome outcome = outcomeOf(running);

        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcome);
        assertEquals(OptionalInt.empty(), failed.exitCode());
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(workRoot.resolve(request.runId())));
        ExecutionException notStarted = assertThrows(ExecutionException.class,
                () -> running.started().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(RunNotStartedException.class, notStarted.getCause());
    }

    @Test
    void aRunIdCannotBeStartedTwiceWhileInFlight() throws Exception {
        RunRequest request = request("sleep 30", Duration.ofMinutes(1));
        RunningAgent running = runner.start(request);

        assertThrows(IllegalStateException.class, () -> runner.start(request));

        runner.cancel(request.runId());
        assertInstanceOf(RunOutcome.Cancelled.class, outcomeOf(running));
    }

    @Test
    void unknownRunsHaveNoLogAndCannotBeCancelled() {
        String unknown = ids.next();

        assertTrue(runner.log(unknown).isEmpty());
        assertTrue(runner.log("../../etc/passwd").isEmpty());
        assertFalse(runner.cancel(unknown));
    }

    // ---- issue #12: tests written against the runner before the move to libs/runner -----------------------------

    @Test
    void theCommandGetsAnAllowListedEnvironmentNotTheServices() throws Exception {
        RunRequest request = request("env");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(runner.start(request)));

        String log = logOf(request.runId());
        java.util.List<String> leaked = System.getenv().entrySet().stream()
                .filter(e -> !e.getKey().matches("PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ"))
                .filter(e -> log.contains(e.getKey() + "=" + e.getValue()))
                .map(java.util.Map.Entry::getKey).toList();
        assertEquals(java.util.List.of(), leaked, "the service's own variables reached the command");
    }

    @Test
    void theCheckoutHasNoRemoteIntoTheRepository() throws Exception {
        RunRequest request = request("git remote -v; git push origin HEAD:refs/heads/monkeytown/state/evil; true");

        outcomeOf(runner.start(request));

        assertTrue(repository.branchTip("monkeytown/state/evil").isEmpty(), logOf(request.runId()));
    }

    @Test
    void aBackgroundChildIsStoppedWhenTheCommandExits() throws Exception {
        String nonce = "600." + System.nanoTime() % 1_000_000;
        RunRequest request = request("sleep " + nonce + " & exit 0");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(runner.start(request)));

        java.util.List<Long> alive = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(nonce))
                .filter(p -> isRunning(p.pid())).map(ProcessHandle::pid).toList();
        alive.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(java.util.List.of(), alive, "the command's background child outlived the run");
    }

    @Test
    void aHookPlantedInTheCheckoutNeverRunsOutsideTheSandbox() throws Exception {
        Path marker = temp.resolve("hook-ran");
        RunRequest request = request("printf '#!/bin/sh\\ntouch \"%s\"\\n' '" + marker + "' > .git/hooks/pre-push"
                + " && chmod +x .git/hooks/pre-push && echo x > out.txt && git add out.txt"
                + " && git -c user.name=a -c user.email=a@b -c commit.gpgsign=false commit -q -m work");

        outcomeOf(runner.start(request));

        assertFalse(Files.exists(marker), "the checkout's pre-push hook ran in the runner's process");
    }

    private RunRequest request(String script) {
        return request(script, Duration.ofMinutes(1));
    }

    private RunRequest request(String script, Duration timeout) {
        return new RunRequest(ids.next(), AGENT, AgentCommand.shell(script), timeout, repository.directory, "main");
    }

    /**
     * The shape from the brief, {@code sh -c 'sleep 300 & sleep 300'} under the runner's own shell, with each shell
     * writing its pid and the background sleep's pid so the test knows the grandchild it must not find alive later.
     */
    private static String treeRecordingPidsTo(Path file) {
        String f = "\"" + file + "\"";
        return "echo $$ >> " + f + "; sh -c 'echo $$ >> " + f + "; sleep 300 & echo $! >> " + f
                + "; echo done >> " + f + ".ready; sleep 300'";
    }

    /** Every pid the command recorded, plus whatever this JVM sees below it at that moment (the foreground sleep). */
    private static Set<Long> treeOnceRecorded(Path pids) throws IOException {
        Path ready = Path.of(pids + ".ready");
        waitUntil("the agent recorded its process tree", () -> Files.exists(ready));
        Set<Long> tree = new HashSet<>(pidsIn(pids));
        tree.addAll(descendantsOfThisJvm());
        assertTrue(tree.size() >= 2, "expected at least a shell and its background child, got " + tree);
        return tree;
    }

    private static void assertNoneRunning(Set<Long> pids) {
        // Outcome first, then this: the runner reports only once the tree is dead, so there is nothing to wait for.
        Set<Long> survivors = new HashSet<>();
        for (long pid : pids) {
            if (isRunning(pid)) {
                survivors.add(pid);
            }
        }
        assertTrue(survivors.isEmpty(), "still running: " + survivors + " of " + pids);
    }

    private String logOf(String runId) {
        return runner.log(runId).map(LogExcerpt::text).orElse("<no log>");
    }

    private static RunOutcome outcomeOf(RunningAgent running) throws Exception {
        CompletionStage<RunOutcome> outcome = running.outcome();
        RunOutcome result = outcome.toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertTrue(!result.finishedAt().isAfter(Instant.now()));
        return result;
    }
}
