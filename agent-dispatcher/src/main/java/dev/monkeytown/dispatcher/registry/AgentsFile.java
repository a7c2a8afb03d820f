package dev.monkeytown.dispatcher.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code .monkeytown/agents.yaml}, the part of an agent's declaration a workflow cannot express, and merges it with
 * the {@code agent-<name>.yml} workflows present in {@code .github/workflows}.
 *
 * <pre>
 * agents:
 *   docs-writer:
 *     schedule: "0 * * * *"      # five-field cron, UTC; quote it (a leading * is YAML syntax)
 *     paths: ["docs/**"]         # run when a push changes a matching path
 *     timeout: 10m               # 30s, 10m or PT10M; default and at most 30m (the spec's cap)
 *     command: "./agents/docs-writer.sh &amp;&amp; git commit -am docs"   # what the local runner executes
 *     env: {DOCS_STYLE: short}   # variables the command gets besides the run's own (values, not secrets)
 *   linter:
 *     paths: ["src/**"]
 *     command: "./agents/lint.sh"
 * </pre>
 *
 * <p>
 * Every key is optional, but an agent needs a {@code command}, an {@code agent-<name>.yml} workflow, or both. A
 * workflow without an entry is an agent with default settings. Anything wrong is reported as a
 * {@link DeclarationProblem} and only the agent concerned is skipped: unknown keys included, since a misspelt
 * {@code shedule} silently dropped would leave an agent that never runs and nobody told.
 */
public final class AgentsFile {

    public static final String PATH = ".monkeytown/agents.yaml";
    public static final String WORKFLOWS_DIRECTORY = ".github/workflows";

    private static final Set<String> KEYS = Set.of("schedule", "paths", "timeout", "command", "env");
    private static final Pattern WORKFLOW_NAME = Pattern.compile("agent-(.+)\\.yml");

    // Duplicate keys would otherwise make the last one win unnoticed.
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private AgentsFile() {
    }

    /** Declarations from the file alone, as in local mode without workflows: every agent needs a command. */
    public static AgentCatalog parse(String yamlText) {
        return parse(yamlText, List.of());
    }

    /**
     * @param yamlText the file's content; empty when the repository has no such file
     * @param workflowFiles file names in {@code .github/workflows}; names not of the form {@code agent-<name>.yml} are
     *        other workflows and ignored
     */
    public static AgentCatalog parse(String yamlText, Collection<String> workflowFiles) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(workflowFiles, "workflowFiles");
        List<DeclarationProblem> problems = new ArrayList<>();
        Set<String> workflowAgents = workflowAgents(workflowFiles, problems);
        Map<String, JsonNode> entries = entries(yamlText, problems);

        Map<String, AgentDeclaration> agents = new LinkedHashMap<>();
        Set<String> declared = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : entries.entrySet()) {
            String name = entry.getKey();
            declared.add(name);
            new Entry(name, entry.getValue(), workflowAgents.contains(name), problems).toDeclaration()
                    .ifPresent(agent -> agents.put(name, agent));
        }
        for (String name : workflowAgents) {
            if (!declared.contains(name)) {
                agents.put(name, AgentDeclaration.ofWorkflow(name));
            }
        }
        return new AgentCatalog(agents, problems);
    }

    private static Set<String> workflowAgents(Collection<String> workflowFiles, List<DeclarationProblem> problems) {
        Set<String> names = new TreeSet<>();
        for (String file : new TreeSet<>(workflowFiles)) {
            Matcher m = WORKFLOW_NAME.matcher(file);
            if (!m.matches()) {
                continue;
            }
            try {
                AgentDeclaration.checkName(m.group(1));
                names.add(m.group(1));
            } catch (IllegalArgumentException e) {
                problems.add(DeclarationProblem.ofFile(WORKFLOWS_DIRECTORY + "/" + file, e.getMessage()));
            }
        }
        return names;
    }

    /** The raw entries under {@code agents}, in file order; whole-file problems are reported here. */
    private static Map<String, JsonNode> entries(String yamlText, List<DeclarationProblem> problems) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = YAML.readTree(yamlText);
        } catch (JsonProcessingException e) {
            problems.add(DeclarationProblem.ofFile(PATH, "not valid YAML: " + describe(e)));
            return entries;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return entries;
        }
        if (!root.isObject()) {
            problems.add(DeclarationProblem.ofFile(PATH, "must be a mapping with an 'agents' key"));
            return entries;
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!field.getKey().equals("agents")) {
                problems.add(DeclarationProblem.ofFile(PATH,
                        "unknown top-level key '" + field.getKey() + "'; expected 'agents'"));
            }
        }
        JsonNode agents = root.path("agents");
        if (agents.isMissingNode() || agents.isNull()) {
            return entries;
        }
        if (!agents.isObject()) {
            problems.add(DeclarationProblem.ofFile(PATH, "'agents' must be a mapping from agent name to settings"));
            return entries;
        }
        for (Map.Entry<String, JsonNode> field : agents.properties()) {
            entries.put(field.getKey(), field.getValue());
        }
        return entries;
    }

    private static String describe(JsonProcessingException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), e.getClass().getSimpleName());
        String firstLine = message.lines().findFirst().orElse(message).trim();
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1
                ? firstLine
                : firstLine + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** One entry under {@code agents}; collects every problem in it so one read tells the author all they must fix. */
    private static final class Entry {
        private final String name;
        private final JsonNode settings;
        private final boolean hasWorkflow;
        private final List<DeclarationProblem> problems;
        private int problemsBefore;

        Entry(String name, JsonNode settings, boolean hasWorkflow, List<DeclarationProblem> problems) {
            this.name = name;
            this.settings = settings;
            this.hasWorkflow = hasWorkflow;
            this.problems = problems;
        }

        Optional<AgentDeclaration> toDeclaration() {
            problemsBefore = problems.size();
            try {
                AgentDeclaration.checkName(name);
            } catch (IllegalArgumentException e) {
                report("name", e.getMessage());
            }
            if (settings.isNull()) {
                return build(Optional.empty(), List.of(), AgentDeclaration.DEFAULT_TIMEOUT, Optional.empty(),
                        Map.of());
            }
            if (!settings.isObject()) {
                report(null, "settings must be a mapping of " + new TreeSet<>(KEYS));
                return Optional.empty();
            }
            for (Map.Entry<String, JsonNode> field : settings.properties()) {
                if (!KEYS.contains(field.getKey())) {
                    report(field.getKey(), "unknown key; expected one of " + new TreeSet<>(KEYS));
                }
            }
            Optional<CronSchedule> schedule = text("schedule").flatMap(this::schedule);
            List<String> paths = paths();
            Duration timeout = text("timeout").flatMap(this::timeout).orElse(AgentDeclaration.DEFAULT_TIMEOUT);
            Optional<String> command = text("command");
            command.ifPresent(c -> {
                if (c.isBlank()) {
                    report("command", "must not be blank");
                }
            });
            return build(schedule, paths, timeout, command, environment());
        }

        private Optional<AgentDeclaration> build(Optional<CronSchedule> schedule, List<String> paths, Duration timeout,
                Optional<String> command, Map<String, String> environment) {
            // A command of the wrong type was already reported; calling it missing as well would mislead.
            boolean commandWritten = settings.hasNonNull("command");
            if (command.isEmpty() && !hasWorkflow && !commandWritten) {
                report("command", "missing: without a workflow " + WORKFLOWS_DIRECTORY + "/"
                        + AgentDeclaration.workflowFileName(name) + " the agent needs a command to run locally");
            }
            if (problems.size() > problemsBefore) {
                return Optional.empty();
            }
            Optional<String> workflow = hasWorkflow
                    ? Optional.of(AgentDeclaration.workflowFileName(name))
                    : Optional.empty();
            return Optional.of(new AgentDeclaration(name, schedule, paths, timeout, command, workflow, environment));
        }

        /** A string setting; a present value of another type is a problem, not a silent conversion. */
        private Optional<String> text(String key) {
            JsonNode value = settings.get(key);
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                String hint = key.equals("timeout") && value.isNumber() ? "; add a unit, e.g. " + value + "m" : "";
                report(key, "must be a string, was " + value.getNodeType().toString().toLowerCase(Locale.ROOT) + hint);
                return Optional.empty();
            }
            return Optional.of(value.textValue());
        }

        private Optional<CronSchedule> schedule(String expression) {
            try {
                return Optional.of(CronSchedule.parse(expression));
            } catch (IllegalArgumentException e) {
                report("schedule", e.getMessage());
                return Optional.empty();
            }
        }

        private Optional<Duration> timeout(String text) {
            try {
                Duration timeout = DeclaredDuration.parse(text);
                AgentDeclaration.checkTimeout(timeout);
                return Optional.of(timeout);
            } catch (IllegalArgumentException e) {
                report("timeout", e.getMessage());
                return Optional.empty();
            }
        }

        private Map<String, String> environment() {
            JsonNode value = settings.get("env");
            if (value == null || value.isNull()) {
                return Map.of();
            }
            if (!value.isObject()) {
                report("env", "must be a mapping of variable names to values, e.g. {DOCS_STYLE: short}");
                return Map.of();
            }
            Map<String, String> environment = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> variable : value.properties()) {
                try {
                    AgentDeclaration.checkVariable(variable.getKey());
                } catch (IllegalArgumentException e) {
                    report("env", e.getMessage());
                    continue;
                }
                if (!variable.getValue().isValueNode() || variable.getValue().isNull()) {
                    report("env", variable.getKey() + " must be a plain value");
                    continue;
                }
                environment.put(variable.getKey(), variable.getValue().asText());
            }
            return environment;
        }

        private List<String> paths() {
            JsonNode value = settings.get("paths");
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                report("paths", "must be a list of globs, e.g. [\"docs/**\"]");
                return List.of();
            }
            List<String> paths = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    report("paths", "element " + element + " is not a string");
                } else {
                    paths.add(element.textValue());
                }
            }
            try {
                PathFilter.of(paths);
            } catch (IllegalArgumentException e) {
                report("paths", e.getMessage());
            }
            return paths;
        }

        private void report(String field, String message) {
            problems.add(DeclarationProblem.ofAgent(PATH, name, field, message));
        }
    }
}
