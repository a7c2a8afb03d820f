package dev.monkeytown.deploy.environment;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code .monkeytown/environments.yaml}:
 *
 * <pre>
 * environments:
 *   staging:    {branch: main, autoDeploy: true,  requires: [app], command: ./deploy.sh, health: ./health.sh, onFailure: revert}
 *   production: {branch: main, production: true, approval: true, requires: [app], command: ./deploy.sh, onFailure: alert}
 * </pre>
 *
 * Anything wrong is an {@link EnvironmentProblem} and only that environment is skipped — unknown keys too: a misspelt
 * {@code aproval} dropped silently would deploy to production without anyone approving.
 */
public final class EnvironmentsFile {

    public static final String PATH = ".monkeytown/environments.yaml";

    private static final Set<String> KEYS = Set.of("branch", "autoDeploy", "production", "approval", "requires",
            "command", "health", "onFailure", "timeout");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
    private static final Pattern PIPELINE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EnvironmentsFile() {
    }

    /** @param yamlText the file's content; empty when the repository has none (no environments, no problem) */
    public static EnvironmentCatalog parse(String revision, String yamlText) {
        List<EnvironmentProblem> problems = new ArrayList<>();
        Map<String, Environment> environments = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = YAML.readTree(yamlText);
        } catch (JsonProcessingException e) {
            problems.add(fileProblem("not valid YAML: " + describe(e)));
            return new EnvironmentCatalog(revision, environments, problems);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new EnvironmentCatalog(revision, environments, problems);
        }
        if (!root.isObject()) {
            problems.add(fileProblem("must be a mapping with an 'environments' key"));
            return new EnvironmentCatalog(revision, environments, problems);
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!key.equals("environments")) {
                problems.add(fileProblem("unknown top-level key '" + key + "'; expected 'environments'"));
            }
        });
        JsonNode entries = root.path("environments");
        if (entries.isMissingNode() || entries.isNull()) {
            return new EnvironmentCatalog(revision, environments, problems);
        }
        if (!entries.isObject()) {
            problems.add(fileProblem("'environments' must be a mapping from environment name to settings"));
            return new EnvironmentCatalog(revision, environments, problems);
        }
        entries.properties().forEach(entry -> {
            try {
                environments.put(entry.getKey(), environment(entry.getKey(), entry.getValue()));
            } catch (EntryProblem e) {
                problems.add(new EnvironmentProblem(PATH, entry.getKey(), e.field, e.getMessage()));
            } catch (IllegalArgumentException e) {
                problems.add(new EnvironmentProblem(PATH, entry.getKey(), null, e.getMessage()));
            }
        });
        return new EnvironmentCatalog(revision, environments, problems);
    }

    private static Environment environment(String name, JsonNode node) {
        Environment.checkName(name);
        if (!node.isObject()) {
            throw new EntryProblem(null, "settings must be a mapping (" + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new EntryProblem(key, "unknown key; expected one of " + new TreeSet<>(KEYS));
            }
        });
        String branch = text(node, "branch").orElse("main");
        if (!BRANCH.matcher(branch).matches() || branch.contains("..") || branch.startsWith("/")
                || branch.endsWith("/")) {
            throw new EntryProblem("branch", "'" + branch + "' is not a branch name");
        }
        String command = text(node, "command")
                .orElseThrow(() -> new EntryProblem("command", "is required: what deploys a commit here"));
        if (command.isBlank()) {
            throw new EntryProblem("command", "must not be blank");
        }
        Optional<String> health = text(node, "health");
        if (health.isPresent() && health.get().isBlank()) {
            throw new EntryProblem("health", "must not be blank (leave it out to count a command exiting 0 as healthy)");
        }
        List<String> requires = new ArrayList<>();
        JsonNode list = node.path("requires");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new EntryProblem("requires", "must be a list of pipeline names");
            }
            for (JsonNode item : list) {
                if (!item.isTextual() || !PIPELINE.matcher(item.asText()).matches()) {
                    throw new EntryProblem("requires", "'" + item.asText() + "' is not a pipeline name");
                }
                requires.add(item.asText());
            }
        }
        Environment.OnFailure onFailure = text(node, "onFailure").map(EnvironmentsFile::onFailure)
                .orElse(Environment.OnFailure.ALERT);
        Duration timeout = text(node, "timeout").map(EnvironmentsFile::timeout).orElse(Environment.DEFAULT_TIMEOUT);
        return new Environment(name, branch, flag(node, "autoDeploy"), flag(node, "production"),
                flag(node, "approval"), requires, command, health, onFailure, timeout);
    }

    private static Environment.OnFailure onFailure(String value) {
        try {
            return Environment.OnFailure.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EntryProblem("onFailure", "must be revert or alert, was '" + value + "'");
        }
    }

    private static Duration timeout(String value) {
        Duration parsed;
        try {
            parsed = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new EntryProblem("timeout", "must be a duration such as 90s, 10m or 1h, was '" + value + "'");
        }
        if (parsed.isZero() || parsed.isNegative() || parsed.compareTo(Environment.MAX_TIMEOUT) > 0) {
            throw new EntryProblem("timeout", "must be more than 0 and at most 1h, was '" + value + "'");
        }
        return parsed;
    }

    private static boolean flag(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new EntryProblem(key, "must be true or false, was '" + value.asText() + "'");
        }
        return value.booleanValue();
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new EntryProblem(key, "must be a string");
        }
        return Optional.of(value.asText());
    }

    private static EnvironmentProblem fileProblem(String message) {
        return new EnvironmentProblem(PATH, null, null, message);
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String message = e.getOriginalMessage();
        return where == null ? message : message + " (line " + where.getLineNr() + ")";
    }

    /** A problem with one key of one entry; becomes an {@link EnvironmentProblem}. */
    private static final class EntryProblem extends RuntimeException {

        final String field;

        EntryProblem(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
