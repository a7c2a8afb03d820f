package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;

/**
 * The slice of GitHub's published OpenAPI description (vendored from {@code @octokit/openapi}, see
 * {@code github/README.md}) that the double serves. Every request is checked against it, so a client that would be
 * refused by GitHub is refused here too, instead of passing against a lenient fake.
 */
final class RestApiDescription {

    private record Operation(String template, Pattern path, String method, List<String> requiredQuery,
            Optional<JsonSchema> body, boolean bodyRequired) {
    }

    /** The vendored description and its slices (see {@code extract.mjs}: one file per slice, routes of their own). */
    static final List<String> DESCRIPTIONS = List.of("/github/rest-api.json", "/github/rest-api.statuses.json",
            "/github/rest-api.actions-artifacts.json", "/github/rest-api.actions-reruns.json",
            "/github/rest-api.actions-jobs.json");

    private final List<Operation> operations = new ArrayList<>();

    RestApiDescription() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        DESCRIPTIONS.forEach(description -> read(load(description), factory));
    }

    private void read(JsonNode api, JsonSchemaFactory factory) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode schema = op.getValue().at("/requestBody/content/application~1json/schema");
                List<String> requiredQuery = new ArrayList<>();
                op.getValue().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query") && p.path("required").asBoolean()) {
                        requiredQuery.add(p.get("name").asText());
                    }
                });
                operations.add(new Operation(path.getKey(), templatePattern(path.getKey()), op.getKey().toUpperCase(),
                        requiredQuery, schema.isMissingNode() ? Optional.empty() : Optional.of(factory.getSchema(schema)),
                        op.getValue().at("/requestBody/required").asBoolean()));
            }
        }
    }

    /** What GitHub would object to in this request; empty when it conforms. */
    List<String> violations(DoubleRequest request) {
        List<Operation> samePath = operations.stream().filter(o -> o.path().matcher(request.path()).matches())
                .toList();
        if (samePath.isEmpty()) {
            return List.of("no GitHub operation matches path " + request.path());
        }
        Optional<Operation> found = samePath.stream().filter(o -> o.method().equals(request.method())).findFirst();
        if (found.isEmpty()) {
            return List.of(request.method() + " is not an operation of " + samePath.get(0).template());
        }
        Operation op = found.get();
        List<String> problems = new ArrayList<>();
        op.requiredQuery().stream().filter(q -> !request.query().containsKey(q))
                .forEach(q -> problems.add("missing required query parameter " + q));
        if (op.bodyRequired() && request.json() == null) {
            problems.add(op.method() + " " + op.template() + " needs a JSON body");
        }
        if (op.body().isPresent() && request.json() != null) {
            Set<ValidationMessage> messages = op.body().get().validate(request.json());
            messages.forEach(m -> problems.add(op.method() + " " + op.template() + ": " + m.getMessage()));
        }
        return problems;
    }

    /**
     * {@code {ref}} and {@code {path}} span slashes ({@code heads/monkeytown/state/x}, {@code .github/workflows}); other
     * parameters are one segment.
     */
    private static Pattern templatePattern(String template) {
        String regex = template.replace("{ref}", "(.+)").replace("{path}", "(.+)").replaceAll("\\{[a-z_]+\\}", "([^/]+)");
        return Pattern.compile(regex);
    }

    static JsonNode load(String resource) {
        try (InputStream in = RestApiDescription.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
