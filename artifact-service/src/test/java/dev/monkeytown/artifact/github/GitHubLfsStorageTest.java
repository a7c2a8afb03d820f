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
