package dev.monkeytown.state.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * The other process of {@link LocalCrashDurabilityTest} and {@link LocalPausedWriterTest}: writes documents
 * {@code acks/...} forever, 16 in flight, and prints {@code ACK <path>} once each one's commit is acknowledged.
 * <p>
 * With a pause count, once that many changes are acknowledged, the next commit stops while it holds the branch's lock:
 * it prints {@code PAUSED} and waits for a line on standard input (the test meanwhile stops the whole process with
 * SIGSTOP), then finishes that commit and carries on.
 * <p>
 * Usage: {@code java -cp <test classpath> dev.monkeytown.state.local.CrashingWriter <repo dir> <service> [max packs]
 * [pause after acks]}
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        // The test classpath carries JBoss LogManager, which wants to be the JUL manager before any logger exists.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Path directory = Path.of(args[0]);
        String service = args[1];
        int maxPacks = args.length > 2 ? Integer.parseInt(args[2]) : PackConsolidator.DEFAULT_MAX_PACKS;
        int pauseAfter = args.length > 3 ? Integer.parseInt(args[3]) : -1;
        AtomicInteger acknowledged = new AtomicInteger();
        Disk disk = pauseAfter >= 0 ? pausingOnceInARefLock(acknowledged, pauseAfter) : Disk.system();
        LocalGitRepository repository = LocalGitRepository.openOrCreate(directory, false, maxPacks, disk);
        GroupCommitStateBranch branch = new GroupCommitStateBranch(service, repository.branch(service),
                StateBranchOptions.defaults());
        Semaphore inFlight = new Semaphore(16);
        for (long n = 0;; n++) {
            inFlight.acquire();
            String path = "acks/" + (n / 100) + "/" + n + ".json";
            String content = "{\"n\":" + n + "}";
            branch.apply(new Change("write " + path, Actor.service("crash-test"), ws -> ws.put(path, content)))
                    .subscribe().with(receipt -> {
                        say("ACK " + path);
                        acknowledged.incrementAndGet();
                        inFlight.release();
                    }, failure -> {
                        System.err.println("FAILED " + path + ": " + failure);
                        inFlight.release();
                    });
        }
    }

    /**
     * The real disk, except that the first ref lock fsynced after {@code pauseAfter} acknowledgements stops: by then
     * the commit holds the branch lock and {@code <ref>.lock}, and has compared the head.
     */
    private static Disk pausingOnceInARefLock(AtomicInteger acknowledged, int pauseAfter) {
        AtomicBoolean paused = new AtomicBoolean();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Disk system = Disk.system();
        return new Disk() {
            @Override
            public void force(FileChannel channel, Path file) throws IOException {
                system.force(channel, file);
                if (file.getFileName().toString().endsWith(".lock") && acknowledged.get() >= pauseAfter
                        && paused.compareAndSet(false, true)) {
                    say("PAUSED");
                    input.readLine();
                }
            }

            @Override
            public void syncFolder(Path folder) throws IOException {
                system.syncFolder(folder);
            }

            @Override
            public void rename(Path source, Path target) throws IOException {
                system.rename(source, target);
            }
        };
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
