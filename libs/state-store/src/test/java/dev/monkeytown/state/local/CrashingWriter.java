package dev.monkeytown.state.local;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * The process {@link LocalCrashDurabilityTest} kills: writes documents forever, 16 in flight, and prints
 * {@code ACK <path>} once each one's commit is acknowledged.
 * <p>
 * Usage: {@code java -cp <test classpath> dev.monkeytown.state.local.CrashingWriter <repo dir> <service> [max packs]}
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
        LocalGitRepository repository = LocalGitRepository.openOrCreate(directory, false, maxPacks);
        GroupCommitStateBranch branch = new GroupCommitStateBranch(service, repository.branch(service),
                StateBranchOptions.defaults());
        Semaphore inFlight = new Semaphore(16);
        for (long n = 0;; n++) {
            inFlight.acquire();
            String path = "acks/" + (n / 100) + "/" + n + ".json";
            String content = "{\"n\":" + n + "}";
            branch.apply(new Change("write " + path, Actor.service("crash-test"), ws -> ws.put(path, content)))
                    .subscribe().with(receipt -> {
                        acknowledge(path);
                        inFlight.release();
                    }, failure -> {
                        System.err.println("FAILED " + path + ": " + failure);
                        inFlight.release();
                    });
        }
    }

    private static synchronized void acknowledge(String path) {
        System.out.println("ACK " + path);
        System.out.flush();
    }
}
