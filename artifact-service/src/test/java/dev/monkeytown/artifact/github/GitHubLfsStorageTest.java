package dev.monkeytown.artifact.github;

import static dev.monkeytown.artifact.Registry.admin;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.pushBlob;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.artifact.Metrics;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolContents;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.RecordedRequest;

/** Blobs really land in the repository's Git LFS storage, and GitHub's refusals reach the client as clear 4xx. */
@QuarkusTest
@TestProfile(GitHubRegistryProfile.class)
class GitHubLfsStorageTest {

    @Inject
    BlobStore store;

    private static final String REPOSITORY = GitHubRegistryProfile.OWNER + "/" + GitHubRegistryProfile.NAME;

    private static GitHubDouble github() {
        return GitHubRegistryProfile.DoubleResource.github;
    }

    @AfterEach
    void liftQuotas() {
        github().lfs().storageQuota(Long.MAX_VALUE);
        github().lfs().bandwidthQuota(Long.MAX_VALUE);
        github().lfs().actionLifetime(java.time.Duration.ofHours(1));
        github().lfs().expireNextActions(0);
        github().lfs().rateLimitNextBatches(0, java.time.Duration.ofSeconds(1));
        github().lfs().insufficientStorage(false);
    }

    /** An upload URL that has expired is not used: the batch API is asked for a fresh one (git-lfs batch.md). */
    @Test
    void anExpiredUploadActionIsAskedForAgain() {
        String repo = repository("lfs");
        byte[] content = bytes("expired action, fresh batch " + java.util.UUID.randomUUID());
        github().ledger().clear();
        github().lfs().expireNextActions(1);
        Digest digest = pushBlob(repo, content);
        assertTrue(github().lfs().has(REPOSITORY, digest.oid()));
        List<RecordedRequest> requests = github().ledger().requests();
        assertEquals(2, requests.stream().filter(r -> r.path().endsWith("/objects/batch")).count(), requests.toString());
        assertTrue(requests.stream().filter(r -> r.kind() == CallKind.TRANSFER).allMatch(r -> r.status() == 200),
                "the expired URL was never tried: " + requests);
    }

    @Test
    void uploadActionsThatKeepExpiringEndInABoundedRefusal() {
        github().lfs().actionLifetime(java.time.Duration.ZERO);
        String repo = repository("lfs");
        byte[] content = bytes("never a usable action " + java.util.UUID.randomUUID());
        Digest digest = Digest.of(content);
        github().ledger().clear();
        operator().contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(503).body("errors[0].code", is("UNAVAILABLE"))
                .body("errors[0].detail", containsString("expired")).header("Retry-After", matchesPattern("[0-9]+"));
        assertEquals(3, github().ledger().requests().stream().filter(r -> r.path().endsWith("/objects/batch"))
                .count());
        viewer().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(404);
    }

    /** A 429 within the wait is waited out as GitHub asks; one asking longer reaches the client with GitHub's wait. */
    @Test
    void rateLimitedBatchesAreRetriedOrPassTheirWaitOn() {
        String repo = repository("lfs");
        github().lfs().rateLimitNextBatches(1, java.time.Duration.ofSeconds(1));
        Digest stored = pushBlob(repo, bytes("after one 429 " + java.util.UUID.randomUUID()));
        assertTrue(github().lfs().has(REPOSITORY, stored.oid()));

        github().lfs().rateLimitNextBatches(1000, java.time.Duration.ofSeconds(120));
        byte[] content = bytes("rate limited for two minutes " + java.util.UUID.randomUUID());
        long started = System.nanoTime();
        operator().contentType("application/octet-stream").body(content)
                .queryParam("digest", Digest.of(content).toString()).post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(503).body("errors[0].code", is("UNAVAILABLE")).header("Retry-After", "120");
        assertTrue(System.nanoTime() - started < java.time.Duration.ofSeconds(10).toNanos(),
                "the registry does not sit out GitHub's two minutes itself");
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(content)).then().statusCode(404);
    }

    /** 507 (no room on the LFS server) is a clear, retryable refusal: not a 500, and not the quota's 403. */
    @Test
    void insufficientStorageIsAClearRetryableRefusal() {
        github().lfs().insufficientStorage(true);
        Set<Path> before = SpoolContents.of(store);
        String repo = repository("lfs");
        byte[] content = bytes("no room at github " + java.util.UUID.randomUUID());
        operator().contentType("application/octet-stream").body(content)
                .queryParam("digest", Digest.of(content).toString()).post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(503).body("errors[0].code", is("UNAVAILABLE"))
                .body("errors[0].detail", containsString("507")).header("Retry-After", matchesPattern("[0-9]+"));
        operator().body(content).queryParam("repository", repo).queryParam("artifactType", "application/vnd.test")
                .post("/api/v1/artifacts").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("Insufficient Storage"));
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(content)).then().statusCode(404);
        assertFalse(github().lfs().has(REPOSITORY, Digest.of(content).oid()));
    }

    @Test
    void aPushedBlobIsAnLfsObjectOfTheRepositoryAndPullsBackIdentical() {
        String repo = repository("lfs");
        byte[] content = bytes("stored in git lfs on github");
        Digest digest = pushBlob(repo, content);
        assertTrue(github().lfs().has(REPOSITORY, digest.oid()), "the double's LFS storage holds the object");
        assertArrayEquals(content, viewer().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).extract()
                .asByteArray());
    }

    @Test
    void contentGitHubAlreadyHasIsNotUploadedAgain() {
        byte[] content = bytes("uploaded once, linked twice");
        pushBlob(repository("lfs"), content);
        long uploads = transfers("PUT");
        pushBlob(repository("lfs"), content);
        assertEquals(uploads, transfers("PUT"), "the batch API said GitHub has it: no second upload");
    }

    @Test
    void unlinkedBlobsStayOnGitHubAndAreReportedAsReclaimable() {
        String repo = repository("lfs");
        byte[] content = bytes("unlinked, but github keeps it");
        Digest digest = pushBlob(repo, content);
        admin().delete("/v2/" + repo + "/blobs/" + digest).then().statusCode(202);
        JsonPath report = admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200).extract().jsonPath();
        assertFalse(report.getBoolean("storeDeletes"));
        assertEquals(0, report.getInt("deleted"));
        assertTrue(report.getLong("reclaimableBytes") >= content.length, report.prettify());
        assertTrue(report.getString("note").contains("cannot delete objects one by one"), report.prettify());
        assertTrue(github().lfs().has(REPOSITORY, digest.oid()), "GitHub still stores the object");
    }

    /**
     * An unlinked blob is still stored until it is collected — on GitHub for good — so the storage used, its metric
     * (the 500 MB / 800 MB alerts) and the quota keep counting it.
     */
    @Test
    void unlinkedBytesCountAsStorageUsedUntilCollected() {
        String repo = repository("lfs");
        byte[] content = bytes("unlinked, still taking room on github " + java.util.UUID.randomUUID());
        Digest digest = pushBlob(repo, content);
        long used = admin().get("/api/v1/artifacts").then().statusCode(200).extract().jsonPath()
                .getLong("storage.usedBytes");
        long objects = admin().get("/api/v1/artifacts").then().extract().jsonPath().getLong("storage.objects");
        double gauge = Metrics.value(Metrics.scrape(), "monkeytown_artifacts_storage_bytes");

        admin().delete("/v2/" + repo + "/blobs/" + digest).then().statusCode(202);
        admin().post("/api/v1/artifacts/admin/gc").then().statusCode(200);

        JsonPath after = admin().get("/api/v1/artifacts").then().statusCode(200).extract().jsonPath();
        assertEquals(used, after.getLong("storage.usedBytes"), "the unlinked blob's bytes still count");
        assertEquals(objects, after.getLong("storage.objects"));
        assertTrue(after.getLong("storage.reclaimableBytes") >= content.length);
        assertEquals(gauge, Metrics.value(Metrics.scrape(), "monkeytown_artifacts_storage_bytes"), 0.0);
    }

    @Test
    void overGitHubsDataQuotaThePushIsRefusedAndNothingIsRecorded() {
        github().lfs().storageQuota(github().lfs().storedBytes(REPOSITORY));
        String repo = repository("lfs");
        byte[] content = bytes("one byte too many for the quota");
        Digest digest = Digest.of(content);
        operator().contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(403).body("errors[0].code", is("DENIED"))
                .body("errors[0].detail", containsString("over its data quota"));
        viewer().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(404);
        assertFalse(github().lfs().has(REPOSITORY, digest.oid()));
    }

    @Test
    void aSingleFileUploadGitHubRefusesLeavesNothingInTheSpool() {
        github().lfs().storageQuota(github().lfs().storedBytes(REPOSITORY));
        Set<Path> before = SpoolContents.of(store);
        String repo = repository("lfs");
        byte[] file = bytes("a file GitHub has no room for");
        operator().body(file).queryParam("repository", repo).queryParam("artifactType", "application/vnd.test")
                .post("/api/v1/artifacts")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("over its data quota"));

        assertEquals(Set.of(), SpoolContents.addedSince(store, before), "the refused upload's spool file is deleted");
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(file)).then().statusCode(404);
    }

    @Test
    void aSingleFileUploadLeavesNothingInTheSpool() {
        Set<Path> before = SpoolContents.of(store);
        operator().body(bytes("a file GitHub stores")).queryParam("repository", repository("lfs"))
                .queryParam("artifactType", "application/vnd.test").post("/api/v1/artifacts")
                .then().statusCode(201);

        assertEquals(Set.of(), SpoolContents.addedSince(store, before),
                "the file's and the config's spool files are gone once stored");
    }

    @Test
    void anImagePushCostsAFixedNumberOfGitHubRequests() {
        String repo = repository("lfs");
        github().ledger().clear();
        byte[] manifest = imageManifest(repo, bytes("{\"cost\":1}"), List.of(bytes("layer a"), bytes("layer b")));
        putManifest(repo, "v1", manifest).then().statusCode(201);
        List<RecordedRequest> requests = github().ledger().requests();
        long batches = requests.stream().filter(r -> r.path().endsWith("/objects/batch")).count();
        long transfers = requests.stream().filter(r -> r.kind() == CallKind.TRANSFER).count();
        long verifies = requests.stream().filter(r -> r.path().endsWith("/info/lfs/verify")).count();
        // three blobs: one batch, one upload and one verify each; the rest are state commits
        assertEquals(3, batches);
        assertEquals(3, transfers);
        assertEquals(3, verifies);
        assertTrue(requests.stream().noneMatch(r -> r.status() >= 400), "no request was refused: " + requests);
        long commits = requests.stream().filter(r -> r.path().equals("/graphql") && r.kind() == CallKind.WRITE)
                .count();
        // one state commit per blob link and one for the manifest, unless group commit merged some
        assertTrue(commits >= 1 && commits <= 4, "state commits: " + commits);
        // the figure docs/benchmarks.md quotes
        System.out.printf("GitHub requests for one image push (config + 2 layers + manifest): %d in all — %d LFS batch,"
                + " %d uploads, %d verify, %d state commits, %d other%n", requests.size(), batches, transfers, verifies,
                commits, requests.size() - batches - transfers - verifies - commits);
    }

    private static long transfers(String method) {
        return github().ledger().requests().stream()
                .filter(r -> r.kind() == CallKind.TRANSFER && r.method().equals(method)).count();
    }
}
