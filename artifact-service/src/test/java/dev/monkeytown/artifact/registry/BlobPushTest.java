package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.pushBlob;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/**
 * The distribution spec's "Push" section, endpoint by endpoint: monolithic, streamed and chunked uploads, the final
 * PUT, upload status, cancel, cross-repository mount, and what the registry must refuse.
 */
@QuarkusTest
class BlobPushTest {

    @Test
    void monolithicPostStoresTheBlobAndAnswersItsLocation() {
        String repo = repository("push");
        byte[] content = bytes("monolithic blob");
        Digest digest = Digest.of(content);
        operator().contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(201)
                .header("Location", "/v2/" + repo + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest.toString());
        viewer().head("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(200).header("Content-Length", String.valueOf(content.length))
                .header("Docker-Content-Digest", digest.toString());
        assertArrayEquals(content, viewer().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .extract().asByteArray());
    }

    @Test
    void streamedUploadIsPostPatchPut() {
        String repo = repository("push");
        byte[] content = bytes("streamed in one patch");
        Digest digest = Digest.of(content);
        String location = operator().post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(202).header("Location", matchesPattern("/v2/" + repo + "/blobs/uploads/[0-9a-f-]+"))
                .header("Range", "0-0").extract().header("Location");
        location = operator().contentType("application/octet-stream").body(content).patch(location)
                .then().statusCode(202).header("Range", "0-" + (content.length - 1)).extract().header("Location");
        operator().queryParam("digest", digest.toString()).put(location)
                .then().statusCode(201).header("Location", "/v2/" + repo + "/blobs/" + digest);
        assertArrayEquals(content, viewer().get("/v2/" + repo + "/blobs/" + digest).asByteArray());
    }

    @Test
    void chunksInOrderThenTheLastWithThePut() {
        String repo = repository("push");
        byte[] content = bytes("first-chunk|second-chunk|last");
        Digest digest = Digest.of(content);
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        location = operator().contentType("application/octet-stream").header("Content-Range", "0-11")
                .body(slice(content, 0, 12)).patch(location).then().statusCode(202).header("Range", "0-11")
                .extract().header("Location");
        location = operator().contentType("application/octet-stream").header("Content-Range", "12-24")
                .body(slice(content, 12, 25)).patch(location).then().statusCode(202).header("Range", "0-24")
                .extract().header("Location");
        // the spec's status request: 204 with the range received so far
        operator().get(location).then().statusCode(204).header("Range", "0-24").header("Location", location);
        operator().contentType("application/octet-stream").header("Content-Range", "25-" + (content.length - 1))
                .queryParam("digest", digest.toString()).body(slice(content, 25, content.length)).put(location)
                .then().statusCode(201).header("Docker-Content-Digest", digest.toString());
        assertArrayEquals(content, viewer().get("/v2/" + repo + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aChunkOutOfOrderIsRefusedWith416AndTheUploadGoesOn() {
        String repo = repository("push");
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().extract().header("Location");
        location = operator().contentType("application/octet-stream").header("Content-Range", "0-3")
                .body(bytes("abcd")).patch(location).then().statusCode(202).extract().header("Location");
        operator().contentType("application/octet-stream").header("Content-Range", "10-13").body(bytes("klmn"))
                .patch(location)
                .then().statusCode(416).header("Range", "0-3")
                .body("errors[0].code", is("BLOB_UPLOAD_INVALID"));
        Digest digest = Digest.of(bytes("abcdefgh"));
        operator().contentType("application/octet-stream").header("Content-Range", "4-7").body(bytes("efgh"))
                .queryParam("digest", digest.toString()).put(location).then().statusCode(201);
    }

    @Test
    void aDigestThatDoesNotMatchIsRefusedAndNothingIsStored() {
        String repo = repository("push");
        byte[] content = bytes("what was sent");
        Digest claimed = Digest.of(bytes("something else"));
        operator().contentType("application/octet-stream").body(content).queryParam("digest", claimed.toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(400).body("errors[0].code", is("DIGEST_INVALID"));
        viewer().head("/v2/" + repo + "/blobs/" + claimed).then().statusCode(404);
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(content)).then().statusCode(404);
    }

    @Test
    void aCancelledUploadIsGone() {
        String repo = repository("push");
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().extract().header("Location");
        operator().delete(location).then().statusCode(204);
        operator().get(location).then().statusCode(404).body("errors[0].code", is("BLOB_UPLOAD_UNKNOWN"));
        operator().contentType("application/octet-stream").body(bytes("late")).patch(location).then().statusCode(404);
    }

    @Test
    void mountLinksABlobFromAnotherRepositoryWithoutUploading() {
        String from = repository("mount");
        String to = repository("mount");
        byte[] content = bytes("shared layer");
        Digest digest = pushBlob(from, content);
        viewer().head("/v2/" + to + "/blobs/" + digest).then().statusCode(404);
        operator().queryParam("mount", digest.toString()).queryParam("from", from)
                .post("/v2/" + to + "/blobs/uploads/")
                .then().statusCode(201).header("Location", "/v2/" + to + "/blobs/" + digest);
        assertArrayEquals(content, viewer().get("/v2/" + to + "/blobs/" + digest).asByteArray());
    }

    @Test
    void aMountOfSomethingTheSourceDoesNotHoldFallsBackToAnUpload() {
        String to = repository("mount");
        Digest unknown = Digest.of(bytes("nobody has this"));
        operator().queryParam("mount", unknown.toString()).queryParam("from", repository("mount"))
                .post("/v2/" + to + "/blobs/uploads/")
                .then().statusCode(202).header("Location", matchesPattern("/v2/" + to + "/blobs/uploads/.+"));
    }

    @Test
    void aMountFromARepositoryOutsideTheTokensScopeFallsBackToAnUpload() {
        String from = repository("secret");
        Digest digest = pushBlob(from, bytes("secret layer"));
        String to = repository("mount");
        operator().header("X-Monkeytown-Scope", "mount/**").queryParam("mount", digest.toString())
                .queryParam("from", from).post("/v2/" + to + "/blobs/uploads/")
                .then().statusCode(202);
        viewer().head("/v2/" + to + "/blobs/" + digest).then().statusCode(404);
    }

    @Test
    void blobsAreScopedByRepository() {
        Digest digest = pushBlob(repository("scoped"), bytes("only in one repository"));
        viewer().get("/v2/" + repository("scoped") + "/blobs/" + digest)
                .then().statusCode(404).body("errors[0].code", is("BLOB_UNKNOWN"))
                .body("errors[0].message", equalTo("blob unknown to registry"));
    }

    @Test
    void badNamesAndDigestsAreRefusedInTheSpecsErrorForm() {
        operator().post("/v2/Upper/Case/blobs/uploads/").then().statusCode(400)
                .body("errors[0].code", is("NAME_INVALID"));
        viewer().get("/v2/" + repository("x") + "/blobs/sha256:nothex").then().statusCode(400)
                .body("errors[0].code", is("DIGEST_INVALID"));
        viewer().get("/v2/" + repository("x") + "/blobs/sha512:" + "ab".repeat(64)).then().statusCode(400)
                .body("errors[0].code", is("DIGEST_INVALID"));
    }

    private static byte[] slice(byte[] content, int from, int to) {
        return java.util.Arrays.copyOfRange(content, from, to);
    }
}
