package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.admin;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/** The spec's "Content management": deleting tags, manifests and blobs, and what protects them. */
@QuarkusTest
class ContentManagementTest {

    @Test
    void deletingAManifestByDigestRemovesItAndItsTags() {
        String repo = repository("manage");
        byte[] manifest = imageManifest(repo, bytes("{\"n\":1}"), List.of(bytes("l1")));
        Digest digest = Digest.of(manifest);
        putManifest(repo, "one", manifest).then().statusCode(201);
        putManifest(repo, "two", manifest).then().statusCode(201);
        admin().delete("/v2/" + repo + "/manifests/" + digest).then().statusCode(202);
        viewer().get("/v2/" + repo + "/manifests/" + digest).then().statusCode(404);
        viewer().get("/v2/" + repo + "/manifests/one").then().statusCode(404);
        admin().delete("/v2/" + repo + "/manifests/" + digest).then().statusCode(404)
                .body("errors[0].code", is("MANIFEST_UNKNOWN"));
    }

    @Test
    void deletingATagLeavesTheManifest() {
        String repo = repository("manage");
        byte[] manifest = imageManifest(repo, bytes("{\"n\":2}"), List.of());
        putManifest(repo, "keep", manifest).then().statusCode(201);
        putManifest(repo, "drop", manifest).then().statusCode(201);
        admin().delete("/v2/" + repo + "/manifests/drop").then().statusCode(202);
        viewer().get("/v2/" + repo + "/tags/list").then().body("tags", contains("keep"));
        viewer().get("/v2/" + repo + "/manifests/" + Digest.of(manifest)).then().statusCode(200);
    }

    @Test
    void aBlobAManifestNeedsCannotBeDeletedButAnUnusedOneCan() {
        String repo = repository("manage");
        byte[] layer = bytes("needed layer");
        byte[] manifest = imageManifest(repo, bytes("{\"n\":3}"), List.of(layer));
        putManifest(repo, "t", manifest).then().statusCode(201);
        admin().delete("/v2/" + repo + "/blobs/" + Digest.of(layer)).then().statusCode(409)
                .body("errors[0].code", is("DENIED"));
        Digest loose = dev.monkeytown.artifact.Registry.pushBlob(repo, bytes("loose"));
        admin().delete("/v2/" + repo + "/blobs/" + loose).then().statusCode(202);
        viewer().head("/v2/" + repo + "/blobs/" + loose).then().statusCode(404);
    }

    @Test
    void aManifestWhoseBlobsAreMissingIsRefused() {
        String repo = repository("manage");
        Digest absent = Digest.of(bytes("never pushed"));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + dev.monkeytown.artifact.Registry.descriptor("application/vnd.oci.image.config.v1+json",
                        absent, 12)
                + ",\"layers\":[]}";
        putManifest(repo, "broken", bytes(manifest)).then().statusCode(400)
                .body("errors[0].code", is("MANIFEST_BLOB_UNKNOWN"));
        viewer().get("/v2/" + repo + "/manifests/broken").then().statusCode(404);
    }

    @Test
    void invalidManifestsAreRefused() {
        String repo = repository("manage");
        putManifest(repo, "x", bytes("not json")).then().statusCode(400).body("errors[0].code", is("MANIFEST_INVALID"));
        putManifest(repo, "x", bytes("{\"schemaVersion\":1}")).then().statusCode(400)
                .body("errors[0].code", is("MANIFEST_INVALID"));
        byte[] manifest = imageManifest(repo, bytes("{}"), List.of());
        putManifest(repo, Digest.of(bytes("other")).toString(), manifest).then().statusCode(400)
                .body("errors[0].code", is("DIGEST_INVALID"));
        operator().contentType("application/vnd.oci.image.index.v1+json").body(manifest)
                .put("/v2/" + repo + "/manifests/y").then().statusCode(400)
                .body("errors[0].code", is("MANIFEST_INVALID"));
    }

    @Test
    void onlyAdminsDelete() {
        String repo = repository("manage");
        byte[] manifest = imageManifest(repo, bytes("{\"n\":4}"), List.of());
        putManifest(repo, "t", manifest).then().statusCode(201);
        operator().delete("/v2/" + repo + "/manifests/t").then().statusCode(403)
                .body("errors[0].code", is("DENIED"));
        viewer().get("/v2/" + repo + "/manifests/t").then().statusCode(200);
    }
}
