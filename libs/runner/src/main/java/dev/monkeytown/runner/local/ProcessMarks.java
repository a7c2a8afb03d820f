package dev.monkeytown.runner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

/**
 * Remembers, in a {@code <run-id>.pid} file next to the run's log, which process group a runner started. A service
 * killed with SIGKILL cannot stop its commands, and without bubblewrap (whose sandbox dies with the service) they keep
 * running detached; the next runner finds the files and stops those groups, so a restart leaves nothing working on a
 * run nobody watches any more.
 *
 * <p>
 * Never kills on a guess: the group's leader counts only if it still has the start time stored with its pid (a
 * recycled pid is someone else's), and once the leader is gone a member counts only if its environment carries
 * {@code MONKEYTOWN_RUN_ID=<run-id>}, which the runner gives every command and its children inherit.
 */
final class ProcessMarks {

    private static final Logger LOG = Logger.getLogger(ProcessMarks.class);
    private static final String SUFFIX = ".pid";

    private final Path directory;

    ProcessMarks(Path directory) {
        this.directory = directory;
    }

    void mark(String runId, ProcessHandle leader) {
        Optional<Instant> started = leader.info().startInstant();
        try {
            Files.createDirectories(directory);
            Files.writeString(file(runId), leader.pid() + " " + started.map(Instant::toString).orElse("-") + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("run %s: cannot record its process id: %s", runId, e.getMessage());
        }
    }

    void clear(String runId) {
        try {
            Files.deleteIfExists(file(runId));
        } catch (IOException e) {
            LOG.debugf("run %s: cannot remove its process mark: %s", runId, e.getMessage());
        }
    }

    /** Stops every marked group that is provably the one marked; returns the run ids it stopped something of. */
    List<String> stopLeftovers(Duration grace) {
        return stopLeftovers(grace, runId -> false);
    }

    /** As {@link #stopLeftovers(Duration)}, leaving alone the runs {@code ours} says this runner is running. */
    List<String> stopLeftovers(Duration grace, Predicate<String> ours) {
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return stopped;
        }
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path mark : marks) {
                String runId = mark.getFileName().toString().replace(SUFFIX, "");
                if (ours.test(runId)) {
                    continue;
                }
                if (stopLeftover(runId, mark, grace)) {
                    stopped.add(runId);
                }
                Files.deleteIfExists(mark);
            }
        } catch (IOException e) {
            LOG.warnf("cannot look for processes left by a previous runner in %s: %s", directory, e.getMessage());
        }
        return stopped;
    }

    private static boolean stopLeftover(String runId, Path mark, Duration grace) {
        String[] fields;
        long leaderPid;
        try {
            fields = Files.readString(mark, StandardCharsets.UTF_8).trim().split(" ");
            leaderPid = Long.parseLong(fields[0]);
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or foreign: never kill on a guess
        }
        Optional<ProcessHandle> leader = ProcessHandle.of(leaderPid).filter(ProcessHandle::isAlive)
                .filter(p -> fields.length > 1 && !fields[1].equals("-")
                        && p.info().startInstant().map(Instant::toString).map(fields[1]::equals).orElse(false));
        List<Long> survivors;
        if (leader.isPresent()) {
            boolean grouped = ProcessGroup.groupOf(leaderPid).orElse(-1) == leaderPid;
            survivors = new ProcessGroup(leader.get(), grouped).terminate(grace, false);
        } else {
            String marker = "MONKEYTOWN_RUN_ID=" + runId;
            List<Long> orphans = ProcessGroup.membersOf(leaderPid).stream()
                    .filter(pid -> ProcessGroup.environmentOf(pid).contains(marker)).toList();
            if (orphans.isEmpty()) {
                return false;
            }
            survivors = ProcessGroup.terminate(() -> ProcessGroup.membersOf(leaderPid).stream()
                    .filter(orphans::contains).filter(ProcessGroup::isRunning).toList(), grace);
        }
        LOG.warnf("run %s: stopped the processes of process group %d left running by a previous runner%s", runId,
                leaderPid, survivors.isEmpty() ? "" : " (still running: " + survivors + ")");
        return true;
    }

    private Path file(String runId) {
        return directory.resolve(runId + SUFFIX);
    }
}
