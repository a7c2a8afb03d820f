package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * GitHub's GraphQL input types for the mutations the double serves, read from SDL vendored from
 * {@code @octokit/graphql-schema}. Validates variables the way GitHub's coercion does: required fields, no unknown
 * fields, list and scalar shapes (GitObjectID is 40 hex, Base64String is strict RFC 4648).
 */
final class GraphQlInputSchema {

    /** {@code type} is the bare type name; {@code list} and {@code required} come from {@code [X!]!} decorations. */
    private record Field(String type, boolean list, boolean required) {
    }

    /** One problem, as GitHub reports it in {@code extensions.problems}. */
    record Problem(List<String> path, String explanation) {
    }

    private static final Pattern INPUT = Pattern.compile("(?m)^input (\\w+) \\{([^}]*)\\}");
    private static final Pattern FIELD = Pattern.compile("(?m)^\\s+(\\w+): (\\[?)(\\w+)(!?)\\]?(!?)(\\s*=.*)?\\s*$");
    private static final Pattern OID = Pattern.compile("[0-9a-f]{40}");

    private final Map<String, Map<String, Field>> inputs = new HashMap<>();

    GraphQlInputSchema(String resource) {
        String sdl = read(resource).replaceAll("(?s)\"\"\".*?\"\"\"", "");
        Matcher input = INPUT.matcher(sdl);
        while (input.find()) {
            Map<String, Field> fields = new LinkedHashMap<>();
            Matcher field = FIELD.matcher(input.group(2));
            while (field.find()) {
                boolean list = !field.group(2).isEmpty();
                boolean required = list ? !field.group(5).isEmpty() : !field.group(4).isEmpty();
                fields.put(field.group(1), new Field(field.group(3), list, required));
            }
            inputs.put(input.group(1), fields);
        }
    }

    List<Problem> validate(String inputType, JsonNode value) {
        if (!inputs.containsKey(inputType)) {
            throw new IllegalArgumentException("input type not vendored: " + inputType);
        }
        List<Problem> problems = new ArrayList<>();
        check(inputType, value, new ArrayList<>(), problems);
        return problems;
    }

    private void check(String type, JsonNode value, List<String> path, List<Problem> problems) {
        Map<String, Field> fields = inputs.get(type);
        if (fields != null) {
            if (!value.isObject()) {
                problems.add(new Problem(List.copyOf(path), "Expected value to be an object"));
                return;
            }
            for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!fields.containsKey(name)) {
                    problems.add(new Problem(append(path, name), "Field is not defined on " + type));
                }
            }
            fields.forEach((name, field) -> {
                JsonNode v = value.get(name);
                List<String> at = append(path, name);
                if (v == null || v.isNull()) {
                    if (field.required()) {
                        problems.add(new Problem(at, "Expected value to not be null"));
                    }
                } else if (field.list()) {
                    if (!v.isArray()) {
                        problems.add(new Problem(at, "Expected value to be a list"));
                    } else {
                        for (int i = 0; i < v.size(); i++) {
                            check(field.type(), v.get(i), append(at, String.valueOf(i)), problems);
                        }
                    }
                } else {
                    check(field.type(), v, at, problems);
                }
            });
            return;
        }
        String scalarProblem = switch (type) {
            case "String", "ID" -> value.isTextual() ? null : "Could not coerce value to String";
            case "Boolean" -> value.isBoolean() ? null : "Could not coerce value to Boolean";
            case "GitObjectID" -> value.isTextual() && OID.matcher(value.asText()).matches()
                    ? null
                    : "Could not coerce value " + value + " to GitObjectID";
            case "Base64String" -> isStrictBase64(value) ? null : "Could not coerce value to Base64String";
            default -> "Unsupported input type " + type + " in the double";
        };
        if (scalarProblem != null) {
            problems.add(new Problem(List.copyOf(path), scalarProblem));
        }
    }

    private static boolean isStrictBase64(JsonNode value) {
        if (!value.isTextual() || value.asText().length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(value.asText());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return longer;
    }

    private static String read(String resource) {
        try (InputStream in = GraphQlInputSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
