package dev.monkeytown.runner;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Repository;

/**
 * One run to execute: what, at which commit, with which variables and secrets, and where its work goes.
 *
 * @param id the caller's id for the run (an agent run id, later a build or deployment id); it names the run's log and
 *        scratch directory, so it is restricted to letters, digits, {@code -} and {@code _}
 * @param ref the branch or tag the run works on: the local runner clones it alone, GitHub dispatches on it
 * @param commit the exact commit to check out, reachable from {@code ref} (a build of one commit); empty for the tip of
 *        {@code ref}. The local runner checks it out; {@code workflow_dispatch} takes only a branch or tag, so a
 *        workflow gets the commit as an input the caller passes
 * @param command the argument vector the local runner executes, never re-split or re-quoted; empty when the run can
 *        only be a workflow
 * @param workflow the workflow GitHub Actions dispatches; empty when the run can only be local
 * @param environment variables the caller passes to the command ({@code MONKEYTOWN_RUN_ID}, later
 *        {@code MONKEYTOWN_BUILD_ID}, {@code MONKEYTOWN_ATTEMPT}, ...); on top of the runner's own allow-list
 * @param inherit names of the service's own environment variables the command may see too ({@code JAVA_HOME}), on top
 *        of {@code PATH}, the locale and {@code TZ}; never {@code MONKEYTOWN_*}, {@code HOME}, {@code TMPDIR} or a name
 *        that says it holds a secret, so the suite's configuration cannot leak through the allow-list
 * @param deliverBranch the branch the runner pushes back when the command succeeded and committed on it; empty when
 *        the run delivers nothing
 * @param secrets variables injected into the command's environment whose values are masked in its log
 * @param timeout how long the command may run, counted from its confirmed start
 */
public record RunSpec(String id, String ref, Optional<String> commit, Optional<List<String>> command,
        Optional<WorkflowCall> workflow, Map<String, String> environment, Set<String> inherit,
        Optional<String> deliverBranch, Map<String, String> secrets, Duration timeout) {

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z_-]{0,99}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Set<String> RUNNER_OWN = Set.of("HOME", "TMPDIR");

    /**
     * A workflow to dispatch.
     *
     * @param file the workflow file in {@code .github/workflows}
     * @param runIdInput the input the runner sets to the run's id; the workflow's {@code run-name} must contain it as a
     *        word of its own, which is how a workflow run is tied to its run when GitHub's answer did not say
     * @param inputs the caller's other inputs
     * @param rerun when present, re-run that workflow run's failed jobs rather than dispatch anew (the runner falls back
     *        to a dispatch when GitHub will not re-run it)
     */
    public record WorkflowCall(String file, String runIdInput, Map<String, String> inputs, Optional<Rerun> rerun) {

        /**
         * Instead of a new dispatch, re-run the failed jobs of workflow run {@code workflowRunId} (a retry of a run
         * that failed), as its attempt {@code attempt} ({@code run_attempt}).
         */
        public record Rerun(String workflowRunId, int attempt) {
            public Rerun {
                Objects.requireNonNull(workflowRunId, "workflowRunId");
                if (attempt < 2) {
                    throw new IllegalArgumentException("a re-run is attempt 2 or later, was " + attempt);
                }
            }
        }

        public WorkflowCall(String file, String runIdInput, Map<String, String> inputs) {
            this(file, runIdInput, inputs, Optional.empty());
        }

        public WorkflowCall {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(runIdInput, "runIdInput");
            Objects.requireNonNull(rerun, "rerun");
            inputs = Map.copyOf(inputs);
            if (file.isBlank() || file.contains("/")) {
                throw new IllegalArgumentException("a workflow is a file name in .github/workflows, was '" + file + "'");
            }
            if (runIdInput.isBlank() || inputs.containsKey(runIdInput)) {
                throw new IllegalArgumentException("the run id input '" + runIdInput + "' is set by the runner");
            }
        }

        /** What is dispatched: the caller's inputs and the run id. */
        public Map<String, String> inputsFor(String runId) {
            Map<String, String> all = new HashMap<>(inputs);
            all.put(runIdInput, runId);
            return Map.copyOf(all);
        }
    }

    public RunSpec {
        requireId(id);
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(deliverBranch, "deliverBranch");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
        inherit = Set.copyOf(inherit);
        secrets = Map.copyOf(secrets);
        command = command.map(List::copyOf);
        if (ref.isBlank()) {
            throw new IllegalArgumentException("ref must not be blank");
        }
        commit.ifPresent(sha -> {
            if (!COMMIT.matcher(sha).matches()) {
                throw new IllegalArgumentException("a commit is 40 lower-case hex digits, was '" + sha + "'");
            }
        });
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
        for (String name : inherit) {
            requireVariable(name);
            if (name.startsWith("MONKEYTOWN_") || RUNNER_OWN.contains(name) || SecretValues.namesASecret(name)) {
                throw new IllegalArgumentException(name + " cannot be inherited: it belongs to the suite or the runner,"
                        + " or names a secret (pass secrets as the run's secrets, which are masked)");
            }
        }
        for (String name : secrets.keySet()) {
            requireVariable(name);
            if (environment.containsKey(name)) {
                throw new IllegalArgumentException(name + " is both a variable and a secret");
            }
        }
    }

    /** A spec built field by field; id, ref and timeout are required, and a command or a workflow. */
    public static Builder builder(String id, String ref, Duration timeout) {
        return new Builder(id, ref, timeout);
    }

    public static final class Builder {
        private final String id;
        private final String ref;
        private final Duration timeout;
        private Optional<String> commit = Optional.empty();
        private Optional<List<String>> command = Optional.empty();
        private Optional<WorkflowCall> workflow = Optional.empty();
        private Map<String, String> environment = Map.of();
        private Set<String> inherit = Set.of();
        private Optional<String> deliverBranch = Optional.empty();
        private Map<String, String> secrets = Map.of();

        private Builder(String id, String ref, Duration timeout) {
            this.id = id;
            this.ref = ref;
            this.timeout = timeout;
        }

        public Builder commit(String sha) {
            this.commit = Optional.of(sha);
            return this;
        }

        public Builder command(List<String> argv) {
            this.command = Optional.of(argv);
            return this;
        }

        public Builder command(Optional<List<String>> argv) {
            this.command = argv;
            return this;
        }

        public Builder workflow(WorkflowCall call) {
            this.workflow = Optional.of(call);
            return this;
        }

        public Builder workflow(Optional<WorkflowCall> call) {
            this.workflow = call;
            return this;
        }

        public Builder environment(Map<String, String> variables) {
            this.environment = variables;
            return this;
        }

        public Builder inherit(Set<String> names) {
            this.inherit = names;
            return this;
        }

        public Builder deliverBranch(String branch) {
            this.deliverBranch = Optional.of(branch);
            return this;
        }

        public Builder secrets(Map<String, String> values) {
            this.secrets = values;
            return this;
        }

        public RunSpec build() {
            return new RunSpec(id, ref, commit, command, workflow, environment, inherit, deliverBranch, secrets,
                    timeout);
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
