package dev.monkeytown.artifact.retention;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.monkeytown.artifact.access.NamePattern;

/**
 * Reads the retention file, modelled on Harbor's tag retention and zot's retention policies:
 *
 * <pre>
 * untaggedGrace: 24h            # untagged manifests and orphan referrers go after this long (default 24h)
 * immutableTags:                # these tags can never be re-pushed or deleted
 *   - repositories: "**"
 *     tags: ["v*"]
 * rules:                        # first rule whose pattern matches a repository applies to it
 *   - repositories: "builds/**"
 *     keepLatest: 10            # the 10 most recently pushed tagged manifests
 *     keepWithin: 30d           # anything pushed or pulled in the last 30 days
 *     keepTags: ["main", "release-*"]
 * # a repository no rule matches: keep what was pushed or pulled in the last 6 months (the spec)
 * </pre>
 *
 * Unknown keys are errors: a misspelt {@code keeplatest} silently ignored would delete what it was meant to keep.
 */
public final class RetentionFile {

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> TOP = Set.of("untaggedGrace", "immutableTags", "rules");
    private static final Set<String> RULE = Set.of("repositories", "keepLatest", "keepWithin", "keepTags");
    private static final Set<String> IMMUTABLE = Set.of("repositories", "tags");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    private RetentionFile() {
    }

    /** A retention file that cannot be used as it is; the previous policy stays in force. */
    public static class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static RetentionPolicy parse(String yaml, String source) throws Invalid {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new Invalid("not valid YAML: " + brief(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new RetentionPolicy(List.of(), Duration.ofDays(1), List.of(), source);
        }
        requireKeys(root, TOP, "the file");
        Duration grace = root.has("untaggedGrace")
                ? duration(root.get("untaggedGrace"), "untaggedGrace")
                : Duration.ofDays(1);
        List<RetentionPolicy.ImmutableRule> immutable = new ArrayList<>();
        for (JsonNode node : list(root, "immutableTags")) {
            requireKeys(node, IMMUTABLE, "an immutableTags entry");
            immutable.add(new RetentionPolicy.ImmutableRule(pattern(node.get("repositories"), "repositories"),
                    patterns(node.get("tags"), "immutableTags.tags")));
        }
        List<RetentionRule> rules = new ArrayList<>();
        for (JsonNode node : list(root, "rules")) {
            requireKeys(node, RULE, "a rule");
            OptionalInt keepLatest = OptionalInt.empty();
            if (node.has("keepLatest")) {
                if (!node.get("keepLatest").canConvertToInt() || node.get("keepLatest").intValue() < 0) {
                    throw new Invalid("keepLatest must be a whole number of 0 or more");
                }
                keepLatest = OptionalInt.of(node.get("keepLatest").intValue());
            }
            Optional<Duration> keepWithin = node.has("keepWithin")
                    ? Optional.of(duration(node.get("keepWithin"), "keepWithin"))
                    : Optional.empty();
            List<NamePattern> keepTags = node.has("keepTags") ? patterns(node.get("keepTags"), "keepTags") : List.of();
            rules.add(new RetentionRule(pattern(node.get("repositories"), "repositories"), keepLatest, keepWithin,
                    keepTags));
        }
        return new RetentionPolicy(rules, grace, immutable, source);
    }

    private static List<JsonNode> list(JsonNode root, String field) throws Invalid {
        JsonNode node = root.get(field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new Invalid(field + " must be a list");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static void requireKeys(JsonNode node, Set<String> allowed, String what) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid(what + " must be a mapping");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            String key = fields.next().getKey();
            if (!allowed.contains(key)) {
                throw new Invalid(what + " has an unknown key '" + key + "' (allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static NamePattern pattern(JsonNode node, String field) throws Invalid {
        if (node == null || !node.isTextual()) {
            throw new Invalid(field + " must be a pattern such as \"builds/**\"");
        }
        try {
            return NamePattern.of(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new Invalid(field + ": " + e.getMessage());
        }
    }

    private static List<NamePattern> patterns(JsonNode node, String field) throws Invalid {
        if (node == null || !node.isArray()) {
            throw new Invalid(field + " must be a list of patterns");
        }
        List<NamePattern> patterns = new ArrayList<>();
        for (JsonNode item : node) {
            patterns.add(pattern(item, field));
        }
        return patterns;
    }

    static Duration duration(JsonNode node, String field) throws Invalid {
        if (node == null || !node.isTextual()) {
            throw new Invalid(field + " must be a duration such as 30d, 12h or 90m");
        }
        Matcher m = DURATION.matcher(node.textValue().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new Invalid(field + " must be a duration such as 30d, 12h or 90m, was '" + node.textValue() + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Jackson's own message may quote the input; only its first line, which names the problem, is kept. */
    private static String brief(java.io.IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage()
                : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
