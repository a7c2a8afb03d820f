package dev.monkeytown.dispatcher.runner;

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

import org.jboss.logging.Logger;

/**
 * Remembers, in a {@code <run-id>.pid} file next to the run's log, which agent process a runner started. A dispatcher
 * killed with SIGKILL cannot stop its agents, and they keep running detached; the next runner finds the files and
 * stops those processes, so a restart leaves no agent working on a run nobody is watching any more. The start time is
 * stored with the pid and must match, so a recycled pid is never killed.
 */
final class ProcessMarks {

    private static final Logger LOG = Logger.getLogger(ProcessMarks.class);
    private static final String SUFFIX = ".pid";

    private final Path directory;

    ProcessMarks(Path directory) {
        this.directory = directory;
    }

    void mark(String runId, ProcessHandle process) {
        Optional<Instant> started = process.info().startInstant();
        try {
            Files.createDirectories(directory);
            Files.writeString(file(runId), process.pid() + " " + started.map(Instant::toString).orElse("-") + "\n",
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

    /** Stops every marked process that is still the one that was marked; returns the run ids it stopped. */
    List<String> stopLeftovers(Duration grace) {
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return stopped;
        }
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path mark : marks) {
                String runId = mark.getFileName().toString().replace(SUFFIX, "");
                leftover(mark).ifPresent(process -> {
                    List<ProcessHandle> survivors = ProcessTree.terminate(process, grace);
                    LOG.warnf("run %s: stopped agent process %d left running by a previous dispatcher%s", runId,
                            process.pid(), survivors.isEmpty() ? "" : " (survivors: " + survivors + ")");
                    stopped.add(runId);
                });
                Files.deleteIfExists(mark);
            }
        } catch (IOException e) {
            LOG.warnf("cannot look for agent processes left by a previous dispatcher in %s: %s", directory,
                    e.getMessage());
        }
        return stopped;
    }

    private static Optional<ProcessHandle> leftover(Path mark) {
        try {
            String[] fields = Files.readString(mark, StandardCharsets.UTF_8).trim().split(" ");
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0]));
            return process.filter(ProcessHandle::isAlive).filter(p -> fields.length > 1 && !fields[1].equals("-")
                    && p.info().startInstant().map(Instant::toString).map(fields[1]::equals).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or foreign: never kill on a guess
        }
    }

    private Path file(String runId) {
        return directory.resolve(runId + SUFFIX);
    }
}
