package dev.monkeytown.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Repository;

/**
 * One run to execute: what, at which commit, with which variables and secrets, and where its work goes.
 *
 * @param id the caller's id for the run (an agent run id, later a build or deployment id); it names the run's log and
 *        scratch directory, so it is restricted to letters, digits, {@code -} and {@code _}
 * @param ref the branch, tag or commit the run works on: the local runner checks it out, GitHub dispatches on it
 * @param command the argument vector the local runner executes, never re-split or re-quoted; empty when the run can
 *        only be a workflow
 * @param workflow the workflow GitHub Actions dispatches; empty when the run can only be local
 * @param environment variables the caller passes to the command ({@code MONKEYTOWN_RUN_ID}, later
 *        {@code MONKEYTOWN_BUILD_ID}, {@code MONKEYTOWN_ATTEMPT}, ...); on top of the runner's own allow-list
 * @param deliverBranch the branch the runner pushes back when the command succeeded and committed on it; empty when
 *        the run delivers nothing
 * @param secrets variables injected into the command's environment whose values are masked in its log
 * @param timeout how long the command may run, counted from its confirmed start
 */
public record RunSpec(String id, String ref, Optional<List<String>> command, Optional<WorkflowCall> workflow,
        Map<String, String> environment, Optional<String> deliverBranch, Map<String, String> secrets,
        Duration timeout) {

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]{0,99}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A workflow to dispatch: the file in {@code .github/workflows} and the inputs it declares. */
    public record WorkflowCall(String file, Map<String, String> inputs) {
        public WorkflowCall {
            Objects.requireNonNull(file, "file");
            inputs = Map.copyOf(inputs);
            if (file.isBlank() || file.contains("/")) {
                throw new IllegalArgumentException("a workflow is a file name in .github/workflows, was '" + file + "'");
            }
        }
    }

    public RunSpec {
        requireId(id);
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(deliverBranch, "deliverBranch");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
        secrets = Map.copyOf(secrets);
        command = command.map(List::copyOf);
        if (ref.isBlank()) {
            throw new IllegalArgumentException("ref must not be blank");
        }
        if (command.isPresent() && (command.get().isEmpty() || command.get().get(0).isBlank())) {
            throw new IllegalArgumentException("a command needs at least a program to run");
        }
        if (command.isEmpty() && workflow.isEmpty()) {
            throw new IllegalArgumentException("run " + id + " needs a command or a workflow");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        deliverBranch.ifPresent(branch -> {
            if (!Repository.isValidRefName("refs/heads/" + branch)) {
                throw new IllegalArgumentException("not a branch name: '" + branch + "'");
            }
        });
        for (String name : environment.keySet()) {
            requireVariable(name);
        }
        for (String name : secrets.keySet()) {
            requireVariable(name);
            if (environment.containsKey(name)) {
                throw new IllegalArgumentException(name + " is both a variable and a secret");
            }
        }
    }

    /** Only ids that can name a file: a caller-supplied id must never point outside the runner's directories. */
    public static boolean isValidId(String candidate) {
        return candidate != null && ID.matcher(candidate).matches();
    }

    public static String requireId(String id) {
        Objects.requireNonNull(id, "id");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a run id: '" + id + "'");
        }
        return id;
    }

    private static void requireVariable(String name) {
        if (!VARIABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("not an environment variable name: '" + name + "'");
        }
    }
}
