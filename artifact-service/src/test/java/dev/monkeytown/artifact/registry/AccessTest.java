package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.anonymous;
import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.internalToken;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.Registry;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Spec: "Anonymous pull: Disabled, Scoping: Repository-scoped". Anonymous callers get the challenge clients answer
 * with credentials; roles decide pull, push and delete; a scoped token reaches only its repositories.
 */
@QuarkusTest
class AccessTest {

    @Test
    void anonymousCallersAreChallengedEverywhere() {
        String repo = repository("access");
        byte[] manifest = imageManifest(repo, bytes("{}"), List.of());
        putManifest(repo, "t", manifest).then().statusCode(201);
        for (String path : List.of("/v2/", "/v2/" + repo + "/manifests/t", "/v2/" + repo + "/tags/list",
                "/v2/" + repo + "/blobs/" + Digest.of(bytes("{}")))) {
            anonymous().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Basic realm=\"Monkeytown registry\""))
                    .body("errors[0].code", is("UNAUTHORIZED"));
        }
        // no role header at all fails closed the same way
        given().header(InternalToken.HEADER, internalToken()).get("/v2/" + repo + "/manifests/t").then()
                .statusCode(401);
    }

    @Test
    void anonymousCallersLearnNothingNotEvenWhichPathsExist() {
        // a path the spec does not have, and a name the grammar refuses: still the challenge, before anything else
        anonymous().get("/v2/_catalog").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic realm=\"Monkeytown registry\""))
                .body("errors[0].code", is("UNAUTHORIZED"));
        anonymous().post("/v2/Upper/Case/blobs/uploads/").then().statusCode(401)
                .body("errors[0].code", is("UNAUTHORIZED"));
    }

    @Test
    void listingsNeedPullOnTheRepository() {
        String inside = repository("team-a");
        String outside = repository("team-b");
        byte[] manifest = imageManifest(outside, bytes("{\"listed\":1}"), List.of());
        putManifest(outside, "t", manifest).then().statusCode(201);
        Digest subject = Digest.of(manifest);
        for (String path : List.of("/v2/" + outside + "/tags/list", "/v2/" + outside + "/referrers/" + subject)) {
            anonymous().get(path).then().statusCode(401).body("errors[0].code", is("UNAUTHORIZED"))
                    .body("tags", nullValue()).body("manifests", nullValue());
            viewer().header("X-Monkeytown-Scope", "team-a/**").get(path).then().statusCode(403)
                    .body("errors[0].code", is("DENIED")).body("tags", nullValue()).body("manifests", nullValue());
        }
        viewer().header("X-Monkeytown-Scope", "team-a/**").get("/v2/" + inside + "/tags/list").then()
                .statusCode(404).body("errors[0].code", is("NAME_UNKNOWN"));
    }

    @Test
    void viewersPullButDoNotPush() {
        String repo = repository("access");
        viewer().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(403).body("errors[0].code", is("DENIED"));
    }

    @Test
    void aScopedTokenReachesOnlyItsRepositories() {
        String inside = repository("team-a");
        String outside = repository("team-b");
        putManifest(inside, "t", imageManifest(inside, bytes("{\"a\":1}"), List.of())).then().statusCode(201);
        putManifest(outside, "t", imageManifest(outside, bytes("{\"b\":1}"), List.of())).then().statusCode(201);
        viewer().header("X-Monkeytown-Scope", "team-a/**").get("/v2/" + inside + "/manifests/t").then()
                .statusCode(200);
        viewer().header("X-Monkeytown-Scope", "team-a/**").get("/v2/" + outside + "/manifests/t").then()
                .statusCode(403).body("errors[0].code", is("DENIED"));
    }

    /**
     * Deployment references protect manifests in every repository from retention and deletes (deploy-service records
     * them for each environment in one document). A token limited to some repositories must not be able to lift that
     * protection, not even from its own repositories: it needs a token not limited to repositories.
     */
    @Test
    void aScopedTokenCannotChangeDeploymentProtection() {
        String repo = repository("team-a");
        byte[] manifest = imageManifest(repo, bytes("{\"deployed\":1}"), List.of());
        putManifest(repo, "t", manifest).then().statusCode(201);
        String reference = repo + "@" + Digest.of(manifest);
        String environment = "scoped-" + repo.substring(repo.lastIndexOf('/') + 2);
        String protectIt = "{\"current\":[\"" + reference + "\"],\"lastGood\":[]}";
        Registry.operator().contentType("application/json").body(protectIt)
                .put("/api/v1/artifacts/deployments/" + environment).then().statusCode(200);

        String liftIt = "{\"current\":[],\"lastGood\":[]}";
        for (String role : List.of("operator", "admin")) {
            Registry.as(role).header("X-Monkeytown-Scope", "team-a/**").contentType("application/json").body(liftIt)
                    .put("/api/v1/artifacts/deployments/" + environment).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("not limited to repositories"));
        }
        viewer().get("/api/v1/artifacts/deployments").then().statusCode(200)
                .body("'" + environment + "'.current", contains(reference));
        Registry.admin().delete("/v2/" + repo + "/manifests/" + Digest.of(manifest)).then().statusCode(409);
    }

    @Test
    void withoutTheInternalTokenNothingIsServed() {
        given().header("X-Monkeytown-Role", "admin").get("/v2/").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
