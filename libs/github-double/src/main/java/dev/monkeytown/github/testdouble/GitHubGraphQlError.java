package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.execution.DataFetcherResult;
import graphql.language.SourceLocation;
import graphql.schema.DataFetchingEnvironment;

/**
 * An execution error in GitHub's shape: {@code type} (NOT_FOUND, STALE_DATA, UNPROCESSABLE, EXCESSIVE_PAGINATION, ...)
 * beside {@code path}, {@code locations} and {@code message}, not under {@code extensions} where graphql-java puts
 * classifications.
 */
record GitHubGraphQlError(String type, String message, List<Object> path, List<SourceLocation> locations)
        implements
            GraphQLError {

    /** The field being fetched answers null with this error. */
    static <T> DataFetcherResult<T> failure(DataFetchingEnvironment env, String type, String message) {
        return DataFetcherResult.<T>newResult().error(at(env, type, message)).build();
    }

    static GitHubGraphQlError at(DataFetchingEnvironment env, String type, String message) {
        SourceLocation location = env.getField().getSourceLocation();
        return new GitHubGraphQlError(type, message, env.getExecutionStepInfo().getPath().toList(),
                location == null ? List.of() : List.of(location));
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public List<SourceLocation> getLocations() {
        return locations;
    }

    @Override
    public List<Object> getPath() {
        return path;
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorClassification.errorClassification(type);
    }

    @Override
    public Map<String, Object> getExtensions() {
        return null;
    }

    /** Any GraphQL error as GitHub writes it; graphql-java's own errors keep their specification form. */
    static ObjectNode toJson(GraphQLError error) {
        if (!(error instanceof GitHubGraphQlError github)) {
            return Json.MAPPER.valueToTree(error.toSpecification());
        }
        ObjectNode json = Json.object().put("type", github.type());
        ArrayNode path = json.putArray("path");
        github.path().forEach(p -> path.add(Json.MAPPER.valueToTree(p)));
        ArrayNode locations = json.putArray("locations");
        github.locations().forEach(l -> locations.addObject().put("line", l.getLine()).put("column", l.getColumn()));
        return json.put("message", github.message());
    }
}
