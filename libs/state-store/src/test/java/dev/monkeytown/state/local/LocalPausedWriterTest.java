package dev.monkeytown.state.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * A writer that stops while it holds a branch's lock (a GC pause, SIGSTOP, a slow disk) must keep it: whoever takes it
 * away lets the stopped writer, once it runs again, put its ref over commits acknowledged meanwhile. Another JVM is
 * stopped with SIGSTOP for 30 s inside a commit while this one keeps writing the same branch; afterwards every change
 * either of them acknowledged must be on the branch.
 */
class LocalPausedWriterTest {

    private static final String SERVICE = "paused";
    private static final int ACKS_BEFORE_PAUSE = 20;
    /** Longer than any age after which a lock could pass for abandoned (20 s before this test was written). */
    private static final Duration STOPPED_FOR = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path directory;

    @Test
    void aWriterStoppedWhileHoldingTheBranchLosesNoAcknowledgedChangeAndNeitherDoesAnyoneElse() throws Exception {
        Path repo = directory.resolve("repo");
        Path stderr = directory.resolve("writer-stderr.txt");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashingWriter.class.getName(), repo.toString(), SERVICE,
                String.valueOf(PackConsolidator.DEFAULT_MAX_PACKS), String.valueOf(ACKS_BEFORE_PAUSE))
                .redirectError(stderr.toFile())
                .start();
        WriterOutput output = new WriterOutput(writer);
        Set<String> acknowledgedHere = ConcurrentHashMap.newKeySet();
        List<Throwable> failedHere = new ArrayList<>();
        try {
            assertTrue(output.paused.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "writer never paused: " + Files.readString(stderr));
            signal(writer, "STOP");

            AtomicBoolean writing = new AtomicBoolean(true);
            Thread here;
            try (LocalGitRepository repository = LocalGitRepository.openOrCreate(repo);
                    GroupCommitStateBranch branch = new GroupCommitStateBranch(SERVICE, repository.branch(SERVICE),
                            // Waits out the stopped writer instead of giving up after the default 30 s.
                            StateBranchOptions.defaults().withUnavailableWait(WAIT, Duration.ofMillis(100),
                                    Duration.ofSeconds(1)))) {
                here = writeUntilStopped(branch, writing, acknowledgedHere, failedHere);
                Thread.sleep(STOPPED_FOR.toMillis());

                signal(writer, "CONT");
                OutputStream input = writer.getOutputStream();
                input.write("go on\n".getBytes(StandardCharsets.UTF_8));
                input.flush();
                int writerAcks = output.acknowledged().size();
                await().atMost(WAIT).until(() -> output.acknowledged().size() >= writerAcks + 20);
                // Racing a writer that commits back to back, this one may lose its compare-and-swap every time
                // (StateConflictException, nothing written): its progress is checked once the writer is gone.
                writer.destroyForcibly();
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
                int hereAcks = acknowledgedHere.size();
                await().atMost(WAIT).until(() -> acknowledgedHere.size() >= hereAcks + 20);
                writing.set(false);
                here.join(WAIT.toMillis());
            }
        } finally {
            signal(writer, "CONT");
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
        }

        String branch = "monkeytown/state/" + SERVICE;
        Set<String> onBranch = new HashSet<>(
                GitCli.output(repo, "ls-tree", "-r", "--name-only", branch).lines().toList());
        List<String> lost = new ArrayList<>();
        output.acknowledged().stream().filter(path -> !onBranch.contains(path)).forEach(lost::add);
        acknowledgedHere.stream().filter(path -> !onBranch.contains(path)).sorted().forEach(lost::add);
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged changes are not on the branch, e.g. "
                + lost.subList(0, Math.min(5, lost.size())));
        List<Throwable> unexpected = failedHere.stream().filter(f -> !(f instanceof StateConflictException))
                .toList();
        assertEquals(List.of(), unexpected, "changes made while the writer was stopped waited for it");
        GitCli.Result fsck = GitCli.run(repo, "fsck", "--strict", "--no-dangling");
        assertEquals(0, fsck.exitCode(), fsck.errors() + fsck.output());
    }

    /** Writes {@code here/<n>.json}, 8 in flight, until {@code writing} turns false; waits for the last answers. */
    private static Thread writeUntilStopped(GroupCommitStateBranch branch, AtomicBoolean writing,
            Set<String> acknowledged, List<Throwable> failed) {
        Thread thread = new Thread(() -> {
            Semaphore inFlight = new Semaphore(8);
            try {
                for (int n = 0; writing.get(); n++) {
                    inFlight.acquire();
                    String path = "here/" + n + ".json";
                    branch.apply(new Change("write " + path, Actor.service("here"), ws -> ws.put(path, "{}")))
                            .subscribe().with(receipt -> {
                                acknowledged.add(path);
                                inFlight.release();
                            }, failure -> {
                                synchronized (failed) {
                                    failed.add(failure);
                                }
                                inFlight.release();
                            });
                }
                if (!inFlight.tryAcquire(8, WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("changes still unanswered after " + WAIT);
                }
            } catch (InterruptedException | AssertionError e) {
                synchronized (failed) {
                    failed.add(e);
                }
            }
        }, "writer-here");
        thread.start();
        return thread;
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        }
    }

    /** Reads the writer's {@code ACK <path>} and {@code PAUSED} lines as they come. */
    private static final class WriterOutput {
        final CountDownLatch paused = new CountDownLatch(1);
        private final List<String> acknowledged = new ArrayList<>();

        WriterOutput(Process writer) {
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("ACK ")) {
                            synchronized (acknowledged) {
                                acknowledged.add(line.substring(4));
                            }
                        } else if (line.equals("PAUSED")) {
                            paused.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the writer was killed: what it printed before counts
                }
            }, "writer-output");
            reader.setDaemon(true);
            reader.start();
        }

        List<String> acknowledged() {
            synchronized (acknowledged) {
                return List.copyOf(acknowledged);
            }
        }
    }
}
