package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ContentsApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void fileAndDirectoryAtARef() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String first = repo.commitFiles("main", Map.of(".monkeytown/agents.yaml", "agents: {}\n",
                ".github/workflows/agent-a.yml", "a", ".github/workflows/nested/x.yml", "x"), "first");
        String second = repo.commitFiles("main", Map.of(".monkeytown/agents.yaml", "agents: {b: {}}\n"), "second");
        assertEquals(List.of(first), repo.objects().find(second, GitObjects.Commit.class).orElseThrow().parents());

        JsonNode file = json(get("/repos/acme/town/contents/.monkeytown/agents.yaml?ref=" + first));
        assertEquals("file", file.get("type").asText());
        assertEquals("agents: {}\n", new String(Base64.getMimeDecoder().decode(file.get("content").asText()),
                StandardCharsets.UTF_8));
        JsonNode latest = json(get("/repos/acme/town/contents/.monkeytown/agents.yaml")); // default branch
        assertEquals("agents: {b: {}}\n", new String(Base64.getMimeDecoder().decode(latest.get("content").asText()),
                StandardCharsets.UTF_8));

        JsonNode dir = json(get("/repos/acme/town/contents/.github/workflows?ref=main"));
        assertEquals(2, dir.size());
        assertEquals("agent-a.yml", dir.get(0).get("name").asText());
        assertEquals("file", dir.get(0).get("type").asText());
        assertEquals(".github/workflows/nested", dir.get(1).get("path").asText());
        assertEquals("dir", dir.get(1).get("type").asText());

        assertEquals(404, get("/repos/acme/town/contents/missing.txt?ref=main").statusCode());
        assertEquals(404, get("/repos/acme/town/contents/.monkeytown/agents.yaml?ref=nowhere").statusCode());
        assertEquals(404, get("/repos/acme/nothing/contents/a").statusCode());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
