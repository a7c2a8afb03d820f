package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.execution.TypeFromAST;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * {@code POST /graphql}, served by graphql-java over the double's object store. Every document is parsed and validated
 * against the vendored subset of GitHub's schema ({@code github/graphql-schema.graphql}); one GitHub would refuse (an
 * unknown field, a wrong argument type, a bad variable) is answered as GitHub does — HTTP 200 with {@code errors} and
 * no {@code data} — and recorded as a violation, so a client drifting from GitHub's real schema fails its tests.
 * A mutation costs a write, a query a counted read.
 */
final class GraphQlApi implements ApiArea {

    private static final String SCHEMA = "/github/graphql-schema.graphql";
    /** Clients send a handful of constant documents; the bound only stops a runaway test from growing it forever. */
    private static final int DOCUMENTS_KEPT = 256;

    private final GitHubDouble host;
    private final GraphQLSchema schema;
    private final GraphQL engine;
    private final Map<String, PreparsedDocumentEntry> documents = new ConcurrentHashMap<>();

    GraphQlApi(GitHubDouble host) {
        this.host = host;
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
        GitHubScalars.all().forEach(wiring::scalar);
        new GraphQlReads(host, new ConnectionPages(host::violation), host.contentLimits()).wire(wiring);
        new CommitOnBranch(host).wire(wiring);
        this.schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(read(SCHEMA)),
                wiring.build());
        // parsed and validated once per document text, here, so classifying a request and running it agree
        this.engine = GraphQL.newGraphQL(schema)
                .preparsedDocumentProvider((input, parse) -> CompletableFuture.completedFuture(
                        document(input.getQuery())))
                .build();
    }

    @Override
    public void register(Routes routes) {
        routes.route("POST", "/graphql", this::isMutation, this::execute);
    }

    private boolean isMutation(DoubleRequest request) {
        return query(request).map(this::document).filter(d -> !d.hasErrors())
                .flatMap(d -> operation(d.getDocument(), operationName(request)))
                .map(op -> op.getOperation() == OperationDefinition.Operation.MUTATION).orElse(false);
    }

    private DoubleResponse execute(DoubleRequest request, Matcher unused) {
        Optional<String> query = query(request);
        if (query.isEmpty()) {
            host.violation("POST /graphql without a query string");
            return errors(Json.object().put("message", "A query attribute must be specified and must be a string."));
        }
        PreparsedDocumentEntry entry = document(query.get());
        if (entry.hasErrors()) {
            entry.getErrors().forEach(e -> host.violation("GraphQL document GitHub's schema refuses: "
                    + e.getMessage()));
            return errors(entry.getErrors().stream().map(GitHubGraphQlError::toJson).toArray(ObjectNode[]::new));
        }
        String operationName = operationName(request);
        Optional<OperationDefinition> operation = operation(entry.getDocument(), operationName);
        if (operation.isEmpty()) {
            String message = operationName == null
                    ? "An operation name is required"
                    : "No operation named \"" + operationName + "\"";
            host.violation("GraphQL: " + message);
            return errors(Json.object().put("message", message));
        }
        JsonNode variables = request.json().path("variables");
        List<ObjectNode> invalid = operation.get().getVariableDefinitions().stream()
                .flatMap(d -> invalidVariable(d, variables.path(d.getName())).stream()).toList();
        if (!invalid.isEmpty()) {
            return errors(invalid.toArray(ObjectNode[]::new));
        }
        ExecutionResult result = engine.execute(ExecutionInput.newExecutionInput(query.get())
                .operationName(operationName)
                .variables(variables.isObject()
                        ? Json.MAPPER.convertValue(variables, new TypeReference<Map<String, Object>>() {
                        })
                        : Map.of())
                .build());
        ObjectNode body = Json.object();
        if (result.isDataPresent()) {
            body.set("data", Json.MAPPER.valueToTree(result.getData()));
        }
        if (!result.getErrors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (GraphQLError error : result.getErrors()) {
                if (!(error instanceof GitHubGraphQlError)) {
                    host.violation("GraphQL execution failed in the double: " + error.getMessage());
                }
                errors.add(GitHubGraphQlError.toJson(error));
            }
        }
        if (operation.get().getOperation() == OperationDefinition.Operation.QUERY
                && body.toString().getBytes(StandardCharsets.UTF_8).length > host.contentLimits().graphQlAnswerBytes()) {
            return host.contentLimits().graphQlAnswerTooLarge().answer(host.primaryLimits().quota("graphql"),
                    host.clock());
        }
        return DoubleResponse.of(200, body);
    }

    /** GitHub's error for a variable its coercion refuses: every problem listed, the first one in the message. */
    private Optional<ObjectNode> invalidVariable(VariableDefinition definition, JsonNode value) {
        if (value.isMissingNode() && definition.getDefaultValue() != null) {
            return Optional.empty();
        }
        GraphQLInputType type = (GraphQLInputType) TypeFromAST.getTypeFromAST(schema, definition.getType());
        List<VariableProblems.Problem> problems = VariableProblems.of(type, value);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        problems.forEach(p -> host.violation("GraphQL variable $" + definition.getName() + " " + p.path() + ": "
                + p.explanation()));
        VariableProblems.Problem first = problems.get(0);
        ObjectNode error = Json.object().put("message", "Variable $" + definition.getName() + " of type "
                + AstPrinter.printAst(definition.getType()) + " was provided invalid value"
                + (first.path().isEmpty() ? "" : " for " + String.join(".", first.path())) + " ("
                + first.explanation() + ")");
        SourceLocation at = definition.getSourceLocation();
        error.putArray("locations").addObject().put("line", at.getLine()).put("column", at.getColumn());
        ObjectNode extensions = error.putObject("extensions");
        extensions.set("value", value.isMissingNode() ? Json.MAPPER.nullNode() : value);
        ArrayNode list = extensions.putArray("problems");
        problems.forEach(p -> {
            ObjectNode problem = list.addObject();
            p.path().forEach(problem.putArray("path")::add);
            problem.put("explanation", p.explanation());
        });
        return Optional.of(error);
    }

    private PreparsedDocumentEntry document(String query) {
        if (documents.size() > DOCUMENTS_KEPT) {
            documents.clear();
        }
        return documents.computeIfAbsent(query, q -> {
            Document document;
            try {
                document = Parser.parse(q);
            } catch (InvalidSyntaxException e) {
                return new PreparsedDocumentEntry(e.toInvalidSyntaxError());
            }
            List<? extends GraphQLError> problems = ParseAndValidate.validate(schema, document);
            return problems.isEmpty()
                    ? new PreparsedDocumentEntry(document)
                    : new PreparsedDocumentEntry(document, problems);
        });
    }

    /** The operation to run: the only one, or the one named; empty when GitHub could not choose either. */
    private static Optional<OperationDefinition> operation(Document document, String name) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (name == null) {
            return operations.size() == 1 ? Optional.of(operations.get(0)) : Optional.empty();
        }
        return operations.stream().filter(o -> name.equals(o.getName())).findFirst();
    }

    private static Optional<String> query(DoubleRequest request) {
        return request.json() != null && request.json().path("query").isTextual()
                ? Optional.of(request.json().get("query").asText())
                : Optional.empty();
    }

    private static String operationName(DoubleRequest request) {
        JsonNode name = request.json() == null ? null : request.json().get("operationName");
        return name != null && name.isTextual() ? name.asText() : null;
    }

    private static DoubleResponse errors(ObjectNode... errors) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("errors");
        for (ObjectNode error : errors) {
            list.add(error);
        }
        return DoubleResponse.of(200, body);
    }

    private static String read(String resource) {
        try (InputStream in = GraphQlApi.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
