package dev.monkeytown.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.kit.testing.Management;

/**
 * Who may do what, over real HTTP. "Allowed" means the gateway's auth let the request on to later stages — whatever
 * they answer (the services behind are absent here), it is not a 401 or 403.
 */
@QuarkusTest
@TestProfile(AuthTestProfile.class)
class AuthorizationMatrixTest {

    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification as(String caller) {
        RequestSpecification request = given().redirects().follow(false);
        return switch (caller) {
            case "anonymous" -> request;
            case "viewer" -> request.header("Authorization", "Bearer " + TestTokens.VIEWER);
            case "operator" -> request.header("Authorization", "Bearer " + TestTokens.OPERATOR);
            case "admin" -> request.header("Authorization", "Bearer " + TestTokens.ADMIN);
            default -> throw new IllegalArgumentException(caller);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            // read                                    write                                   download                                     delete                                  admin path
            "anonymous, GET, /api/v1/agents, allowed", "anonymous, POST, /api/v1/agents/greeter/runs, 401",
            "anonymous, GET, /api/v1/artifacts/a1/content, 401", "anonymous, DELETE, /api/v1/artifacts/a1, 401",
            "anonymous, GET, /api/v1/runs/admin/reconcile, 401",
            "viewer, GET, /api/v1/agents, allowed", "viewer, POST, /api/v1/agents/greeter/runs, 403",
            "viewer, GET, /api/v1/artifacts/a1/content, allowed", "viewer, DELETE, /api/v1/artifacts/a1, 403",
            "viewer, GET, /api/v1/runs/admin/reconcile, 403",
            "operator, GET, /api/v1/runs, allowed", "operator, POST, /api/v1/agents/greeter/runs, allowed",
            "operator, GET, /api/v1/artifacts/a1/content, allowed", "operator, DELETE, /api/v1/artifacts/a1, 403",
            "operator, POST, /api/v1/runs/admin/reconcile, 403",
            "admin, GET, /api/v1/builds, allowed", "admin, PUT, /api/v1/environments/prod, allowed",
            "admin, GET, /api/v1/artifacts/a1/content, allowed", "admin, DELETE, /api/v1/artifacts/a1, allowed",
            "admin, POST, /api/v1/runs/admin/reconcile, allowed",
    })
    void matrix(String caller, String method, String path, String expected) {
        ValidatableResponse response = as(caller).contentType("application/json").body("{}")
                .request(method, path).then().log().ifValidationFails();
        switch (expected) {
            case "allowed" -> response.statusCode(not(oneOf(401, 403)));
            case "401" -> response.statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", "Bearer realm=\"monkeytown\"")
                    .body("status", is(401))
                    .body("detail", containsString("needs a bearer token"));
            case "403" -> response.statusCode(403).contentType(PROBLEM)
                    .body("status", is(403))
                    .body("detail", containsString(method.equals("DELETE") || path.contains("/admin")
                            ? "needs the admin role"
                            : "needs the operator role"));
            default -> throw new IllegalArgumentException(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"Bearer not-a-known-token", "Bearer", "Basic dXNlcjpwYXNz", "Bearer two words",
            "Token " + TestTokens.ADMIN})
    void aWrongOrMalformedTokenIs401EvenWhereAnonymousCouldRead(String authorization) {
        given().header("Authorization", authorization).when().get("/api/v1/agents")
                .then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"monkeytown\", error=\"invalid_token\"")
                .body("detail", allOf(containsString("malformed or not known"), not(containsString("not-a-known")),
                        not(containsString(TestTokens.ADMIN))));
    }

    @Test
    void theDigestOfATokenIsNoToken() {
        given().header("Authorization", "Bearer " + TestTokens.sha256Hex(TestTokens.ADMIN))
                .when().get("/api/v1/agents").then().statusCode(401);
    }

    @Test
    void gitHubWebhooksAreLeftToTheirSignatureCheck() {
        int status = given().contentType("application/json").body("{}")
                .when().post("/api/v1/webhooks/github").then().extract().statusCode();
        assertFalse(status == 401 || status == 403, "webhook answered " + status);
    }

    @Test
    void tokensFromTheFileWorkAndAChangedFileIsPickedUp() throws Exception {
        given().header("Authorization", "Bearer " + AuthTestProfile.FILE_OPERATOR)
                .contentType("application/json").body("{}")
                .when().post("/api/v1/agents/greeter/runs").then().statusCode(not(oneOf(401, 403)));

        String rotated = "rotated-admin-token-0123456789";
        Files.writeString(AuthTestProfile.TOKENS_FILE, "erin admin sha256:" + TestTokens.sha256Hex(rotated) + "\n");
        Files.setLastModifiedTime(AuthTestProfile.TOKENS_FILE, FileTime.from(Instant.now().plusSeconds(5)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + rotated).when().delete("/api/v1/artifacts/a1")
                .then().statusCode(not(oneOf(401, 403))));
        given().header("Authorization", "Bearer " + AuthTestProfile.FILE_OPERATOR).when().get("/api/v1/agents")
                .then().statusCode(401); // revoked by the rewrite
        given().header("Authorization", "Bearer " + TestTokens.OPERATOR).when().get("/api/v1/agents")
                .then().statusCode(not(oneOf(401, 403))); // config tokens are unaffected
    }

    @Test
    void theOpenApiDocumentDescribesTheBearerSchemeAndTheRoleRules() {
        Management.given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("components.securitySchemes.bearer.type", is("http"))
                .body("components.securitySchemes.bearer.scheme", is("bearer"))
                .body("info.'x-monkeytown-roles'", hasKey("DELETE, and any path with an /admin segment"))
                .body("info.'x-monkeytown-roles'.'writes (POST, PUT, PATCH)'", is("operator"))
                .body("info.'x-monkeytown-roles'.'artifact downloads (GET /api/v1/artifacts/{id}/content)'",
                        is("viewer"));
    }
}
