package dev.monkeytown.runner.local;

import static dev.monkeytown.runner.local.ProcessesUnderTest.running;
import static dev.monkeytown.runner.local.ProcessesUnderTest.uniqueSleep;
import static dev.monkeytown.runner.local.ProcessesUnderTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a runner started after a crash does with the processes its predecessor could not stop. */
class ProcessMarksTest {

    private static final String RUN = "01JAAAAAAAAAAAAAAAAAAAAAAA";

    @TempDir
    Path logs;

    private final List<Process> strays = new ArrayList<>();
    private final List<String> sleeps = new ArrayList<>();

    @AfterEach
    void killStrays() {
        strays.forEach(Process::destroyForcibly);
        sleeps.forEach(ProcessesUnderTest::killAll);
    }

    @Test
    void aMarkedProcessLeftRunningIsStoppedByTheNextRunner() throws Exception {
        Process stray = start("sleep", "60");
        new ProcessMarks(logs).mark(RUN, stray.toHandle());

        List<String> stopped = new ProcessMarks(logs).stopLeftovers(Duration.ofMillis(200));

        assertEquals(List.of(RUN), stopped);
        assertTrue(stray.waitFor(5, TimeUnit.SECONDS), "the leftover was stopped");
        assertFalse(Files.exists(logs.resolve(RUN + ".pid")));
    }

    @Test
    void aPidThatNowBelongsToAnotherProcessIsNotKilled() throws Exception {
        Process stray = start("sleep", "60");
        Files.writeString(logs.resolve(RUN + ".pid"), stray.pid() + " 2001-01-01T00:00:00Z\n");

        List<String> stopped = new ProcessMarks(logs).stopLeftovers(Duration.ofMillis(200));

        assertEquals(List.of(), stopped);
        assertTrue(stray.isAlive(), "a recycled pid must never be killed");
        assertFalse(Files.exists(logs.resolve(RUN + ".pid")), "the stale mark is dropped");
    }

    @Test
    void orphansOfAGoneLeaderAreStoppedWhenTheyCarryTheRunsId() throws Exception {
        assumeTrue(ProcessGroup.groupsReadable() && Sandbox.onPath("setsid").isPresent(),
                "no /proc or no setsid here: process groups cannot be found");
        String ours = sleep();
        String foreign = sleep();
        // a group leader that starts two background sleeps and exits, as a command does when its runner is killed
        Process leader = start("setsid", "sh", "-c", "MONKEYTOWN_RUN_ID=" + RUN + " sleep " + ours
                + " > /dev/null 2>&1 & MONKEYTOWN_RUN_ID=someone-else sleep " + foreign + " > /dev/null 2>&1 & exit 0");
        new ProcessMarks(logs).mark(RUN, leader.toHandle());
        assertTrue(leader.waitFor(10, TimeUnit.SECONDS));
        waitUntil("both orphans run", () -> running(ours).size() == 1 && running(foreign).size() == 1);

        List<String> stopped = new ProcessMarks(logs).stopLeftovers(Duration.ofMillis(200));

        assertEquals(List.of(RUN), stopped);
        assertEquals(List.of(), running(ours), "the run's orphan was stopped");
        assertEquals(1, running(foreign).size(), "a process without the run's id is never killed on a guess");
    }

    private String sleep() {
        String sleep = uniqueSleep();
        sleeps.add(sleep);
        return sleep;
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        strays.add(process);
        return process;
    }
}
