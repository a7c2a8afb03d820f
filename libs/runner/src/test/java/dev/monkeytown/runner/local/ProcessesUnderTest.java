package dev.monkeytown.runner.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Test-side views of real processes. A sandboxed command sees its own PID namespace, so the pids it could report are
 * not the host's: tests find their processes by a unique argument instead ({@code sleep 600.<nonce>}).
 */
final class ProcessesUnderTest {

    private static final AtomicLong NONCES = new AtomicLong(System.nanoTime() % 100_000);

    private ProcessesUnderTest() {
    }

    /** A {@code sleep} argument no other process on the machine has: 600 seconds and a unique fraction. */
    static String uniqueSleep() {
        return "600." + NONCES.incrementAndGet() + "1";
    }

    /** Running (not zombie) processes on this machine whose command line contains {@code marker}. */
    static List<Long> running(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)
                        || p.info().arguments().map(args -> String.join(" ", args).contains(marker)).orElse(false))
                .map(ProcessHandle::pid).filter(ProcessesUnderTest::isRunning).toList();
    }

    /** Kills what a failed test left behind, so one failure does not leave sleeps for an hour. */
    static void killAll(String marker) {
        running(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** Alive and not a zombie: a killed orphan lingers as a zombie until it is reaped, though it runs nothing. */
    static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    static void waitUntil(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }
}
