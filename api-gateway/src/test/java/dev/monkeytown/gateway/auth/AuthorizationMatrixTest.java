package dev.monkeytown.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
 * Who may do what, over real HTTP. "Allowed" means the request reached the service that owns its route and that
 * service answered 2xx: the services behind are {@code ProxyDownstreams}' echo, which reports the URI it was asked
 * for under its own service prefix. A 502 or 404 is not "allowed".
 */
@QuarkusTest
@TestProfile(AuthTestProfile.class)
class AuthorizationMatrixTest {

    private static final String PROBLEM = "application/problem+json";

    /** Tokens-file rewrites so far: each gets a modification time later than any before it. */
    private static final AtomicInteger STAMPS = new AtomicInteger();

    /** Who owns what, written out here rather than read from the gateway's route table, so the two can disagree. */
    private static final Map<String, String> OWNERS = Map.of("agents", "agent-dispatcher", "runs",
            "agent-dispatcher", "builds", "build-service", "deployments", "deploy-service", "environments",
            "deploy-service", "artifacts", "artifact-service");

    private static RequestSpecification as(String caller) {
        // paths are sent as written: the cases below are about what the gateway makes of encodings
        RequestSpecification request = given().redirects().follow(false).urlEncodingEnabled(false);
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
        expect(response, method, path, expected);
    }

    private static void expect(ValidatableResponse response, String method, String path, String expected) {
        switch (expected) {
            case "allowed" -> reachedItsService(response, method, path);
            case "401" -> response.statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", "Bearer realm=\"monkeytown\"")
                    .body("status", is(401))
                    .body("detail", containsString("needs a bearer token"));
            case "403" -> response.statusCode(403).contentType(PROBLEM)
                    .body("status", is(403))
                    .body("detail", containsString(method.equals("DELETE") || path.replace("%61", "a").contains("/admin")
                            ? "needs the admin role"
                            : "needs the operator role"));
            case "400" -> response.statusCode(400).contentType(PROBLEM).body("status", is(400));
            default -> throw new IllegalArgumentException(expected);
        }
    }

    /** 2xx from the owner of the route, which saw the method and the path the client sent. */
    private static void reachedItsService(ValidatableResponse response, String method, String path) {
        String service = OWNERS.get(path.split("/")[3]);
        response.statusCode(200)
                .body("method", is(method))
                .body("uri", is("/" + service + path));
    }

    /**
     * Spellings of a path that a service reads as another path must be judged as that path: a trailing slash, a
     * percent-encoded letter, a matrix parameter (refused: no service takes them, and JAX-RS drops them before
     * matching).
     */
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "anonymous, GET, /api/v1/artifacts/a1/content/, 401",
            "anonymous, HEAD, /api/v1/artifacts/a1/content/, 401",
            "anonymous, GET, /api/v1/artifacts/a1/cont%65nt, 401",
            "anonymous, GET, /api/v1/%61rtifacts/a1/content, 401",
            "viewer, GET, /api/v1/runs/%61dmin/reconcile, 403",
            "viewer, GET, /api/v1/runs/admin/, 403",
            "anonymous, GET, /api/v1/artifacts/a1/content;x, 400",
            "anonymous, GET, /api/v1/artifacts/a1/content%3Bx, 400",
            "anonymous, GET, /api/v1/artifacts/a1;v=1/content, 400",
            "operator, POST, /api/v1/runs/admin;v=1/reconcile, 400",
            "viewer, GET, /api/v1/artifacts/a1/content/, allowed",
    })
    void anotherSpellingOfAPathNeedsWhatThePathNeeds(String caller, String method, String path, String expected) {
        ValidatableResponse response = as(caller).when().request(method, path).then().log().ifValidationFails();
        if (expected.equals("allowed")) {
            response.statusCode(200).body("uri", is("/artifact-service" + path));
        } else if (!method.equals("HEAD")) {
            expect(response, method, path, expected);
        } else {
            response.statusCode(Integer.parseInt(expected));
        }
    }

    @ParameterizedTest
    @CsvSource({"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"})
    void aMethodOverrideHeaderIsRefusedNotForwarded(String header) {
        // a framework honouring it would run a DELETE that the gateway judged as a POST
        as("operator").header(header, "DELETE").contentType("application/json").body("{}")
                .when().post("/api/v1/agents/greeter/runs")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString(header));
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
        writeTokensFile("fred operator sha256:" + TestTokens.sha256Hex(AuthTestProfile.FILE_OPERATOR));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + AuthTestProfile.FILE_OPERATOR).contentType("application/json")
                .body("{}").when().post("/api/v1/agents/greeter/runs").then().statusCode(200));

        String rotated = "rotated-admin-token-0123456789";
        writeTokensFile("erin admin sha256:" + TestTokens.sha256Hex(rotated));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + rotated).when().delete("/api/v1/artifacts/a1")
                .then().statusCode(200));
        given().header("Authorization", "Bearer " + AuthTestProfile.FILE_OPERATOR).when().get("/api/v1/agents")
                .then().statusCode(401); // revoked by the rewrite
        given().header("Authorization", "Bearer " + TestTokens.OPERATOR).when().get("/api/v1/agents")
                .then().statusCode(200); // config tokens are unaffected
    }

    @Test
    void aRewrittenFileRevokesWhatItDropsEvenWhenAnotherLineIsBroken() throws Exception {
        String leaked = "leaked-operator-token-0123456789";
        String kept = "kept-viewer-token-0123456789";
        writeTokensFile("mallory operator sha256:" + TestTokens.sha256Hex(leaked) + "\nkim viewer sha256:"
                + TestTokens.sha256Hex(kept));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + leaked).when().get("/api/v1/agents").then().statusCode(200));

        // the operator removes the leaked token and, in the same edit, leaves a line half-typed
        writeTokensFile("kim viewer sha256:" + TestTokens.sha256Hex(kept) + "\nnew-hire operator sha256:12ab");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + leaked).when().get("/api/v1/agents").then().statusCode(401));
        given().header("Authorization", "Bearer " + kept).when().get("/api/v1/agents").then().statusCode(200);
    }

    @Test
    void aRewriteOfTheSameSizeWithinTheSameModificationTimeIsNoticed() throws Exception {
        String first = "first-token-aaaaaaaaaaaaaaaaaa";
        String second = "second-token-bbbbbbbbbbbbbbbbb";
        writeTokensFile("sam operator sha256:" + TestTokens.sha256Hex(first));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + first).when().get("/api/v1/agents").then().statusCode(200));
        FileTime stamp = Files.getLastModifiedTime(AuthTestProfile.TOKENS_FILE);

        // a Secret mounted without the ..data symlink, or a coarse file system clock: same length, same stamp
        Files.writeString(AuthTestProfile.TOKENS_FILE, "sam operator sha256:" + TestTokens.sha256Hex(second) + "\n");
        Files.setLastModifiedTime(AuthTestProfile.TOKENS_FILE, stamp);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + first).when().get("/api/v1/agents").then().statusCode(401));
        given().header("Authorization", "Bearer " + second).when().get("/api/v1/agents").then().statusCode(200);
    }

    /** Rewrites the tokens file with a modification time no earlier check can have seen. */
    private static void writeTokensFile(String lines) throws Exception {
        Files.writeString(AuthTestProfile.TOKENS_FILE, lines + "\n");
        Files.setLastModifiedTime(AuthTestProfile.TOKENS_FILE, FileTime.from(Instant.now().plusSeconds(
                STAMPS.incrementAndGet() * 10)));
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
