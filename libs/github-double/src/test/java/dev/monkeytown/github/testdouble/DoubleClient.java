package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A bare HTTP client for the double's own tests: one token, JSON in and out, an optional request timeout. */
final class DoubleClient {

    private final GitHubDouble github;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private Duration timeout = Duration.ofSeconds(30);

    DoubleClient(GitHubDouble github) {
        this(github, "token t");
    }

    DoubleClient(GitHubDouble github, String authorization) {
        this.github = github;
        this.token = authorization;
    }

    DoubleClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST /graphql; the HTTP answer, whatever its status. */
    HttpResponse<String> graphqlResponse(String query, Map<String, Object> variables)
            throws IOException, InterruptedException {
        return send("POST", "/graphql", Json.MAPPER.writeValueAsString(Map.of("query", query, "variables", variables)));
    }

    JsonNode graphql(String query, Map<String, Object> variables) throws IOException, InterruptedException {
        return json(graphqlResponse(query, variables));
    }

    JsonNode graphql(String query) throws IOException, InterruptedException {
        return graphql(query, Map.of());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", token)
                .timeout(timeout);
    }
}
