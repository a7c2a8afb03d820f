package dev.monkeytown.artifact.api;

import static dev.monkeytown.artifact.Registry.admin;
import static dev.monkeytown.artifact.Registry.anonymous;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.artifact.Metrics;
import dev.monkeytown.artifact.Registry;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.kit.testing.Management;

/**
 * {@code /api/v1/artifacts}: one-call upload of a file as an OCI artifact (then pullable over {@code /v2/} like any
 * other), listings with who pushed and pull counts, authenticated download, the events and the storage metrics.
 */
@QuarkusTest
class ArtifactsApiTest {

    @Inject
    EventLog events;

    @Test
    void aFileUploadedInOneCallIsAnOciArtifactWithItsTypeAndAnnotations() {
        String repo = repository("files");
        byte[] file = bytes("the build's output");
        long before = events.head().offset();
        JsonPath uploaded = operator().contentType("application/gzip").body(file)
                .queryParam("repository", repo).queryParam("artifactType", "application/vnd.monkeytown.build+tar")
                .queryParam("tag", "main").queryParam("filename", "dist.tar.gz")
                .queryParam("annotation", "dev.monkeytown.sha=abc123")
                .post("/api/v1/artifacts")
                .then().statusCode(201).header("Location", startsWith("/v2/" + repo + "/manifests/sha256:"))
                .extract().jsonPath();
        String digest = uploaded.getString("digest");
        assertEquals(Digest.of(file).toString(), uploaded.getString("fileDigest"));

        JsonPath manifest = viewer().get("/v2/" + repo + "/manifests/main").then().statusCode(200)
                .header("Docker-Content-Digest", digest).extract().jsonPath();
        assertEquals("application/vnd.monkeytown.build+tar", manifest.getString("artifactType"));
        assertEquals("application/gzip", manifest.getString("layers[0].mediaType"));
        assertEquals("dist.tar.gz", manifest.getString("layers[0].annotations.'org.opencontainers.image.title'"));
        assertEquals("abc123", manifest.getString("annotations.'dev.monkeytown.sha'"));
        assertArrayEquals(file, viewer().get("/v2/" + repo + "/blobs/" + Digest.of(file)).asByteArray());

        List<Event> published = events.since(before).events();
        assertTrue(published.stream().anyMatch(e -> e.type().equals("artifact.pushed")
                && e.subject().equals(repo + "@" + digest)), published.toString());
    }

    @Test
    void listingsShowSizesTagsWhoPushedAndPulls() {
        String repo = repository("listed");
        byte[] file = bytes("listed file");
        String digest = operator().body(file).queryParam("repository", repo)
                .queryParam("artifactType", "application/vnd.test").queryParam("tag", "t")
                .post("/api/v1/artifacts").then().statusCode(201).extract().path("digest");
        viewer().get("/v2/" + repo + "/manifests/t").then().statusCode(200);
        viewer().get("/v2/" + repo + "/manifests/" + digest).then().statusCode(200);

        viewer().get("/api/v1/artifacts").then().statusCode(200)
                .body("repositories.name", hasItem(repo))
                .body("storage.level", is("ok"));
        viewer().queryParam("repository", repo).get("/api/v1/artifacts/manifests").then().statusCode(200)
                .body("artifacts[0].digest", is(digest)).body("artifacts[0].tags", contains("t"))
                .body("artifacts[0].pushedBy", is("operator-user")).body("artifacts[0].pulls", is(2))
                .body("artifacts[0].artifactType", is("application/vnd.test"));
    }

    @Test
    void listingsNeedPullAndAScopedTokenSeesOnlyItsRepositories() {
        String repo = repository("hidden");
        String digest = operator().body(bytes("hidden file")).queryParam("repository", repo)
                .queryParam("artifactType", "application/vnd.test").queryParam("tag", "t")
                .post("/api/v1/artifacts").then().statusCode(201).extract().path("digest");
        operator().contentType("application/json")
                .body("{\"current\":[\"" + repo + "@" + digest + "\"],\"lastGood\":[]}")
                .put("/api/v1/artifacts/deployments/hidden-env").then().statusCode(200);

        // the spec's "Anonymous pull: Disabled": no listing for nobody, as on /v2/
        for (String path : List.of("/api/v1/artifacts", "/api/v1/artifacts/deployments",
                "/api/v1/artifacts/retention", "/api/v1/artifacts/retention/runs")) {
            anonymous().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Basic"));
        }
        anonymous().queryParam("repository", repo).get("/api/v1/artifacts/manifests").then().statusCode(401)
                .contentType("application/problem+json");

        // a token scoped elsewhere is refused the repository as a pull would be, and finds it in no listing
        viewer().header("X-Monkeytown-Scope", "elsewhere/**").queryParam("repository", repo)
                .get("/api/v1/artifacts/manifests").then().statusCode(403).body("artifacts", nullValue());
        viewer().header("X-Monkeytown-Scope", "elsewhere/**").get("/api/v1/artifacts").then().statusCode(200)
                .body("repositories.name", not(hasItem(repo)));
        viewer().header("X-Monkeytown-Scope", "elsewhere/**").get("/api/v1/artifacts/deployments").then()
                .statusCode(200).body("'hidden-env'.current", empty());
        viewer().header("X-Monkeytown-Scope", "hidden/**").get("/api/v1/artifacts/deployments").then()
                .statusCode(200).body("'hidden-env'.current", contains(repo + "@" + digest));
    }

    /**
     * Registry-wide storage figures tell a token limited to some repositories how much the others store: it sees the
     * figures of its own repositories only.
     */
    @Test
    void aScopedTokenSeesOnlyItsRepositoriesStorage() {
        String repo = repository("storage-scope");
        byte[] file = bytes("eleven byte");
        operator().body(file).queryParam("repository", repo).queryParam("artifactType", "application/vnd.test")
                .post("/api/v1/artifacts").then().statusCode(201);

        // the file and the empty config "{}": 13 bytes in two blobs, whatever the rest of the registry holds
        viewer().header("X-Monkeytown-Scope", repo).get("/api/v1/artifacts").then().statusCode(200)
                .body("repositories.name", contains(repo))
                .body("storage.scope", is("repositories"))
                .body("storage.usedBytes", is(file.length + 2)).body("storage.objects", is(2))
                .body("storage.reclaimableBytes", is(0)).body("storage.level", is("ok"));
        viewer().header("X-Monkeytown-Scope", "nothing-here/**").get("/api/v1/artifacts").then().statusCode(200)
                .body("repositories", empty()).body("storage.usedBytes", is(0)).body("storage.objects", is(0));
        long registryWide = viewer().get("/api/v1/artifacts").then().statusCode(200)
                .body("storage.scope", is("registry")).extract().jsonPath().getLong("storage.usedBytes");
        assertTrue(registryWide >= file.length + 2, "the registry holds at least this repository's blobs");
    }

    /** The push and pull counters move with pushes and pulls: the business metrics read them. */
    @Test
    void pushesAndPullsAreCounted() {
        String repo = repository("counted");
        Map<String, Double> before = Metrics.scrape();
        byte[] layer = bytes("counted layer");
        byte[] manifest = Registry.imageManifest(repo, bytes("{\"counted\":1}"), List.of(layer));
        Registry.putManifest(repo, "t", manifest).then().statusCode(201);
        viewer().get("/v2/" + repo + "/manifests/t").then().statusCode(200);
        viewer().get("/v2/" + repo + "/blobs/" + Digest.of(layer)).then().statusCode(200);
        Map<String, Double> after = Metrics.scrape();

        assertEquals(1, Metrics.increase(before, after, "monkeytown_artifacts_pushes_total"), 0.0);
        assertEquals(1, Metrics.increase(before, after, "monkeytown_artifacts_pulls_total"), 0.0);
        assertEquals(2, Metrics.increase(before, after, "monkeytown_artifacts_blob_pushes_total"), 0.0);
        assertEquals(1, Metrics.increase(before, after, "monkeytown_artifacts_blob_pulls_total"), 0.0);
        assertEquals(layer.length + "{\"counted\":1}".length(),
                Metrics.increase(before, after, "monkeytown_artifacts_bytes_in_bytes_total"), 0.0);
        assertEquals(layer.length, Metrics.increase(before, after, "monkeytown_artifacts_bytes_out_bytes_total"), 0.0);
    }

    @Test
    void downloadsAreAuthenticated() {
        String repo = repository("download");
        byte[] file = bytes("downloadable");
        operator().body(file).queryParam("repository", repo).queryParam("artifactType", "application/vnd.test")
                .post("/api/v1/artifacts").then().statusCode(201);
        String path = "/api/v1/artifacts/" + Digest.of(file) + "/content";
        assertArrayEquals(file, viewer().queryParam("repository", repo).get(path).then().statusCode(200).extract()
                .asByteArray());
        anonymous().queryParam("repository", repo).get(path).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Basic"));
    }

    @Test
    void badUploadsAreRefusedAndStoreNothing() {
        String repo = repository("bad");
        operator().body(bytes("x")).queryParam("repository", repo).post("/api/v1/artifacts").then().statusCode(400)
                .contentType("application/problem+json");
        operator().body(bytes("x")).queryParam("repository", "Not/Valid").queryParam("artifactType", "a/b")
                .post("/api/v1/artifacts").then().statusCode(400);
        viewer().body(bytes("x")).queryParam("repository", repo).queryParam("artifactType", "a/b")
                .post("/api/v1/artifacts").then().statusCode(403);
        viewer().queryParam("repository", repo).get("/api/v1/artifacts/manifests").then().statusCode(404);
    }

    @Test
    void deploymentReferencesNeedWellFormedReferences() {
        operator().contentType("application/json").body("{\"current\":[\"not a reference\"],\"lastGood\":[]}")
                .put("/api/v1/artifacts/deployments/prod").then().statusCode(400);
        admin().get("/api/v1/artifacts/deployments").then().statusCode(200);
    }

    @Test
    void storageMetricsAreExposedForTheSpecsAlerts() {
        Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("monkeytown_artifacts_storage_bytes"))
                .body(org.hamcrest.Matchers.containsString("monkeytown_artifacts_storage_level"))
                .body(org.hamcrest.Matchers.containsString("monkeytown_artifacts_quota_used"));
    }
}
