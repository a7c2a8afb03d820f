package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class CompareApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void twoCommitsOfABranchCompareWithTheirFilesAndCommits() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String first = repo.commitFiles("main", Map.of("docs/a.md", "a", "src/x.java", "x"), "first");
        repo.commitFiles("main", Map.of("docs/a.md", "a2", "docs/b.md", "b"), "second");
        String third = repo.commitFiles("main", Map.of("src/y.java", "y"), "third");

        JsonNode ahead = json(get("/repos/acme/town/compare/" + first + "..." + third));
        assertEquals("ahead", ahead.get("status").asText());
        assertEquals(2, ahead.get("ahead_by").asInt());
        assertEquals(0, ahead.get("behind_by").asInt());
        assertEquals(List.of("second", "third"), messages(ahead));
        assertEquals(Map.of("docs/a.md", "modified", "docs/b.md", "added", "src/y.java", "added"), files(ahead));

        JsonNode behind = json(get("/repos/acme/town/compare/main..." + first));
        assertEquals("behind", behind.get("status").asText());
        assertEquals(2, behind.get("behind_by").asInt());
        assertEquals("identical", json(get("/repos/acme/town/compare/main...main")).get("status").asText());
        assertEquals(404, get("/repos/acme/town/compare/nowhere..." + first).statusCode());
    }

    @Test
    void noMoreThanThreeHundredFilesAreListed() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String first = repo.commitFiles("main", Map.of("seed.txt", "0"), "seed");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 320; i++) {
            many.put("gen/" + i + ".txt", Integer.toString(i));
        }
        String second = repo.commitFiles("main", many, "many");

        assertEquals(CompareApi.MAX_FILES, json(get("/repos/acme/town/compare/" + first + "..." + second))
                .get("files").size());
    }

    private static List<String> messages(JsonNode compare) {
        List<String> messages = new ArrayList<>();
        compare.get("commits").forEach(commit -> messages.add(commit.path("commit").path("message").asText()));
        return messages;
    }

    private static Map<String, String> files(JsonNode compare) {
        Map<String, String> files = new HashMap<>();
        compare.get("files").forEach(file -> files.put(file.get("filename").asText(), file.get("status").asText()));
        return files;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
