package dev.monkeytown.runner.local;

import static dev.monkeytown.runner.local.ProcessesUnderTest.running;
import static dev.monkeytown.runner.local.ProcessesUnderTest.uniqueSleep;
import static dev.monkeytown.runner.local.ProcessesUnderTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RecordingListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.SecretValues;
import dev.monkeytown.runner.TestRunIds;

/**
 * Real subprocesses, a real Git repository, real files: the runner's job is exactly the part a fake would hide. Runs in
 * bubblewrap when it is installed (as the service would), else without; assertions only bubblewrap can keep are
 * skipped, with the reason, where it is missing. {@link UnsandboxedLocalRunnerTest} runs the same tests without a
 * sandbox, so what the runner promises without one stays tested on machines that have bubblewrap.
 */
class LocalRunnerTest {

    private static final String INTERNAL_TOKEN = "internal-token-0123456789abcdef";
    private static final String GITHUB_TOKEN = "ghp_service0123456789token";
    private static final Map<String, String> SERVICE_ENVIRONMENT = Map.of(
            "PATH", Machine.PATH, "LANG", "C.UTF-8", "MONKEYTOWN_INTERNAL_TOKEN", INTERNAL_TOKEN,
            "MONKEYTOWN_GITHUB_TOKEN", GITHUB_TOKEN, "MONKEYTOWN_GATEWAY_WEBHOOKS_SECRETS", "hook-secret-1,hook-secret-2",
            "JAVA_TOOL_OPTIONS", "-Dsecret.password=hunter22", "JAVA_HOME", "/opt/jdk-17");

    @TempDir
    Path temp;

    private LocalGitRepository repository;
    private Path workRoot;
    private Path logRoot;
    /** Writable for commands even in the sandbox: where they leave what a test looks at afterwards. */
    private Path out;
    private final RecordingListener listener = new RecordingListener();
    private final List<String> sleeps = new ArrayList<>();
    private LocalRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        repository = LocalGitRepository.withOneCommit(Files.createDirectory(temp.resolve("repo")));
        workRoot = temp.resolve("work");
        logRoot = temp.resolve("logs");
        out = Files.createDirectory(temp.resolve("out"));
        runner = runner(SecretValues.fromProperties(SERVICE_ENVIRONMENT.keySet(),
                name -> Optional.ofNullable(SERVICE_ENVIRONMENT.get(name))));
    }

    /** The sandbox mode under test: bubblewrap when available. */
    Sandbox.Mode sandboxMode() {
        return Sandbox.Mode.AUTO;
    }

    private LocalRunner runner(SecretValues secrets) {
        LocalRunner created = new LocalRunner(new LocalRunner.Settings(repository.directory, workRoot, logRoot,
                Duration.ofMillis(500), 64 * 1024, 4, Sandbox.choose(sandboxMode(), List.of(), List.of(out)),
                secrets), Clock.systemUTC(), SERVICE_ENVIRONMENT);
        created.listen(listener);
        return created;
    }

    @AfterEach
    void tearDown() {
        runner.close();
        sleeps.forEach(ProcessesUnderTest::killAll);
    }

    @Test
    void aCommandThatExitsZeroSucceedsAndItsOutputIsLogged() throws Exception {
        RunSpec spec = spec("echo hello && exit 0");

        RunOutcome outcome = outcomeOf(spec);

        assertEquals(new RunOutcome.Succeeded(false, outcome.finishedAt()), outcome);
        assertTrue(logOf(spec).contains("hello\n"), logOf(spec));
        assertTrue(listener.hasStarted(spec.id()), "a run that ran reports when it started");
    }

    /** A command printing without end must not fill the disk the suite's state lives on, nor hang on a full pipe. */
    @Test
    void aLogStopsAtItsLimitWhileTheCommandRunsToItsEnd() throws Exception {
        long limit = LocalRunner.Settings.DEFAULT_LOG_LIMIT;
        RunSpec spec = spec("head -c " + (limit + 4 * 1024 * 1024) + " /dev/zero | tr '\\0' x; echo; echo done > \""
                + out + "/finished\"");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec));

        assertTrue(Files.exists(out.resolve("finished")), "the command ran to its end");
        long size = Files.size(logRoot.resolve(spec.id() + ".log"));
        assertTrue(size > limit && size < limit + 1024, "log of " + size + " bytes");
        String end = logTail(spec, 400);
        assertTrue(end.contains("the log stops here") && end.contains("bytes of output were dropped"), end);
    }

    @Test
    void aNonZeroExitFailsWithThatExitCode() throws Exception {
        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcomeOf(spec("exit 3")));
        assertEquals(OptionalInt.of(3), failed.exitCode());
    }

    @Test
    void theCommandRunsInACheckoutOfTheRefWithTheCallersVariables() throws Exception {
        RunSpec spec = spec("test -f README.md && printf '<%s|%s|%s>' \"$MONKEYTOWN_RUN_ID\" \"$MONKEYTOWN_AGENT\""
                + " \"$(git rev-parse --abbrev-ref HEAD)\"");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        assertTrue(logOf(spec).contains("<" + spec.id() + "|gardener|" + branchOf(spec) + ">"), logOf(spec));
    }

    @Test
    void commitsOnTheDeliverBranchAreBroughtIntoTheRepository() throws Exception {
        RunSpec spec = spec("echo x > out.txt && git add out.txt && git commit -q -m work");
        var mainBefore = repository.branchTip("main").orElseThrow();

        RecordingListener.Finished finished = finishedOf(spec);

        assertEquals(new RunOutcome.Succeeded(true, finished.outcome().finishedAt()), finished.outcome(), logOf(spec));
        assertEquals(Optional.of(branchOf(spec)), finished.ref().branch());
        assertEquals("x\n", repository.fileAt(branchOf(spec), "out.txt").orElseThrow());
        assertEquals(mainBefore, repository.branchTip("main").orElseThrow(), "only the run's branch is delivered");
        assertFalse(Files.exists(logRoot.resolve(spec.id() + ".pid")), "a finished run leaves no process mark");
    }

    @Test
    void aRunWithoutCommitsLeavesNoBranch() throws Exception {
        RunSpec spec = spec("git status --short");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec));

        assertTrue(repository.branchTip(branchOf(spec)).isEmpty());
    }

    @Test
    void theCommandGetsAnAllowListedEnvironmentNotTheServices() throws Exception {
        RunSpec spec = spec("env");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        Set<String> names = new TreeSet<>();
        logOf(spec).lines().filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .forEach(line -> names.add(line.substring(0, line.indexOf('='))));
        names.removeAll(Set.of("PWD", "OLDPWD", "SHLVL", "_")); // the shell's own
        assertEquals(new TreeSet<>(Set.of("PATH", "LANG", "HOME", "TMPDIR", "MONKEYTOWN_RUN_ID", "MONKEYTOWN_AGENT",
                "MONKEYTOWN_BRANCH", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL")), names, logOf(spec));
        assertTrue(logOf(spec).contains("HOME=" + workRoot.toRealPath().resolve(spec.id()).resolve("home"))
                || logOf(spec).contains("HOME=" + workRoot.resolve(spec.id()).resolve("home")), logOf(spec));
    }

    @Test
    void aVariableTheSpecInheritsPassesAndNothingElseOfTheServicesDoes() throws Exception {
        RunSpec spec = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(1))
                .command(List.of("/bin/sh", "-c", "env")).inherit(Set.of("JAVA_HOME")).build();

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        assertTrue(logOf(spec).contains("JAVA_HOME=/opt/jdk-17\n"), logOf(spec));
        assertFalse(logOf(spec).contains("MONKEYTOWN_INTERNAL_TOKEN"), logOf(spec));
        assertFalse(logOf(spec).contains("JAVA_TOOL_OPTIONS"), logOf(spec));
    }

    @Test
    void aCommitInTheRefsHistoryIsCheckedOutRatherThanTheTip() throws Exception {
        String older = repository.commit("main", "version.txt", "1\n");
        repository.commit("main", "version.txt", "2\n");
        Path seen = out.resolve("seen");
        RunSpec spec = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(1)).commit(older)
                .command(List.of("/bin/sh", "-c", "{ git rev-parse HEAD; cat version.txt; } > '" + seen + "'"))
                .build();

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        assertEquals(List.of(older, "1"), Files.readAllLines(seen));
    }

    @Test
    void aCommitOutsideTheRefsHistoryFailsWithoutRunningTheCommand() throws Exception {
        String elsewhere = repository.commit("monkeytown/state/agent-dispatcher", "live.json", "{}\n");
        Path marker = out.resolve("ran");
        RunSpec spec = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(1)).commit(elsewhere)
                .command(List.of("touch", marker.toString())).build();

        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcomeOf(spec));

        assertTrue(failed.reason().contains("not in the history of main"), failed.reason());
        assertFalse(Files.exists(marker));
        assertFalse(listener.hasStarted(spec.id()));
    }

    @Test
    void secretsAreMaskedInTheLogEvenWhenWrittenInPieces() throws Exception {
        RunSpec spec = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(1)).command(List.of("/bin/sh",
                "-c", "printf 'token=internal-token-'; sleep 0.2; printf '0123456789abcdef\\n';"
                        + " echo \"key=$API_KEY\"; echo 'hooks=hook-secret-2'; echo 'github=" + GITHUB_TOKEN + "'"))
                .secrets(Map.of("API_KEY", "run-secret-value-42")).build();

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec));

        String log = logOf(spec);
        for (String secret : List.of(INTERNAL_TOKEN, "run-secret-value-42", "hook-secret-2", GITHUB_TOKEN,
                "0123456789abcdef")) {
            assertFalse(log.contains(secret), () -> "secret in the log: " + log);
        }
        assertTrue(log.contains("token=***\n") && log.contains("key=***\n") && log.contains("hooks=***\n"), log);
    }

    @Test
    void theCheckoutHasNoRemoteIntoTheRepository() throws Exception {
        RunSpec spec = spec("git remote -v; git push origin HEAD:refs/heads/monkeytown/state/evil; true");

        outcomeOf(spec);

        assertTrue(repository.branchTip("monkeytown/state/evil").isEmpty(), logOf(spec));
        assertFalse(logOf(spec).contains(repository.directory.toString() + " (push)"), logOf(spec));
    }

    @Test
    void aHookPlantedInTheCheckoutNeverRunsOutsideTheSandbox() throws Exception {
        Path marker = out.resolve("hook-ran");
        RunSpec spec = spec("printf '#!/bin/sh\\ntouch \"%s\"\\n' '" + marker + "' > .git/hooks/pre-push"
                + " && chmod +x .git/hooks/pre-push && git config core.hooksPath .git/hooks"
                + " && echo x > out.txt && git add out.txt && git commit -q -m work");

        RunOutcome outcome = outcomeOf(spec);

        assertEquals(new RunOutcome.Succeeded(true, outcome.finishedAt()), outcome, logOf(spec));
        assertFalse(Files.exists(marker), "the checkout's pre-push hook ran in the runner's process");
    }

    @Test
    void aBackgroundChildIsStoppedWhenTheCommandExits() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec("sleep " + sleep + " & exit 0");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        assertEquals(List.of(), running(sleep), "the command's background child outlived the run");
    }

    @Test
    void aTimeoutStopsEveryProcessTheRunStarted() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec(treeOf(sleep), Duration.ofSeconds(1));

        runner.start(spec);
        awaitTree(sleep);
        RunOutcome outcome = listener.awaitFinished(spec.id()).outcome();

        assertInstanceOf(RunOutcome.TimedOut.class, outcome, logOf(spec));
        assertEquals(List.of(), running(sleep));
        assertTrue(logOf(spec).contains("timed out"), logOf(spec));
    }

    @Test
    void cancellingStopsEveryProcessTheRunStarted() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec(treeOf(sleep), Duration.ofMinutes(30));

        runner.start(spec);
        awaitTree(sleep);
        runner.cancel(lookupOf(spec));
        RunOutcome outcome = listener.awaitFinished(spec.id()).outcome();

        assertInstanceOf(RunOutcome.Cancelled.class, outcome, logOf(spec));
        assertEquals(List.of(), running(sleep));
        runner.cancel(lookupOf(spec)); // a finished run: nothing to do, no error
    }

    @Test
    void aProcessThatLeavesTheProcessGroupIsStoppedInTheSandbox() throws Exception {
        assumeTrue(runner.sandbox().isolated(), "bubblewrap is not installed here: a process that starts its own"
                + " session escapes a process group, and only bubblewrap's PID namespace catches it");
        String sleep = sleep();
        RunSpec spec = spec("setsid sleep " + sleep + " > /dev/null 2>&1 < /dev/null & sleep 0.3; exit 0");

        assertInstanceOf(RunOutcome.Succeeded.class, outcomeOf(spec), logOf(spec));

        assertEquals(List.of(), running(sleep), "a process in a session of its own outlived the run");
    }

    @Test
    void inTheSandboxOnlyTheScratchDirectoryIsWritableAndTheRepositoryIsHidden() throws Exception {
        assumeTrue(runner.sandbox().isolated(), "bubblewrap is not installed here: without it a command can write"
                + " wherever the service's user can, and see the repository");
        Path outside = temp.resolve("outside.txt");
        RunSpec spec = spec("touch '" + outside + "'; ls -A '" + repository.directory + "'; ls -A '" + logRoot
                + "'; echo written > '" + out.resolve("allowed.txt") + "'; touch mine.txt && echo own-checkout-ok");

        outcomeOf(spec);

        String log = logOf(spec);
        assertFalse(Files.exists(outside), "wrote outside its scratch directory: " + log);
        assertFalse(log.contains("README.md"), "saw the repository: " + log);
        assertFalse(log.contains(spec.id() + ".log"), "saw the run logs: " + log);
        assertTrue(log.contains("own-checkout-ok"), log);
        assertEquals("written\n", Files.readString(out.resolve("allowed.txt")), "a configured writable path");
    }

    @Test
    void inTheSandboxNoLocalSocketUnderRunIsReachable() throws Exception {
        assumeTrue(runner.sandbox().isolated(), "bubblewrap is not installed here");
        // a read-only bind does not stop connect(): the D-Bus, systemd and Docker sockets under /run must not exist
        RunSpec spec = spec("echo \"run:[$(ls -A /run | tr -d '\\n')]\"");

        outcomeOf(spec);

        assertTrue(logOf(spec).contains("run:[]"), logOf(spec));
    }

    @Test
    void theLogIsKeptAndTheScratchDirectoryRemovedAfterTheRun() throws Exception {
        RunSpec spec = spec("pwd && echo kept");

        outcomeOf(spec);

        assertFalse(Files.exists(workRoot.resolve(spec.id())), "scratch directory should be removed");
        assertTrue(Files.exists(logRoot.resolve(spec.id() + ".log")));
        assertTrue(logOf(spec).contains("kept"));
        assertTrue(logOf(spec).contains(spec.id() + "/checkout"), logOf(spec));
    }

    @Test
    void theLogCanBeReadByByteRange() throws Exception {
        RunSpec spec = spec("echo 0123456789");

        outcomeOf(spec);

        LogExcerpt whole = runner.log(spec.id(), 0, 1 << 20).orElseThrow();
        int at = whole.text().indexOf("0123456789");
        LogExcerpt slice = runner.log(spec.id(), at + 3, 4).orElseThrow();
        assertEquals("3456", slice.text());
        assertEquals(at + 3, slice.fromByte());
        assertEquals(whole.totalBytes(), slice.totalBytes());
    }

    @Test
    void aMissingRefFailsWithoutRunningTheCommand() throws Exception {
        Path marker = out.resolve("ran");
        RunSpec spec = RunSpec.builder(TestRunIds.next(), "no-such-branch", Duration.ofMinutes(1))
                .command(List.of("touch", marker.toString())).build();

        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcomeOf(spec));

        assertEquals(OptionalInt.empty(), failed.exitCode());
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(workRoot.resolve(spec.id())));
        assertFalse(listener.hasStarted(spec.id()));
    }

    @Test
    void aRunStartedTwiceIsOneRun() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec("echo started >> '" + out.resolve("starts") + "'; sleep " + sleep);

        runner.start(spec);
        runner.start(spec); // a retried start

        listener.awaitStarted(spec.id());
        // "started" is the process spawned; on a loaded machine its shell may not have written its line yet
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(out.resolve("starts")) && !Files.readAllLines(out.resolve("starts")).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        runner.cancel(lookupOf(spec));
        assertInstanceOf(RunOutcome.Cancelled.class, listener.awaitFinished(spec.id()).outcome());
        assertEquals(List.of("started"), Files.readAllLines(out.resolve("starts")));
    }

    @Test
    void aRunWithoutACommandIsRejected() {
        RunSpec workflowOnly = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(1))
                .workflow(new RunSpec.WorkflowCall("agent-x.yml", "run_id", Map.of())).build();

        assertThrows(RunRejectedException.class, () -> runner.start(workflowOnly));
    }

    @Test
    void inspectTellsWhatBecameOfARun() throws Exception {
        RunSpec spec = spec("echo done");
        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(lookupOf(spec)), "never started here");

        RunOutcome outcome = outcomeOf(spec);

        RunnerTruth.Finished finished = assertInstanceOf(RunnerTruth.Finished.class, runner.inspect(lookupOf(spec)));
        assertEquals(outcome, finished.outcome(), "a run that ended here reports its own outcome");
        assertTrue(runner.log("../../etc/passwd", -1, 100).isEmpty());
    }

    @Test
    void aRunBegunByARunnerThatIsGoneIsReportedFailedNeverUnknown() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec("sleep " + sleep);
        runner.start(spec);
        listener.awaitStarted(spec.id());
        runner.close(); // the service stops; its run does not survive it

        LocalRunner next = runner(SecretValues.NONE);
        try {
            RunnerTruth truth = next.inspect(lookupOf(spec));

            RunnerTruth.Finished finished = assertInstanceOf(RunnerTruth.Finished.class, truth,
                    "a run with a log was begun: it must never be started twice");
            assertTrue(((RunOutcome.Failed) finished.outcome()).reason().contains("no trace"), finished.toString());
        } finally {
            next.close();
        }
    }

    @Test
    void aRunnerStartingBesideAnotherLeavesItsRunsAloneUntilItTakesOver() throws Exception {
        String sleep = sleep();
        RunSpec spec = spec(treeOf(sleep), Duration.ofMinutes(5));
        runner.start(spec);
        awaitTree(sleep);
        var processes = running(sleep);

        // a rolling update: the new instance starts while the old one still owns, and runs, its commands
        LocalRunner next = runner(SecretValues.NONE);
        try {
            assertEquals(processes, running(sleep), "a runner that has not taken over stopped another's run");

            next.takeOver(); // the service's writer takeover is done: what is still marked was left behind
            waitUntil("the leftover run is stopped", () -> running(sleep).isEmpty());
        } finally {
            next.close();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private String sleep() {
        String sleep = uniqueSleep();
        sleeps.add(sleep);
        return sleep;
    }

    /** A shell whose child shell backgrounds one sleep and waits on another, then says it is ready. */
    private String treeOf(String sleep) {
        return "sh -c 'sleep " + sleep + " & touch \"" + out.resolve("ready-" + sleep) + "\"; sleep " + sleep + "'";
    }

    private void awaitTree(String sleep) {
        waitUntil("the command started its processes", () -> Files.exists(out.resolve("ready-" + sleep)));
        waitUntil("both sleeps run", () -> running(sleep).size() >= 2);
    }

    private RunSpec spec(String script) {
        return spec(script, Duration.ofMinutes(1));
    }

    private RunSpec spec(String script, Duration timeout) {
        String id = TestRunIds.next();
        String branch = "agents/gardener/" + id;
        Map<String, String> environment = new HashMap<>(Map.of("MONKEYTOWN_RUN_ID", id, "MONKEYTOWN_AGENT",
                "gardener", "MONKEYTOWN_BRANCH", branch));
        for (String role : List.of("AUTHOR", "COMMITTER")) {
            environment.put("GIT_" + role + "_NAME", "monkeytown-gardener");
            environment.put("GIT_" + role + "_EMAIL", "gardener@agents.monkeytown");
        }
        return RunSpec.builder(id, "main", timeout).command(List.of("/bin/sh", "-c", script)).environment(environment)
                .deliverBranch(branch).build();
    }

    private static String branchOf(RunSpec spec) {
        return spec.deliverBranch().orElseThrow();
    }

    private static RunLookup lookupOf(RunSpec spec) {
        return RunLookup.of(spec, Instant.now(), Optional.of(RunnerRef.of(LocalRunner.KIND)));
    }

    private RecordingListener.Finished finishedOf(RunSpec spec) throws Exception {
        runner.start(spec);
        return listener.awaitFinished(spec.id());
    }

    private RunOutcome outcomeOf(RunSpec spec) throws Exception {
        RunOutcome outcome = finishedOf(spec).outcome();
        assertFalse(outcome.finishedAt().isAfter(Instant.now()));
        return outcome;
    }

    private String logOf(RunSpec spec) {
        return runner.log(spec.id(), 0, 1 << 20).map(LogExcerpt::text).orElse("<no log>");
    }

    private String logTail(RunSpec spec, int bytes) {
        return runner.log(spec.id(), -1, bytes).map(LogExcerpt::text).orElse("<no log>");
    }

    /** The machine's own PATH, so the allow-list is tested with real tools on it. */
    private static final class Machine {
        static final String PATH = java.util.Objects.requireNonNullElse(System.getenv("PATH"),
                RunEnvironment.DEFAULT_PATH);
    }
}
