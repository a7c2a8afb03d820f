package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.pushBlob;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/** The spec's "Pull" section: blobs and manifests by digest and by tag, HEAD, ranges, and the 404s. */
@QuarkusTest
class PullTest {

    @Test
    void aManifestIsPulledByTagAndByDigestExactlyAsPushed() {
        String repo = repository("pull");
        byte[] manifest = imageManifest(repo, bytes("{\"architecture\":\"amd64\"}"), List.of(bytes("layer one")));
        Digest digest = Digest.of(manifest);
        putManifest(repo, "latest", manifest).then().statusCode(201)
                .header("Location", "/v2/" + repo + "/manifests/" + digest)
                .header("Docker-Content-Digest", digest.toString());
        for (String reference : List.of("latest", digest.toString())) {
            byte[] pulled = viewer().accept("application/vnd.oci.image.manifest.v1+json")
                    .get("/v2/" + repo + "/manifests/" + reference)
                    .then().statusCode(200)
                    .header("Content-Type", startsWith("application/vnd.oci.image.manifest.v1+json"))
                    .header("Docker-Content-Digest", digest.toString())
                    .extract().asByteArray();
            assertArrayEquals(manifest, pulled);
            viewer().head("/v2/" + repo + "/manifests/" + reference)
                    .then().statusCode(200).header("Content-Length", String.valueOf(manifest.length))
                    .header("Docker-Content-Digest", digest.toString());
        }
    }

    @Test
    void unknownThingsAreAnsweredInTheSpecsErrorForm() {
        String repo = repository("pull");
        Digest missing = Digest.of(bytes("absent"));
        viewer().get("/v2/" + repo + "/manifests/latest").then().statusCode(404)
                .contentType("application/json").body("errors[0].code", is("NAME_UNKNOWN"));
        putManifest(repo, "v1", imageManifest(repo, bytes("{}"), List.of())).then().statusCode(201);
        viewer().get("/v2/" + repo + "/manifests/nope").then().statusCode(404)
                .body("errors[0].code", is("MANIFEST_UNKNOWN"));
        viewer().get("/v2/" + repo + "/manifests/" + missing).then().statusCode(404)
                .body("errors[0].code", is("MANIFEST_UNKNOWN"));
        viewer().head("/v2/" + repo + "/manifests/" + missing).then().statusCode(404);
        viewer().get("/v2/" + repo + "/blobs/" + missing).then().statusCode(404)
                .body("errors[0].code", is("BLOB_UNKNOWN"));
        viewer().get("/v2/" + repo + "/no-such-endpoint").then().statusCode(404)
                .body("errors[0].code", is("UNSUPPORTED"));
    }

    @Test
    void rangeReadsAnswer206WithContentRange() {
        String repo = repository("pull");
        byte[] content = bytes("0123456789abcdefghij");
        Digest digest = pushBlob(repo, content);
        byte[] middle = viewer().header("Range", "bytes=5-9").get("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(206).header("Content-Range", "bytes 5-9/20").header("Content-Length", "5")
                .header("Docker-Content-Digest", digest.toString()).extract().asByteArray();
        assertEquals("56789", new String(middle));
        assertEquals("fghij", viewer().header("Range", "bytes=15-").get("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(206).header("Content-Range", "bytes 15-19/20").extract().asString());
        assertEquals("ij", viewer().header("Range", "bytes=-2").get("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(206).extract().asString());
        viewer().header("Range", "bytes=20-30").get("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(416).header("Content-Range", "bytes */20");
    }

    @Test
    void theBaseEndpointAnswersAnAuthenticatedCaller() {
        viewer().get("/v2/").then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
        viewer().get("/v2").then().statusCode(200);
    }
}
