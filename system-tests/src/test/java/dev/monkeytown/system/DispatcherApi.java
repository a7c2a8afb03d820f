package dev.monkeytown.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent dispatcher's run API, called directly with the suite's internal token, as the gateway will. */
final class DispatcherApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String TOKEN_HEADER = "X-Monkeytown-Internal-Token";

    private final URI base;
    private final String token;

    private DispatcherApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Reads the internal token {@code ./monkeytown up} generated; call after the suite is up. */
    static DispatcherApi of(Launcher launcher) throws IOException {
        return new DispatcherApi(URI.create("http://localhost:" + launcher.port("agent-dispatcher")),
                Files.readString(launcher.home().resolve("internal-token")).trim());
    }

    /** Queues a run of the agent and returns the accepted run (202). */
    JsonNode queue(String agent) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/v1/agents/" + agent + "/runs")
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 202) {
            throw new AssertionError("queueing a run of " + agent + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        JsonNode run = JSON.readTree(response.body());
        String location = response.headers().firstValue("Location").orElse("");
        if (!location.equals("/api/v1/runs/" + run.path("id").asText())) {
            throw new AssertionError("Location " + location + " does not name run " + run);
        }
        return run;
    }

    JsonNode run(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/v1/runs/" + id).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET run " + id + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    String state(String id) throws IOException, InterruptedException {
        return run(id).path("state").asText();
    }

    /** Every run the dispatcher lists, newest first, following the pages to the end. */
    List<JsonNode> allRuns() throws IOException, InterruptedException {
        List<JsonNode> runs = new ArrayList<>();
        String cursor = null;
        do {
            // small pages on purpose: a run must not show up twice, nor fall out, across page boundaries
            HttpResponse<String> response = send(request("/api/v1/runs?limit=2" + (cursor == null
                    ? ""
                    : "&cursor="
                            + cursor))
                    .GET());
            if (response.statusCode() != 200) {
                throw new AssertionError("listing runs answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            page.path("runs").forEach(runs::add);
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        return runs;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).header(TOKEN_HEADER, token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
