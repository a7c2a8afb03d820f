package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ActionsArtifactsApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void aRunsArtifactsAreListedAndDownloadedThroughAShortLivedUrlWithoutTheToken() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        WorkflowRun run = repo.actions().trigger("push", "ci.yml", "ci", "main");
        long id = github.artifacts().upload("acme/town", run.id(), "dist",
                Map.of("site/index.html", "<h1>hi</h1>".getBytes(StandardCharsets.UTF_8),
                        "sources.tar", new byte[]{1, 2, 3}));

        HttpResponse<String> listing = client.get("/repos/acme/town/actions/runs/" + run.id() + "/artifacts");
        assertEquals(200, listing.statusCode(), listing.body());
        JsonNode artifacts = DoubleClient.json(listing);
        assertEquals(1, artifacts.path("total_count").asInt());
        JsonNode artifact = artifacts.path("artifacts").get(0);
        assertEquals(id, artifact.path("id").asLong());
        assertEquals("dist", artifact.path("name").asText());
        assertEquals(false, artifact.path("expired").asBoolean());
        assertEquals(run.id(), artifact.path("workflow_run").path("id").asLong());

        HttpResponse<String> redirect = client.get("/repos/acme/town/actions/artifacts/" + id + "/zip");
        assertEquals(302, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.contains(ActionsArtifactsApi.STORAGE), location);

        // the storage host needs no token (and a client must not send it one)
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        Map<String, String> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        assertEquals(Map.of("site/index.html", "<h1>hi</h1>", "sources.tar", "\u0001\u0002\u0003"), files);
        // two counted reads; the download itself costs no API quota
        assertEquals(2, github.ledger().costs().countedReads());
        assertEquals(1, github.ledger().requests().stream().filter(r -> r.kind() == CallKind.TRANSFER).count());
    }

    @Test
    void anExpiredArtifactIsStillListedButItsDownloadIsGone() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        WorkflowRun run = repo.actions().trigger("push", "ci.yml", "ci", "main");
        long id = github.artifacts().upload("acme/town", run.id(), "dist", Map.of("a", new byte[]{1}));
        github.artifacts().expire(id);

        JsonNode listed = DoubleClient.json(client.get("/repos/acme/town/actions/runs/" + run.id() + "/artifacts"));
        assertEquals(true, listed.path("artifacts").get(0).path("expired").asBoolean());
        HttpResponse<String> gone = client.get("/repos/acme/town/actions/artifacts/" + id + "/zip");
        assertEquals(410, gone.statusCode());
        assertEquals("Artifact has expired", DoubleClient.json(gone).path("message").asText());
    }

    @Test
    void anUnknownRunOrArtifactIsNotFound() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        assertEquals(404, client.get("/repos/acme/town/actions/runs/424242/artifacts").statusCode());
        assertEquals(404, client.get("/repos/acme/town/actions/artifacts/424242/zip").statusCode());
    }
}
