package dev.monkeytown.dispatcher.runner;

import java.util.List;
import java.util.Objects;

/** How an agent is started in local mode: an argument vector, never re-split or re-quoted by the runner. */
public record AgentCommand(List<String> argv) {

    public AgentCommand {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("an agent command needs at least a program to run");
        }
    }

    public static AgentCommand of(String... argv) {
        return new AgentCommand(List.of(argv));
    }

    /** A command line as an agent declares it (pipes, {@code &&}, variables), interpreted by {@code /bin/sh}. */
    public static AgentCommand shell(String script) {
        Objects.requireNonNull(script, "script");
        return new AgentCommand(List.of("/bin/sh", "-c", script));
    }
}
