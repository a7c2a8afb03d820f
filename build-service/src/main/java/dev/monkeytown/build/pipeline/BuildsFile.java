package dev.monkeytown.build.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.RetryPolicy;

/**
 * Reads {@code .monkeytown/builds.yaml}:
 *
 * <pre>
 * pipelines:
 *   app:
 *     command: "./build.sh"          # local runner: /bin/sh -c in a scratch checkout at the commit
 *     workflow: build-app.yml         # GitHub mode: dispatched with a build_id input
 *     branches: ["main"]              # a push to these queues a build
 *     outputs: ["dist/**"]            # files that become artifacts builds/app
 *     timeout: 30m                    # default 30m, at most 6h
 *     retry: {limit: 2, on: [infra, timeout], backoff: 30s}
 * </pre>
 *
 * Anything wrong is a {@link PipelineProblem} and only the pipeline concerned is skipped — unknown keys too, since a
 * misspelt {@code ouputs} dropped silently would leave a build that never stores anything and nobody told.
 */
public final class BuildsFile {

    public static final String PATH = ".monkeytown/builds.yaml";

    private static final Set<String> KEYS = Set.of("command", "workflow", "branches", "outputs", "timeout", "retry");
    private static final Set<String> RETRY_KEYS = Set.of("limit", "on", "backoff");
    private static final Pattern WORKFLOW = Pattern.compile("[A-Za-z0-9._-]+\\.ya?ml");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private BuildsFile() {
    }

    /** @param yamlText the file's content; empty when the repository has none (no pipelines, no problem) */
    public static PipelineCatalog parse(String revision, String yamlText) {
        List<PipelineProblem> problems = new ArrayList<>();
        Map<String, Pipeline> pipelines = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = YAML.readTree(yamlText);
        } catch (JsonProcessingException e) {
            problems.add(fileProblem("not valid YAML: " + describe(e)));
            return new PipelineCatalog(revision, pipelines, problems);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new PipelineCatalog(revision, pipelines, problems);
        }
        if (!root.isObject()) {
            problems.add(fileProblem("must be a mapping with a 'pipelines' key"));
            return new PipelineCatalog(revision, pipelines, problems);
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!key.equals("pipelines")) {
                problems.add(fileProblem("unknown top-level key '" + key + "'; expected 'pipelines'"));
            }
        });
        JsonNode entries = root.path("pipelines");
        if (entries.isMissingNode() || entries.isNull()) {
            return new PipelineCatalog(revision, pipelines, problems);
        }
        if (!entries.isObject()) {
            problems.add(fileProblem("'pipelines' must be a mapping from pipeline name to settings"));
            return new PipelineCatalog(revision, pipelines, problems);
        }
        entries.properties().forEach(entry -> {
            try {
                pipelines.put(entry.getKey(), pipeline(entry.getKey(), entry.getValue()));
            } catch (EntryProblem e) {
                problems.add(new PipelineProblem(PATH, entry.getKey(), e.field, e.getMessage()));
            } catch (IllegalArgumentException e) {
                problems.add(new PipelineProblem(PATH, entry.getKey(), null, e.getMessage()));
            }
        });
        return new PipelineCatalog(revision, pipelines, problems);
    }

    private static Pipeline pipeline(String name, JsonNode node) {
        Pipeline.checkName(name);
        if (!node.isObject()) {
            throw new EntryProblem(null, "settings must be a mapping (command, workflow, branches, outputs, timeout,"
                    + " retry)");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new EntryProblem(key, "unknown key; expected one of " + new java.util.TreeSet<>(KEYS));
            }
        });
        Optional<String> command = text(node, "command");
        command.ifPresent(c -> {
            if (c.isBlank()) {
                throw new EntryProblem("command", "must not be blank");
            }
        });
        Optional<String> workflow = text(node, "workflow");
        workflow.ifPresent(w -> {
            if (!WORKFLOW.matcher(w).matches()) {
                throw new EntryProblem("workflow", "must be a file name in .github/workflows such as build-app.yml,"
                        + " was '" + w + "'");
            }
        });
        if (command.isEmpty() && workflow.isEmpty()) {
            throw new EntryProblem(null, "needs a command (local runner), a workflow (GitHub Actions) or both");
        }
        List<String> branches = strings(node, "branches");
        for (String branch : branches) {
            if (!BRANCH.matcher(branch).matches() || branch.contains("..") || branch.startsWith("/")
                    || branch.endsWith("/")) {
                throw new EntryProblem("branches", "'" + branch + "' is not a branch name");
            }
        }
        List<String> outputs = strings(node, "outputs");
        for (String glob : outputs) {
            OutputGlobs.check(glob).ifPresent(problem -> {
                throw new EntryProblem("outputs", problem);
            });
        }
        Duration timeout = text(node, "timeout").map(t -> duration("timeout", t)).orElse(Pipeline.DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.compareTo(Pipeline.MAX_TIMEOUT) > 0) {
            throw new EntryProblem("timeout", "must be more than 0 and at most 6h, was " + timeout);
        }
        return new Pipeline(name, command, workflow, branches, outputs, timeout, retry(node.path("retry")));
    }

    private static RetryPolicy retry(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return RetryPolicy.DEFAULT;
        }
        if (!node.isObject()) {
            throw new EntryProblem("retry", "must be a mapping such as {limit: 2, on: [infra, timeout], backoff: 30s}");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!RETRY_KEYS.contains(key)) {
                throw new EntryProblem("retry." + key, "unknown key; expected limit, on or backoff");
            }
        });
        int limit = RetryPolicy.DEFAULT.limit();
        if (node.has("limit")) {
            JsonNode value = node.get("limit");
            if (!value.isInt() || value.asInt() < 0 || value.asInt() > RetryPolicy.MAX_LIMIT) {
                throw new EntryProblem("retry.limit", "must be a whole number from 0 to " + RetryPolicy.MAX_LIMIT);
            }
            limit = value.asInt();
        }
        Set<FailureClass> on = RetryPolicy.DEFAULT.on();
        if (node.has("on")) {
            on = EnumSet.noneOf(FailureClass.class);
            for (String name : strings(node, "on")) {
                try {
                    on.add(FailureClass.fromJson(name));
                } catch (IllegalArgumentException e) {
                    throw new EntryProblem("retry.on", e.getMessage());
                }
            }
        }
        Duration backoff = node.has("backoff")
                ? duration("retry.backoff", node.get("backoff").asText())
                : RetryPolicy.DEFAULT.backoff();
        try {
            return new RetryPolicy(limit, on, backoff);
        } catch (IllegalArgumentException e) {
            throw new EntryProblem("retry", e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new EntryProblem(key, "must be a string");
        }
        return Optional.of(value.asText());
    }

    private static List<String> strings(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new EntryProblem(key, "must be a list such as [\"a\", \"b\"]");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new EntryProblem(key, "must hold non-empty strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static Duration duration(String field, String text) {
        try {
            return DeclaredDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new EntryProblem(field, e.getMessage());
        }
    }

    private static PipelineProblem fileProblem(String message) {
        return new PipelineProblem(PATH, null, null, message);
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
        String firstLine = message.lines().findFirst().orElse(message).trim();
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0
                ? firstLine
                : firstLine + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** A problem with one key of one entry; the entry is skipped. */
    private static final class EntryProblem extends IllegalArgumentException {
        private final String field;

        EntryProblem(String field, String message) {
            super(message);
            this.field = field;
        }
    }
}
