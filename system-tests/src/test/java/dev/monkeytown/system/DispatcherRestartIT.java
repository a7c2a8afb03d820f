package dev.monkeytown.system;

import static dev.monkeytown.system.LocalGit.deleteRecursively;
import static dev.monkeytown.system.LocalGit.git;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent dispatcher killed with SIGKILL while one run is running and two more wait behind it, then started again
 * through {@code ./monkeytown}: no run is lost or duplicated, the running one is accounted for as failed (a local run's
 * result dies with the process), the queued ones run exactly once, one after the other, and delivered work stays.
 *
 * <p>
 * The {@code slow} agent waits for a gate file the test creates only after the restart, so the first run is surely
 * still running when the dispatcher dies, and the queued ones need not sleep long. Every agent start is written to a
 * ledger outside the repository, which is how "exactly once" is checked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherRestartIT {

    private static final int PORT_BASE = 18280;
    private static final Duration RUN_WAIT = Duration.ofSeconds(30);

    static Path data;
    static Path gate;
    static Path ledger;
    static Launcher launcher;
    static DispatcherApi api;

    static String running;
    static List<String> queuedSlow = new ArrayList<>();
    static List<String> quick = new ArrayList<>();
    /** The killed dispatcher's agent processes still alive right after the kill, reparented away from it. */
    static List<ProcessHandle> orphans = List.of();

    @BeforeAll
    static void seedRepositoryWithOwnAgents() throws Exception {
        data = Path.of("target", "dispatcher-restart-it").toAbsolutePath();
        deleteRecursively(data);
        Path home = data.resolve("home");
        gate = data.resolve("slow-gate");
        ledger = data.resolve("agent-starts.txt");
        Files.createDirectories(home);

        Path repo = home.resolve("repo");
        git(home, "init", "-q", "-b", "main", repo.toString());
        Files.createDirectories(repo.resolve(".monkeytown"));
        Files.writeString(repo.resolve(".monkeytown/agents.yaml"), """
                agents:
                  slow:
                    timeout: 5m
                    command: >-
                      echo "slow $MONKEYTOWN_RUN_ID" >> '%1$s' &&
                      while [ ! -e '%2$s' ]; do sleep 0.2; done &&
                      sleep 2 && echo done > slow.txt && git add slow.txt && git commit -q -m slow
                  quick:
                    command: >-
                      echo "quick $MONKEYTOWN_RUN_ID" >> '%1$s' &&
                      echo hi > quick-$MONKEYTOWN_RUN_ID.txt && git add . && git commit -q -m quick
                """.formatted(ledger, gate));
        git(repo, "add", ".monkeytown/agents.yaml");
        git(repo, "commit", "-q", "-m", "Agents of the dispatcher restart test");

        // the agents write their ledger outside their checkout, which a sandboxed agent may only do where allowed
        launcher = new Launcher(home, PORT_BASE, Map.of("MONKEYTOWN_DISPATCHER_LOCAL_WRITABLE_PATHS", data.toString()));
    }

    @AfterAll
    static void leaveNothingRunning() throws Exception {
        if (launcher != null) {
            launcher.run("down");
            launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
        }
        // what the killed dispatcher left behind: its agent's shell (and that shell's sleep), no longer anyone's child
        for (ProcessHandle orphan : orphans) {
            List<ProcessHandle> children = orphan.descendants().toList();
            orphan.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        // and anything else started from this test's agents.yaml, whoever its parent is now
        if (data != null) {
            agentProcessesOfThisTest().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Order(1)
    void queueRunsWhileTheSuiteIsUp() throws Exception {
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        api = DispatcherApi.of(launcher);
        // the pre-seeded main was left alone: only this test's agents exist (no examples seeded over them)
        assertEquals(0, git(launcher.home().resolve("repo"), "log", "--format=%s", "main").lines()
                .filter(subject -> !subject.equals("Agents of the dispatcher restart test")).count());

        JsonNode first = api.queue("slow");
        assertEquals("queued", first.path("state").asText(), first.toString());
        running = first.path("id").asText();
        await().atMost(RUN_WAIT).until(() -> api.state(running), "running"::equals);

        for (int i = 0; i < 2; i++) {
            queuedSlow.add(api.queue("slow").path("id").asText());
        }
        for (int i = 0; i < 2; i++) {
            quick.add(api.queue("quick").path("id").asText());
        }
        for (String id : quick) {
            await().atMost(RUN_WAIT).until(() -> api.state(id), "succeeded"::equals);
        }
        // one active run per agent: the two later slow runs wait behind the first
        assertEquals("running", api.state(running));
        for (String id : queuedSlow) {
            assertEquals("queued", api.state(id), () -> "run " + id + " should wait behind " + running);
        }
    }

    @Test
    @Order(2)
    void killTheDispatcherWithSigkillAndStartItAgain() throws Exception {
        ProcessHandle dispatcher = ProcessHandle.of(launcher.recordedPid("agent-dispatcher").orElseThrow()).orElseThrow();
        List<ProcessHandle> agentTree = dispatcher.descendants().toList();
        assertTrue(agentTree.stream().anyMatch(p -> commandLine(p).contains(gate.toString())),
                () -> "the first slow run's agent must still be running at the kill: " + describe(agentTree));
        assertEquals(List.of(running), startsOf("slow"), "only the first slow run may have started before the kill");

        // destroyForcibly is SIGKILL on POSIX: no shutdown hook, no chance to record anything
        dispatcher.destroyForcibly();
        dispatcher.onExit().get(20, TimeUnit.SECONDS);
        orphans = agentTree.stream().filter(ProcessHandle::isAlive).toList();
        System.out.printf("DispatcherRestartIT: %d of the killed dispatcher's %d agent processes survived SIGKILL: %s%n",
                orphans.size(), agentTree.size(), describe(orphans));

        // ./monkeytown up starts a whole suite only (with one service dead it asks for a down first), so restart it all
        Launcher.Result down = launcher.run("down");
        assertEquals(0, down.exitCode(), down.output());
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        assertTrue(launcher.recordedPid("agent-dispatcher").orElseThrow() != dispatcher.pid());
        // the new dispatcher's runner found the process marks and stopped what the killed one left running
        await().atMost(Duration.ofSeconds(10)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(3)
    void theRunningRunIsAccountedForAsFailedNotLost() throws Exception {
        JsonNode run = await().atMost(RUN_WAIT).until(() -> api.run(running),
                r -> !r.path("state").asText().equals("running"));
        assertEquals("failed", run.path("state").asText(), run.toString());
        assertTrue(run.path("reason").asText().contains("no trace"), run.toString());
        assertTrue(run.hasNonNull("finishedAt"), run.toString());
    }

    @Test
    @Order(4)
    void theQueuedRunsRunExactlyOnceOneAfterTheOther() throws Exception {
        Files.writeString(gate, "open");
        List<JsonNode> done = new ArrayList<>();
        for (String id : queuedSlow) {
            done.add(await().atMost(RUN_WAIT).until(() -> api.run(id), r -> isFinished(r.path("state").asText())));
        }
        for (JsonNode run : done) {
            assertEquals("succeeded", run.path("state").asText(), run.toString());
            String id = run.path("id").asText();
            assertEquals("agents/slow/" + id, run.at("/runner/branch").asText(), run.toString());
            assertEquals("1", git(launcher.home().resolve("repo"), "rev-list", "--count", "main..agents/slow/" + id)
                    .trim(), "the run's branch holds its one commit");
        }
        // never both active: one run's start follows the other's end
        done.sort(Comparator.comparing(r -> Instant.parse(r.path("startedAt").asText())));
        Instant firstFinished = Instant.parse(done.get(0).path("finishedAt").asText());
        Instant secondStarted = Instant.parse(done.get(1).path("startedAt").asText());
        assertFalse(secondStarted.isBefore(firstFinished), () -> "both slow runs were active at once: " + done);

        List<String> slowStarts = startsOf("slow");
        assertEquals(3, slowStarts.size(), () -> "slow agent starts: " + slowStarts);
        assertEquals(Set.of(running, queuedSlow.get(0), queuedSlow.get(1)), Set.copyOf(slowStarts),
                () -> "every slow run starts exactly once: " + slowStarts);
        assertEquals(Set.copyOf(quick), Set.copyOf(startsOf("quick")), "the quick runs are not run again");
        assertEquals(2, startsOf("quick").size());
    }

    @Test
    @Order(5)
    void everyRunQueuedBeforeTheKillIsListedExactlyOnce() throws Exception {
        List<String> queued = new ArrayList<>();
        queued.add(running);
        queued.addAll(queuedSlow);
        queued.addAll(quick);

        List<JsonNode> listed = api.allRuns();
        List<String> ids = listed.stream().map(r -> r.path("id").asText()).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), () -> "a run is listed twice: " + ids);
        assertEquals(Set.copyOf(queued), Set.copyOf(ids), "exactly the runs queued before the kill, none lost or added");
        List<String> newestFirst = ids.stream().sorted(Comparator.reverseOrder()).toList();
        assertEquals(newestFirst, ids, "runs are listed newest first");

        Map<String, JsonNode> byId = listed.stream().collect(Collectors.toMap(r -> r.path("id").asText(),
                Function.identity()));
        for (String id : queued) {
            JsonNode single = api.run(id);
            assertEquals(id, single.path("id").asText());
            assertEquals(byId.get(id).path("state").asText(), single.path("state").asText(),
                    () -> "list and GET disagree on " + id);
        }
        assertEquals("failed", byId.get(running).path("state").asText());
        for (String id : queuedSlow) {
            assertEquals("succeeded", byId.get(id).path("state").asText());
        }
    }

    @Test
    @Order(6)
    void workDeliveredBeforeTheKillStaysInTheRepository() throws Exception {
        Path repo = launcher.home().resolve("repo");
        Set<String> branches = git(repo, "branch", "--list", "agents/quick/*", "--format=%(refname:short)").lines()
                .collect(Collectors.toSet());
        for (String id : quick) {
            assertTrue(branches.contains("agents/quick/" + id), () -> "missing agents/quick/" + id + " in " + branches);
            JsonNode run = api.run(id);
            assertEquals("succeeded", run.path("state").asText(), run.toString());
            assertEquals("agents/quick/" + id, run.at("/runner/branch").asText(), run.toString());
        }
        assertEquals(2, branches.size(), () -> "one branch per quick run: " + branches);
        // nothing is left live on the state branch once every run ended
        await().atMost(RUN_WAIT).until(() -> git(repo, "ls-tree", "-r", "--name-only",
                "monkeytown/state/agent-dispatcher", "live").isBlank());
    }

    private static boolean isFinished(String state) {
        return List.of("succeeded", "failed", "cancelled", "timed_out").contains(state);
    }

    /** The run ids the agent was started for, in order, as its command wrote them to the ledger. */
    private static List<String> startsOf(String agent) throws IOException {
        if (!Files.exists(ledger)) {
            return List.of();
        }
        return Files.readAllLines(ledger).stream()
                .filter(line -> line.startsWith(agent + " "))
                .map(line -> line.substring(agent.length() + 1))
                .toList();
    }

    private static Stream<ProcessHandle> agentProcessesOfThisTest() {
        return ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(gate.toString()));
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + commandLine(p)).toList().toString();
    }

}
