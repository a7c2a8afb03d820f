package dev.monkeytown.dispatcher.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.monkeytown.dispatcher.queue.AgentName;
import dev.monkeytown.dispatcher.runner.AgentCommand;

/**
 * One agent as the repository declares it: a GitHub Actions workflow {@code agent-<name>.yml}, an entry in
 * {@code .monkeytown/agents.yaml}, or both.
 *
 * @param schedule when it runs on its own; empty for agents that run only on change or on request
 * @param paths changed-path globs that make it run on a push; empty for agents that do not run on change
 * @param timeout how long a run may take before it is cancelled
 * @param command the shell command the local runner executes; empty for an agent that only has a workflow
 * @param workflow the workflow file name in {@code .github/workflows}; empty for an agent that only runs locally
 * @param environment variables the local runner gives the command on top of the run's own; plain values, never the
 *        service's (the declaration is in the repository for anyone to read)
 */
public record AgentDeclaration(String name, Optional<CronSchedule> schedule, List<String> paths, Duration timeout,
        Optional<String> command, Optional<String> workflow, Map<String, String> environment) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** The infrastructure spec caps an agent run at 30 minutes; a declaration asking for more is a mistake to report. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(30);
    /** Timeouts are enforced at second granularity; anything shorter would cancel a run before it starts. */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public AgentDeclaration {
        checkName(name);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workflow, "workflow");
        paths = List.copyOf(paths);
        PathFilter.of(paths);
        checkTimeout(timeout);
        command.ifPresent(AgentDeclaration::checkCommand);
        environment = Map.copyOf(environment);
        environment.keySet().forEach(AgentDeclaration::checkVariable);
        if (command.isEmpty() && workflow.isEmpty()) {
            throw new IllegalArgumentException("agent '" + name + "' needs a command or a workflow "
                    + workflowFileName(name) + " to run");
        }
    }

    /** An agent that asks for no variables of its own. */
    public AgentDeclaration(String name, Optional<CronSchedule> schedule, List<String> paths, Duration timeout,
            Optional<String> command, Optional<String> workflow) {
        this(name, schedule, paths, timeout, command, workflow, Map.of());
    }

    /** An agent that has only a workflow: it runs in GitHub mode with every other setting at its default. */
    public static AgentDeclaration ofWorkflow(String name) {
        return new AgentDeclaration(name, Optional.empty(), List.of(), DEFAULT_TIMEOUT, Optional.empty(),
                Optional.of(workflowFileName(name)));
    }

    public static String workflowFileName(String agentName) {
        return "agent-" + agentName + ".yml";
    }

    public PathFilter pathFilter() {
        return PathFilter.of(paths);
    }

    /** What the local runner starts; empty when the agent can only run as a GitHub workflow. */
    public Optional<AgentCommand> localCommand() {
        return command.map(AgentCommand::shell);
    }

    static void checkName(String name) {
        AgentName.require(name);
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is more than the 30 minutes an agent run may"
                    + " take; split the work or make it faster");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("timeout " + timeout + " must be at least " + MIN_TIMEOUT);
        }
    }

    /**
     * A variable an agent may set: a plain name that the runner does not own. {@code HOME} and {@code TMPDIR} are the
     * run's scratch directory and {@code MONKEYTOWN_*} are the run's own variables.
     */
    static void checkVariable(String name) {
        if (!VARIABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a variable name (letters, digits, _)");
        }
        if (name.startsWith("MONKEYTOWN_") || name.equals("HOME") || name.equals("TMPDIR")) {
            throw new IllegalArgumentException(name + " is set by the runner and cannot be declared");
        }
    }

    static void checkCommand(String command) {
        if (command.isBlank()) {
            throw new IllegalArgumentException("command must not be blank");
        }
    }
}
