package dev.monkeytown.artifact.retention;

import static dev.monkeytown.artifact.Registry.admin;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.pushBlob;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.artifact.catalog.ArtifactPaths;
import dev.monkeytown.artifact.catalog.BlobLink;
import dev.monkeytown.artifact.catalog.CatalogJson;
import dev.monkeytown.artifact.catalog.LfsPointer;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.LocalLfsStore;
import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;

/**
 * Retention through the API on a real registry: the dry run lists and removes nothing, the real run removes exactly
 * that and nothing a deployment references, immutable tags hold, and garbage collection then deletes the freed LFS
 * objects.
 */
@QuarkusTest
class RetentionApiTest {

    @Inject
    EventLog events;

    @Inject
    StateBranch branch;

    @Inject
    RetentionRun retention;

    @BeforeAll
    static void policy() throws Exception {
        Files.writeString(Path.of("target/test-retention.yaml"), """
                untaggedGrace: 1h
                immutableTags:
                  - repositories: "retention/**"
                    tags: ["v*"]
                rules:
                  - repositories: "retention/**"
                    keepLatest: 1
                """);
    }

    @Test
    void aDryRunReportsARealRunRemovesAndDeploymentsAndImmutableTagsStay() throws Exception {
        String repo = repository("retention");
        byte[] release = imageManifest(repo, bytes("{\"r\":\"v1\"}"), List.of(bytes("release layer")));
        byte[] deployed = imageManifest(repo, bytes("{\"r\":\"deployed\"}"), List.of(bytes("deployed layer")));
        byte[] stale = imageManifest(repo, bytes("{\"r\":\"stale\"}"), List.of(bytes("only the stale one has this")));
        byte[] newest = imageManifest(repo, bytes("{\"r\":\"newest\"}"), List.of(bytes("newest layer")));
        putManifest(repo, "v1", release).then().statusCode(201);
        putManifest(repo, "dev", deployed).then().statusCode(201);
        putManifest(repo, "feature", stale).then().statusCode(201);
        Thread.sleep(5); // pushes a millisecond apart at least: "most recently pushed" must be unambiguous
        putManifest(repo, "latest", newest).then().statusCode(201);
        operator().contentType("application/json")
                .body(Map.of("current", List.of(repo + "@" + Digest.of(deployed)), "lastGood", List.of()))
                .put("/api/v1/artifacts/deployments/staging").then().statusCode(200);

        long before = events.head().offset();
        JsonPath dry = admin().post("/api/v1/artifacts/admin/retention/runs").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(true, dry.getBoolean("dryRun"));
        assertEquals(List.of(Digest.of(stale).toString()), candidatesIn(dry, repo));
        viewer().get("/v2/" + repo + "/manifests/feature").then().statusCode(200);

        // immutable: v1 can neither move nor go
        putManifest(repo, "v1", newest).then().statusCode(409).body("errors[0].code", is("DENIED"));
        admin().delete("/v2/" + repo + "/manifests/v1").then().statusCode(409);
        // deployed: not even an admin deletes it
        admin().delete("/v2/" + repo + "/manifests/" + Digest.of(deployed)).then().statusCode(409);

        JsonPath real = admin().queryParam("dryRun", "false").post("/api/v1/artifacts/admin/retention/runs").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(Digest.of(stale).toString()), candidatesIn(real, repo));
        assertTrue(real.getList("removed", String.class).contains(repo + "@" + Digest.of(stale)));
        viewer().get("/v2/" + repo + "/manifests/" + Digest.of(stale)).then().statusCode(404);
        for (byte[] kept : List.of(release, deployed, newest)) {
            viewer().get("/v2/" + repo + "/manifests/" + Digest.of(kept)).then().statusCode(200);
        }
        viewer().get("/api/v1/artifacts/retention/runs").then().statusCode(200)
                .body("[0].id", is(real.getString("id"))).body("[1].id", is(dry.getString("id")));
        // on /internal/events for the artifacts topic: a run event per run, a deletion event per removal (other
        // repositories' leftovers from earlier test runs may go too: the test repository outlives a build)
        List<Event> published = events.since(before).events();
        assertEquals(List.of(dry.getString("id"), real.getString("id")), published.stream()
                .filter(e -> e.type().equals("artifact.retention-ran")).map(Event::subject).toList());
        assertEquals(List.of(repo + "@" + Digest.of(stale)), published.stream()
                .filter(e -> e.type().equals("artifact.deleted") && e.subject().startsWith(repo + "@"))
                .map(Event::subject).toList());

        // the stale manifest's own layer is now unlinked: collected (delay 0 in tests) from the LFS object store
        Path object = new LocalLfsStore(Path.of("target/test-state-repo/.git"))
                .objectPath(Digest.of(bytes("only the stale one has this")));
        assertTrue(Files.exists(object));
        admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200);
        admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200);
        assertFalse(Files.exists(object), "the unlinked object is deleted");
        assertTrue(Files.exists(new LocalLfsStore(Path.of("target/test-state-repo/.git"))
                .objectPath(Digest.of(bytes("newest layer")))));
    }

    @Test
    void anObjectNoRecordNamesIsSweptOnceItIsOlderThanTheDelay() throws Exception {
        LocalLfsStore store = new LocalLfsStore(Path.of("target/test-state-repo/.git"));
        FileTime aMinuteAgo = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        // what a push that died between storing its blob and recording it leaves behind
        Path unrecorded = store.objectPath(Digest.of(bytes("stored, never recorded")));
        Files.createDirectories(unrecorded.getParent());
        Files.writeString(unrecorded, "stored, never recorded");
        Files.setLastModifiedTime(unrecorded, aMinuteAgo);
        // an acknowledged push of the same age: recorded, so it stays
        Path recorded = store.objectPath(pushBlob(repository("retention"), bytes("pushed and recorded")));
        Files.setLastModifiedTime(recorded, aMinuteAgo);

        admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200);
        assertFalse(Files.exists(unrecorded), "the object no record names is deleted");
        assertTrue(Files.exists(recorded), "the recorded object stays");
    }

    @Test
    void anObjectRecordedOnTheBranchIsNotSweptWhileTheCatalogHasNotCaughtUp() throws Exception {
        // a commit that landed although its caller heard a failure: on the branch, not (yet) in the catalog
        byte[] content = bytes("recorded, answer lost");
        Digest digest = Digest.of(content);
        RepositoryName name = new RepositoryName(repository("retention"));
        LocalLfsStore store = new LocalLfsStore(Path.of("target/test-state-repo/.git"));
        Path object = store.objectPath(digest);
        Files.createDirectories(object.getParent());
        Files.write(object, content);
        Files.setLastModifiedTime(object, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        branch.apply(new Change("push whose answer was lost", Actor.user("alice"), ws -> {
            ws.put(ArtifactPaths.blobLink(name, digest),
                    CatalogJson.write(new BlobLink(content.length, java.time.Instant.now(), "alice")));
            ws.put(ArtifactPaths.pointer(digest), new LfsPointer(digest, content.length).text());
        })).await().atMost(java.time.Duration.ofSeconds(30));

        admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200);
        assertTrue(Files.exists(object), "a blob whose pointer is on the branch keeps its object");
    }

    @Test
    void aRetentionReportShowsAScopedTokenOnlyItsRepositories() {
        String repo = repository("retention");
        byte[] onlyHere = bytes("{\"s\":\"" + java.util.UUID.randomUUID() + "\"}");
        putManifest(repo, "one", imageManifest(repo, onlyHere, List.of())).then().statusCode(201);
        sleepAMillisecond();
        putManifest(repo, "two", imageManifest(repo, bytes("{\"s\":2}"), List.of())).then().statusCode(201);
        String id = admin().post("/api/v1/artifacts/admin/retention/runs").then().statusCode(200).extract()
                .path("id");

        JsonPath everyone = viewer().get("/api/v1/artifacts/retention/runs/" + id).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(1, candidatesIn(everyone, repo).size(), everyone.prettify());
        for (String path : List.of("/api/v1/artifacts/retention/runs/" + id, "/api/v1/artifacts/retention/runs",
                "/api/v1/artifacts/retention")) {
            String seen = viewer().header("X-Monkeytown-Scope", "elsewhere/**").get(path).then().statusCode(200)
                    .extract().asString();
            assertFalse(seen.contains(repo), path + " shows " + repo + " to a token scoped elsewhere: " + seen);
        }
        // the bytes the run would free, too: a scoped token sees its repositories' share only
        assertEquals(0L, viewer().header("X-Monkeytown-Scope", "elsewhere/**")
                .get("/api/v1/artifacts/retention/runs/" + id).then().extract().jsonPath().getLong("reclaimableBytes"));
        JsonPath own = viewer().header("X-Monkeytown-Scope", repo).get("/api/v1/artifacts/retention/runs/" + id).then()
                .statusCode(200).extract().jsonPath();
        assertEquals((long) onlyHere.length, own.getLong("reclaimableBytes"), own.prettify());
        assertEquals(Map.of(repo, onlyHere.length), own.getMap("reclaimableByRepository"));
    }

    /**
     * A real run removes one candidate after another, each in its own commit, so the registry moves on between the
     * plan and each removal. Whatever was pushed again, tagged or pulled since the plan is not removed on the plan's
     * word: it is listed under failures and the next run judges it afresh.
     */
    @Test
    void aPushBetweenThePlanAndItsRemovalKeepsTheManifest() {
        String repo = repository("retention");
        byte[] old = imageManifest(repo, bytes("{\"r\":\"old\"}"), List.of(bytes("old layer")));
        byte[] pulled = imageManifest(repo, bytes("{\"r\":\"pulled\"}"), List.of(bytes("pulled layer")));
        byte[] untouched = imageManifest(repo, bytes("{\"r\":\"untouched\"}"), List.of());
        byte[] newest = imageManifest(repo, bytes("{\"r\":\"newest\"}"), List.of());
        putManifest(repo, "old", old).then().statusCode(201);
        putManifest(repo, "pulled", pulled).then().statusCode(201);
        putManifest(repo, "untouched", untouched).then().statusCode(201);
        sleepAMillisecond();
        putManifest(repo, "latest", newest).then().statusCode(201);

        RetentionRun.Plan plan = retention.plan();
        List<String> planned = plan.candidates().stream().filter(c -> c.repository().equals(repo))
                .map(Removal::digest).sorted().toList();
        assertEquals(java.util.stream.Stream.of(old, pulled, untouched).map(m -> Digest.of(m).toString()).sorted()
                .toList(), planned, "keepLatest 1: all but the newest");

        // meanwhile a hotfix tag lands on the old manifest, and someone pulls another one
        putManifest(repo, "hotfix", old).then().statusCode(201);
        viewer().get("/v2/" + repo + "/manifests/pulled").then().statusCode(200);

        RetentionReport report = retention.apply(plan, false, "test");
        viewer().get("/v2/" + repo + "/manifests/hotfix").then().statusCode(200);
        viewer().get("/v2/" + repo + "/manifests/old").then().statusCode(200);
        viewer().get("/v2/" + repo + "/manifests/" + Digest.of(pulled)).then().statusCode(200);
        viewer().get("/v2/" + repo + "/manifests/" + Digest.of(untouched)).then().statusCode(404);
        assertEquals(List.of(repo + "@" + Digest.of(untouched)),
                report.removed().stream().filter(r -> r.startsWith(repo + "@")).toList());
        List<String> failures = report.failures().stream().filter(f -> f.startsWith(repo + "@")).toList();
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.startsWith(repo + "@" + Digest.of(old))
                && f.contains("since the retention plan")), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.startsWith(repo + "@" + Digest.of(pulled))
                && f.contains("pulled since the retention plan")), failures.toString());
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(5); // "most recently pushed" must be unambiguous
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onlyAdminsRunRetention() {
        operator().post("/api/v1/artifacts/admin/retention/runs").then().statusCode(403)
                .contentType("application/problem+json");
        admin().queryParam("dryRun", "maybe").post("/api/v1/artifacts/admin/retention/runs").then().statusCode(400);
    }

    private static List<String> candidatesIn(JsonPath report, String repo) {
        return report.getList("candidates.findAll { it.repository == '" + repo + "' }.digest", String.class);
    }
}
