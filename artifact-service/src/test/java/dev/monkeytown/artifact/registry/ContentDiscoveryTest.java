package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.artifactManifest;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/** The spec's "Content discovery": tags with pagination, and the referrers API with its filter. */
@QuarkusTest
class ContentDiscoveryTest {

    @Test
    void tagsAreListedInLexicalOrderAndPagedWithLink() {
        String repo = repository("tags");
        byte[] manifest = imageManifest(repo, bytes("{}"), List.of());
        for (String tag : List.of("b", "a", "d", "c", "e")) {
            putManifest(repo, tag, manifest).then().statusCode(201);
        }
        viewer().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("name", is(repo))
                .body("tags", contains("a", "b", "c", "d", "e")).header("Link", nullValue());
        String link = viewer().queryParam("n", 2).get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", contains("a", "b"))
                .header("Link", is("</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"")).extract().header("Link");
        String next = link.substring(1, link.indexOf('>'));
        viewer().get(next).then().body("tags", contains("c", "d"));
        viewer().queryParam("n", 2).queryParam("last", "d").get("/v2/" + repo + "/tags/list").then()
                .body("tags", contains("e")).header("Link", nullValue());
        viewer().queryParam("n", 0).get("/v2/" + repo + "/tags/list").then().body("tags", empty());
        viewer().queryParam("n", -1).get("/v2/" + repo + "/tags/list").then().statusCode(400);
        viewer().get("/v2/" + repository("tags") + "/tags/list").then().statusCode(404)
                .body("errors[0].code", is("NAME_UNKNOWN"));
    }

    @Test
    void referrersAreFoundByTheirSubjectAndFilteredByArtifactType() {
        String repo = repository("refs");
        byte[] image = imageManifest(repo, bytes("{\"os\":\"linux\"}"), List.of(bytes("base layer")));
        Digest subject = Digest.of(image);
        putManifest(repo, "v1", image).then().statusCode(201);
        byte[] signature = artifactManifest(repo, "application/vnd.example.signature", bytes("sig"), subject,
                image.length);
        putManifest(repo, Digest.of(signature).toString(), signature).then().statusCode(201)
                .header("OCI-Subject", subject.toString());
        byte[] sbom = artifactManifest(repo, "application/spdx+json", bytes("{\"spdx\":1}"), subject, image.length);
        putManifest(repo, Digest.of(sbom).toString(), sbom).then().statusCode(201);

        viewer().get("/v2/" + repo + "/referrers/" + subject).then().statusCode(200)
                .contentType("application/vnd.oci.image.index.v1+json")
                .body("schemaVersion", is(2)).body("mediaType", is("application/vnd.oci.image.index.v1+json"))
                .body("manifests", hasSize(2))
                .body("manifests.find { it.artifactType == 'application/spdx+json' }.digest",
                        is(Digest.of(sbom).toString()))
                .body("manifests.find { it.artifactType == 'application/spdx+json' }.annotations",
                        is(java.util.Map.of("org.opencontainers.image.title", "t")));
        viewer().queryParam("artifactType", "application/vnd.example.signature")
                .get("/v2/" + repo + "/referrers/" + subject).then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType").body("manifests", hasSize(1))
                .body("manifests[0].digest", is(Digest.of(signature).toString()))
                .body("manifests[0].size", is(signature.length));
        // a subject with no referrers, even an unknown one, is an empty index, never a 404
        viewer().get("/v2/" + repo + "/referrers/" + Digest.of(bytes("nothing"))).then().statusCode(200)
                .body("manifests", empty());
        viewer().get("/v2/" + repo + "/referrers/not-a-digest").then().statusCode(400);
    }

    @Test
    void aReferrerMayArriveBeforeItsSubject() {
        String repo = repository("refs");
        Digest future = Digest.of(bytes("pushed later"));
        byte[] early = artifactManifest(repo, "application/vnd.example.note", bytes("note"), future, 12);
        putManifest(repo, Digest.of(early).toString(), early).then().statusCode(201)
                .header("OCI-Subject", future.toString());
        viewer().get("/v2/" + repo + "/referrers/" + future).then().body("manifests", hasSize(1));
    }
}
