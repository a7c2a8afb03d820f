package dev.monkeytown.gateway.registry;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A token limited to some repositories is forwarded with its globs as {@code X-Monkeytown-Scope}, which
 * artifact-service enforces ({@code access.Caller}); an unscoped token sends none, and a client's own is dropped.
 */
@QuarkusTest
@TestProfile(ScopedTokensProfile.class)
class RegistryScopeTest {

    @Test
    void aConfiguredScopeIsForwarded() {
        given().header("Authorization", RegistryTokens.basic("ci", ScopedTokensProfile.SCOPED_OPERATOR))
                .header("X-Monkeytown-Scope", "**")
                .when().get("/v2/").then().log().ifValidationFails().statusCode(200)
                .header("X-Stub-User", "sam")
                .header("X-Stub-Scope", "builds/**, tools/cli");
    }

    @Test
    void aScopeFromTheTokensFileIsForwarded() {
        given().header("Authorization", RegistryTokens.basic("ci", ScopedTokensProfile.SCOPED_VIEWER))
                .when().get("/v2/builds/web/manifests/v1").then().log().ifValidationFails().statusCode(200)
                .header("X-Stub-User", "tia")
                .header("X-Stub-Role", "viewer")
                .header("X-Stub-Scope", "builds/web");
    }

    @Test
    void anUnscopedTokenSendsNoScope() {
        given().header("Authorization", RegistryTokens.basic("ci", RegistryTokens.OPERATOR))
                .header("X-Monkeytown-Scope", "**")
                .when().get("/v2/").then().statusCode(200)
                .header("X-Stub-User", "olga")
                .header("X-Stub-Scope", "none");
    }

    @Test
    void theScopeReachesTheSuitesArtifactApiToo() {
        // artifact-service limits listings of /api/v1/artifacts by the same header
        given().header("Authorization", "Bearer " + ScopedTokensProfile.SCOPED_OPERATOR)
                .when().get("/api/v1/artifacts").then().log().ifValidationFails()
                .header("X-Stub-Scope", "builds/**, tools/cli");
    }

    @Test
    void aScopedTokenIsGoodOnlyForTheRegistryAndTheArtifactApi() {
        // its role would otherwise reach agents, builds and deployments, where no repository limits it
        for (String path : new String[]{"/api/v1/agents", "/api/v1/runs", "/api/v1/pipelines", "/api/v1/builds"}) {
            given().header("Authorization", "Bearer " + ScopedTokensProfile.SCOPED_OPERATOR)
                    .when().get(path).then().log().ifValidationFails().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("limited to repositories"));
        }
    }
}
