package dev.monkeytown.runner.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Where a local command runs. With bubblewrap ({@code bwrap}, Debian's {@code bubblewrap}), in a mount namespace whose
 * whole file system is read-only except the run's scratch directory (its checkout, {@code HOME} and {@code TMPDIR}) and
 * paths configured as writable; the runner's own directories, the state repository and the configured hidden paths
 * (the service's data directory with its tokens) are replaced by empty directories; in a PID namespace of its own (it
 * sees no other process, and everything in it dies with the command), with no capabilities, and dying with the service.
 * Without bubblewrap, as a plain child process of the service's user: see {@code docs/runner.md} for what that
 * does and does not keep out.
 */
public final class Sandbox {

    /** How a runner picks its sandbox. */
    public enum Mode {
        /** bubblewrap when it is installed and works here, else none (logged at start). */
        AUTO,
        /** bubblewrap, or refuse to start. */
        BUBBLEWRAP,
        /** Never: commands run as plain child processes. */
        NONE
    }

    private static final Logger LOG = Logger.getLogger(Sandbox.class);
    private static final List<String> PROBE_FLAGS = List.of("--die-with-parent", "--unshare-pid", "--unshare-ipc",
            "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");

    private final Optional<Path> bubblewrap;
    private final List<Path> hidden;
    private final List<Path> writable;
    private final List<Path> readable;

    private Sandbox(Optional<Path> bubblewrap, List<Path> hidden, List<Path> writable, List<Path> readable) {
        this.bubblewrap = bubblewrap;
        this.hidden = hidden.stream().map(Sandbox::canonical).toList();
        this.writable = writable.stream().map(Sandbox::canonical).toList();
        this.readable = readable.stream().map(Sandbox::canonical).toList();
    }

    public static Sandbox none() {
        return new Sandbox(Optional.empty(), List.of(), List.of(), List.of());
    }

    /**
     * @param hidden paths the command must not see at all, on top of the runner's own (its work and log directories
     *        and the repository it clones from): the service's data directory, tokens files
     * @param writable paths the command may write besides its scratch directory; a hidden path stays hidden even
     *        inside a writable one
     * @throws IllegalStateException in {@link Mode#BUBBLEWRAP} when bubblewrap is missing or does not work here
     */
    public static Sandbox choose(Mode mode, List<Path> hidden, List<Path> writable) {
        return choose(mode, hidden, writable, List.of());
    }

    /**
     * As {@link #choose(Mode, List, List)}, with paths the command must still see where the sandbox empties their
     * parent: everything under {@code /tmp} and {@code /run} is replaced by an empty folder, so a data directory
     * there (a test's, a laptop's) would vanish with it.
     *
     * @param readable paths the command reads (deploy-service's artifacts), bound read-only
     */
    public static Sandbox choose(Mode mode, List<Path> hidden, List<Path> writable, List<Path> readable) {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.NONE) {
            return none();
        }
        Optional<Path> found = onPath("bwrap").filter(Sandbox::works);
        if (found.isEmpty() && mode == Mode.BUBBLEWRAP) {
            throw new IllegalStateException("bubblewrap (bwrap) is not installed or cannot create namespaces here;"
                    + " install it (Debian: apt-get install bubblewrap) or choose another sandbox mode");
        }
        if (found.isEmpty()) {
            LOG.warnf("bubblewrap (bwrap) is not available: local commands run without a sandbox and can read and"
                    + " write whatever this service's user can");
        }
        return new Sandbox(found, List.copyOf(hidden), List.copyOf(writable), List.copyOf(readable));
    }

    /** Whether commands run inside bubblewrap. */
    public boolean isolated() {
        return bubblewrap.isPresent();
    }

    public String describe() {
        return isolated() ? "in a bubblewrap sandbox (only its scratch directory is writable)" : "without a sandbox";
    }

    /**
     * The argument vector that runs {@code argv} in this sandbox.
     *
     * @param scratch the run's own directory, writable inside
     * @param workingDirectory where the command starts (its checkout)
     * @param alsoHidden the runner's own paths
     */
    List<String> wrap(List<String> argv, Path scratch, Path workingDirectory, List<Path> alsoHidden) {
        if (bubblewrap.isEmpty()) {
            return argv;
        }
        List<String> command = new ArrayList<>();
        command.add(bubblewrap.get().toString());
        command.addAll(PROBE_FLAGS);
        command.addAll(List.of("--tmpfs", "/tmp"));
        // a read-only bind does not stop connect(): an empty /run (and so /var/run) leaves no D-Bus, systemd or Docker
        // socket to ask for work outside the sandbox. Abstract sockets stay reachable: the network is shared.
        command.addAll(List.of("--tmpfs", "/run"));
        for (Path path : readable) {
            if (Files.exists(path)) {
                command.addAll(List.of("--ro-bind", path.toString(), path.toString()));
            }
        }
        for (Path path : writable) {
            if (Files.exists(path)) {
                command.addAll(List.of("--bind", path.toString(), path.toString()));
            }
        }
        List<Path> hide = new ArrayList<>(hidden);
        alsoHidden.stream().map(Sandbox::canonical).forEach(hide::add);
        hide.sort(Comparator.comparingInt(Path::getNameCount)); // parents before what lies inside them
        for (Path path : hide) {
            if (Files.isDirectory(path)) {
                command.addAll(List.of("--tmpfs", path.toString()));
            } else if (Files.exists(path)) {
                command.addAll(List.of("--ro-bind", "/dev/null", path.toString()));
            }
        }
        Path own = canonical(scratch);
        command.addAll(List.of("--bind", own.toString(), own.toString(), "--chdir",
                canonical(workingDirectory).toString(), "--"));
        command.addAll(argv);
        return command;
    }

    private static boolean works(Path bwrap) {
        List<String> probe = new ArrayList<>(List.of(bwrap.toString()));
        probe.addAll(PROBE_FLAGS);
        probe.add("true");
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            if (process.exitValue() != 0) {
                LOG.warnf("bubblewrap at %s cannot create a sandbox here (exit code %d); are user namespaces allowed?",
                        bwrap, process.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<Path> onPath(String program) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** bubblewrap mounts by path inside the new root: symbolic links on the way must be resolved first. */
    private static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return Files.exists(absolute) ? absolute.toRealPath() : absolute;
        } catch (IOException e) {
            return absolute;
        }
    }
}
