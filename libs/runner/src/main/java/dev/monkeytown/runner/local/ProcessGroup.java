package dev.monkeytown.runner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything one run started, and how to stop all of it. The command is started as the leader of its own process group
 * (through {@code setsid}), so every process it starts belongs to the group whatever happens to its parents: a
 * background child orphaned by a shell that exited is still found, unlike in a walk of the leader's descendants. The
 * members are read from {@code /proc}.
 *
 * <p>
 * What a group cannot catch: a process that starts a session or group of its own ({@code setsid}, a daemonizing
 * service). Under bubblewrap the command also runs in its own PID namespace, which the kernel kills whole when the
 * command exits, and that catches those too. Where {@code /proc} or {@code setsid} is missing (not Linux), the group is
 * the leader's descendants, gathered again before each signal, as a best effort.
 */
final class ProcessGroup {

    private static final Path PROC = Path.of("/proc");
    private static final Duration POLL = Duration.ofMillis(25);
    private static final int ROUNDS = 4;

    private final ProcessHandle leader;
    private final boolean grouped;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    /**
     * @param grouped whether the leader was started as the leader of a new process group (its pid is the group id)
     */
    ProcessGroup(ProcessHandle leader, boolean grouped) {
        this.leader = leader;
        this.grouped = grouped && groupsReadable();
        seen.add(leader);
    }

    static boolean groupsReadable() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    long id() {
        return leader.pid();
    }

    /** Members still running (zombies, which run nothing, do not count). */
    List<Long> running() {
        Set<Long> pids = new LinkedHashSet<>();
        for (ProcessHandle handle : List.copyOf(seen)) {
            if (handle.isAlive()) {
                pids.add(handle.pid());
                // descendants too: a child that left the group is still the run's while its parent lives
                handle.descendants().forEach(child -> {
                    seen.add(child);
                    pids.add(child.pid());
                });
            }
        }
        if (grouped) {
            pids.addAll(membersOf(leader.pid()));
        }
        return pids.stream().filter(ProcessGroup::isRunning).toList();
    }

    /**
     * Asks every member to stop (SIGTERM), then forces (SIGKILL) whatever is left after {@code grace}, until none is
     * left or a few rounds passed. Blocks up to a few grace periods, so callers run it off request threads.
     *
     * @param spareLeaderAtFirst leave the leader out of the polite round: a sandbox's outer process dies at once on
     *        SIGTERM and takes its namespace with it, which would deny the command its grace period
     * @return the members still running at the end; empty when the whole group is gone
     */
    List<Long> terminate(Duration grace, boolean spareLeaderAtFirst) {
        long spared = spareLeaderAtFirst ? leader.pid() : -1;
        return terminate(this::running, spared, grace);
    }

    /** {@link #terminate(Duration, boolean)} for members known otherwise (a previous runner's orphans). */
    static List<Long> terminate(Supplier<List<Long>> running, Duration grace) {
        return terminate(running, -1, grace);
    }

    private static List<Long> terminate(Supplier<List<Long>> running, long sparedAtFirst, Duration grace) {
        for (int round = 0; round < ROUNDS; round++) {
            List<Long> alive = running.get();
            if (alive.isEmpty()) {
                return List.of();
            }
            boolean force = round > 0;
            for (long pid : alive) {
                if (!force && pid == sparedAtFirst) {
                    continue;
                }
                ProcessHandle.of(pid).ifPresent(p -> {
                    if (force) {
                        p.destroyForcibly();
                    } else {
                        p.destroy();
                    }
                });
            }
            awaitNoneRunning(running, grace);
        }
        return running.get();
    }

    private static void awaitNoneRunning(Supplier<List<Long>> running, Duration grace) {
        Instant deadline = Instant.now().plus(grace);
        while (!running.get().isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The process's environment as {@code NAME=value} entries; empty when it cannot be read. */
    static List<String> environmentOf(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Processes whose group is {@code groupId}, from {@code /proc}; empty where there is no {@code /proc}. */
    static List<Long> membersOf(long groupId) {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                Stat stat = Stat.of(entry.resolve("stat"));
                if (stat != null && stat.groupId == groupId) {
                    members.add(stat.pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: only the descendants are known
        }
        return members;
    }

    /** Alive and not a zombie: a killed orphan lingers as a zombie until it is reaped, though it runs nothing. */
    static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Stat stat = Stat.of(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat == null ? Files.notExists(PROC) : stat.state != 'Z' && stat.state != 'X';
    }

    /** The group a process belongs to, when {@code /proc} says. */
    static OptionalLong groupOf(long pid) {
        Stat stat = Stat.of(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat == null ? OptionalLong.empty() : OptionalLong.of(stat.groupId);
    }

    /** The fields of {@code /proc/<pid>/stat} used here. The command name may hold spaces and parentheses. */
    private record Stat(long pid, char state, long groupId) {
        static Stat of(Path file) {
            try {
                String text = Files.readString(file);
                int close = text.lastIndexOf(')');
                String[] after = text.substring(close + 2).split(" ");
                return new Stat(Long.parseLong(text.substring(0, text.indexOf(' '))), after[0].charAt(0),
                        Long.parseLong(after[2]));
            } catch (IOException | RuntimeException e) {
                return null; // gone between listing and reading, or not Linux
            }
        }
    }
}
