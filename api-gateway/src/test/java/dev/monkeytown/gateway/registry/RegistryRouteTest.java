package dev.monkeytown.gateway.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The OCI registry at {@code /v2/} through the gateway, against {@link RegistryStub} answering as artifact-service
 * does: the route at the root with the path unchanged, Basic credentials whose password is a suite token, the challenge
 * registry clients understand, bodies of any size and type the registry takes, its headers passed unchanged, and every
 * error the gateway itself makes in the spec's form, never problem+json.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class RegistryRouteTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL gateway;

    private static RequestSpecification as(String token) {
        return given().redirects().follow(false).urlEncodingEnabled(false)
                .header("Authorization", RegistryTokens.basic("ci", token));
    }

    /** An error in the spec's form: {@code {"errors":[{"code":..., "message":...}]}}, JSON, no problem fields. */
    private static ValidatableResponse ociError(ValidatableResponse response, int status, String code) {
        return response.statusCode(status).contentType("application/json")
                .header("Content-Type", not(containsString("problem")))
                .body("errors[0].code", is(code))
                .body("errors[0].message", not(nullValue()))
                .body("$", not(hasKey("type")));
    }

    @Test
    void anAnonymousBaseCheckIsChallengedWithBasicAndTheSpecsErrorBody() {
        var response = given().when().get("/v2/").then().log().ifValidationFails()
                .statusCode(401)
                .header("WWW-Authenticate", RegistryStub.CHALLENGE)
                .contentType("application/json")
                .extract();
        assertEquals(RegistryStub.UNAUTHORIZED, response.body().asString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /v2", "HEAD, /v2/", "GET, /v2/builds/web/manifests/v1",
            "HEAD, /v2/builds/web/blobs/sha256:abababababababababababababababababababababababababababababababab",
            "GET, /v2/builds/web/tags/list", "POST, /v2/builds/web/blobs/uploads/", "DELETE, /v2/builds/web/manifests/v1",
            "OPTIONS, /v2/", "GET, /v2/_catalog"})
    void anAnonymousRequestIsChallengedOnEveryRegistryPathThoughAnonymousReadsAreOn(String method, String path) {
        ValidatableResponse response = given().redirects().follow(false).when().request(method, path).then()
                .log().ifValidationFails()
                .statusCode(401)
                .header("WWW-Authenticate", RegistryStub.CHALLENGE)
                .header("X-Stub-Method", nullValue()); // the gateway answered: the service never heard of it
        if (!method.equals("HEAD")) {
            ociError(response, 401, "UNAUTHORIZED");
        }
    }

    @Test
    void basicCredentialsWithASuiteTokenAsPasswordReachTheServiceAsThatUser() {
        var response = as(RegistryTokens.OPERATOR).when().get("/v2/").then().log().ifValidationFails()
                .statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .header("X-Stub-Uri", "/artifact-service/v2/")
                .header("X-Stub-User", "olga")
                .header("X-Stub-Role", "operator")
                .header("X-Stub-Authorization", "none") // the credential stops at the gateway
                .extract();
        assertEquals("{}", response.body().asString());
    }

    @Test
    void theUserNameOfBasicCredentialsIsIgnoredAndABearerTokenWorksToo() {
        given().header("Authorization", RegistryTokens.basic("anything", RegistryTokens.VIEWER))
                .when().get("/v2/builds/web/manifests/v1").then().statusCode(200).header("X-Stub-User", "vic");
        given().header("Authorization", "Bearer " + RegistryTokens.ADMIN)
                .when().get("/v2/builds/web/manifests/v1").then().statusCode(200).header("X-Stub-User", "ada");
    }

    @ParameterizedTest
    @CsvSource({"Basic Y2k6d3JvbmctdG9rZW4=", "Basic !!!not-base64!!!", "Basic bm8tY29sb24=", "Basic",
            "Bearer not-a-known-token"})
    void aWrongOrMalformedCredentialIsTheSameChallenge(String authorization) {
        ValidatableResponse response = given().header("Authorization", authorization).when().get("/v2/").then()
                .log().ifValidationFails()
                .header("WWW-Authenticate", RegistryStub.CHALLENGE)
                .header("X-Stub-Method", nullValue());
        ociError(response, 401, "UNAUTHORIZED");
    }

    @Test
    void theDigestOfATokenIsNoPassword() {
        given().header("Authorization", RegistryTokens.basic("ci", RegistryTokens.sha256Hex(RegistryTokens.ADMIN)))
                .when().get("/v2/").then().statusCode(401);
    }

    @Test
    void aRoleTooLowIsDeniedInTheSpecsForm() {
        ociError(as(RegistryTokens.VIEWER).contentType(OCI_MANIFEST).body("{\"schemaVersion\":2}")
                .when().put("/v2/builds/web/manifests/v1").then().log().ifValidationFails(), 403, "DENIED")
                .header("X-Stub-Method", nullValue());
        ociError(as(RegistryTokens.OPERATOR).when().delete("/v2/builds/web/manifests/v1").then(), 403, "DENIED");
        as(RegistryTokens.ADMIN).when().delete("/v2/builds/web/manifests/v1").then().statusCode(202);
    }

    @Test
    void aRepositoryNamedAdminIsNoAdminPath() {
        // /api/v1 keeps paths with an admin segment for admins; on /v2 the segment is a repository name
        as(RegistryTokens.VIEWER).when().get("/v2/admin/tools/manifests/v1").then().statusCode(200)
                .header("X-Stub-Uri", "/artifact-service/v2/admin/tools/manifests/v1");
    }

    @Test
    void aBlobChunkOfOctetStreamIsStreamedChunkedToTheService() throws Exception {
        byte[] chunk = new byte[3 * 1024 * 1024];
        HttpResponse<String> response = HTTP
                .send(HttpRequest.newBuilder(URI.create(gateway + "v2/builds/web/blobs/uploads/u-7"))
                        .header("Authorization", RegistryTokens.basic("ci", RegistryTokens.OPERATOR))
                        .header("Content-Type", "application/octet-stream")
                        // an InputStream publisher has no length: the request goes chunked
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunk)))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("0-" + (chunk.length - 1), response.headers().firstValue("Range").orElse(null));
        assertEquals("/v2/builds/web/blobs/uploads/u-7", response.headers().firstValue("Location").orElse(null));
        assertEquals("u-7", response.headers().firstValue("Docker-Upload-UUID").orElse(null));
        assertEquals(Integer.toString(chunk.length), response.headers().firstValue("X-Stub-Body-Bytes").orElse(null));
        assertEquals("application/octet-stream", response.headers().firstValue("X-Stub-Content-Type").orElse(null));
    }

    @Test
    void aBlobWithoutAContentTypeIsTakenToo() throws Exception {
        String digest = RegistryStub.DIGEST;
        // monolithic upload, and the last PUT of a chunked one: both carry the bytes as they are, often untyped
        // (java.net.http sends no Content-Type unless told; RestAssured would add one)
        HttpResponse<String> monolithic = HTTP.send(HttpRequest.newBuilder(URI.create(gateway
                + "v2/builds/web/blobs/uploads/?digest=" + digest))
                .header("Authorization", RegistryTokens.basic("ci", RegistryTokens.OPERATOR))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, monolithic.statusCode(), monolithic.body());
        assertEquals("/v2/builds/web/blobs/" + digest, monolithic.headers().firstValue("Location").orElse(null));
        assertEquals(digest, monolithic.headers().firstValue("Docker-Content-Digest").orElse(null));
        assertEquals("200000", monolithic.headers().firstValue("X-Stub-Body-Bytes").orElse(null));
        assertEquals("none", monolithic.headers().firstValue("X-Stub-Content-Type").orElse(null));
        as(RegistryTokens.OPERATOR).contentType("application/x-tar").body(new byte[2_000_000]).when()
                .put("/v2/builds/web/blobs/uploads/u-1?digest=" + digest).then().log().ifValidationFails()
                .statusCode(201)
                .header("X-Stub-Body-Bytes", "2000000");
    }

    @Test
    void aBlobOverTheArtifactLimitIsRefusedInTheSpecsForm() {
        ociError(as(RegistryTokens.OPERATOR).contentType("application/octet-stream")
                .body(new byte[(int) RegistryTestProfile.ARTIFACT_BODY + 1])
                .when().patch("/v2/builds/web/blobs/uploads/u-1").then().log().ifValidationFails(), 413,
                "SIZE_INVALID").header("X-Stub-Method", nullValue());
    }

    @ParameterizedTest
    @CsvSource({"application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json"})
    void aManifestIsTakenWithItsMediaType(String mediaType) {
        as(RegistryTokens.OPERATOR).contentType(mediaType).body("{\"schemaVersion\":2}")
                .when().put("/v2/builds/web/manifests/v1").then().log().ifValidationFails()
                .statusCode(201)
                .header("Location", "/v2/builds/web/manifests/" + RegistryStub.DIGEST)
                .header("Docker-Content-Digest", RegistryStub.DIGEST)
                .header("OCI-Subject", RegistryStub.SUBJECT)
                .header("X-Stub-Content-Type", startsWith(mediaType)); // RestAssured adds a charset
    }

    @Test
    void aManifestOfAnotherContentTypeIsRefusedInTheSpecsForm() {
        ociError(as(RegistryTokens.OPERATOR).contentType("text/plain").body("{\"schemaVersion\":2}")
                .when().put("/v2/builds/web/manifests/v1").then().log().ifValidationFails(), 415, "MANIFEST_INVALID")
                .header("X-Stub-Method", nullValue());
    }

    @Test
    void aManifestLargerThanFourMebibytesIsRefusedInTheSpecsForm() {
        as(RegistryTokens.OPERATOR).contentType(OCI_MANIFEST).body(new byte[4 * 1024 * 1024])
                .when().put("/v2/builds/web/manifests/v1").then().statusCode(201); // 4 MiB: the limit itself
        ociError(as(RegistryTokens.OPERATOR).contentType(OCI_MANIFEST).body(new byte[4 * 1024 * 1024 + 1])
                .when().put("/v2/builds/web/manifests/v1").then().log().ifValidationFails(), 413, "SIZE_INVALID");
    }

    @Test
    void rangesAndTheRegistrysHeadersPassUnchanged() {
        String blob = "/v2/builds/web/blobs/" + RegistryStub.DIGEST;
        as(RegistryTokens.VIEWER).header("Range", "bytes=10-19").when().get(blob).then().log().ifValidationFails()
                .statusCode(206)
                .header("Content-Range", "bytes 10-19/" + RegistryStub.BLOB_SIZE)
                .header("Content-Length", "10")
                .header("Docker-Content-Digest", RegistryStub.DIGEST);
        as(RegistryTokens.VIEWER).when().head(blob).then().statusCode(200)
                .header("Content-Length", Integer.toString(RegistryStub.BLOB_SIZE));
        as(RegistryTokens.VIEWER).when().get(blob).then().statusCode(200)
                .header("Content-Length", Integer.toString(RegistryStub.BLOB_SIZE));
        as(RegistryTokens.VIEWER).when().get("/v2/builds/web/referrers/" + RegistryStub.SUBJECT
                + "?artifactType=application/vnd.example.sig").then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType");
        as(RegistryTokens.VIEWER).when().get("/v2/builds/web/tags/list?n=1").then().statusCode(200)
                .header("Link", "</v2/builds/web/tags/list?n=1&last=a>; rel=\"next\"")
                .header("X-Stub-Uri", "/artifact-service/v2/builds/web/tags/list?n=1");
    }

    @Test
    void theServicesOwnErrorsPassUnchanged() {
        as(RegistryTokens.VIEWER).when().get("/v2/builds/web/nothing-here").then().statusCode(404)
                .body("errors[0].code", is("UNSUPPORTED"));
    }

    @Test
    void identityHeadersAClientSendsAreDropped() {
        as(RegistryTokens.OPERATOR).header("X-Monkeytown-User", "mallory").header("X-Monkeytown-Role", "admin")
                .header("X-Monkeytown-Scope", "**").when().get("/v2/").then().statusCode(200)
                .header("X-Stub-User", "olga").header("X-Stub-Role", "operator").header("X-Stub-Scope", "none");
    }

    @Test
    void aMalformedRegistryPathIsRefusedInTheSpecsForm() {
        ociError(as(RegistryTokens.VIEWER).when().get("/v2/builds;x/web/manifests/v1").then().log().ifValidationFails(),
                400, "UNSUPPORTED");
        ociError(
                given().urlEncodingEnabled(false).when().get("/v2/builds/%2e%2e/manifests/v1").then().log().ifValidationFails(),
                400,
                "UNSUPPORTED");
    }

    @Test
    void aServiceThatDropsTheConnectionIsUnavailableInTheSpecsForm() {
        ociError(as(RegistryTokens.VIEWER).when().get("/v2/broken/manifests/v1").then().log().ifValidationFails(),
                502, "UNAVAILABLE");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsUnavailableInTheSpecsForm() {
        ociError(as(RegistryTokens.VIEWER).when().get("/v2/slow/manifests/v1").then().log().ifValidationFails(),
                504, "UNAVAILABLE");
    }

    @Test
    void theEndOfABlobUploadMayTakeLongerThanAnOrdinaryAnswer() {
        // the service verifies, stores and commits the blob before it answers: no 504 at the ordinary 2 s
        as(RegistryTokens.OPERATOR).contentType("application/octet-stream").body(new byte[100_000]).when()
                .put("/v2/slow/blobs/uploads/u-1?digest=" + RegistryStub.DIGEST).then().log().ifValidationFails()
                .statusCode(201).header("Docker-Content-Digest", RegistryStub.DIGEST);
    }

    @Test
    void theApiStillSpeaksProblemJson() {
        given().header("Authorization", RegistryTokens.basic("ci", RegistryTokens.OPERATOR))
                .when().get("/api/v1/agents").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().when().get("/v3/").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theRegistryIsLeftOutOfThePublicApiDocument() {
        given().when().get("/api/v1/openapi.json").then().log().ifValidationFails().statusCode(200)
                .body("paths", hasKey("/api/v1/artifacts"))
                .body("paths", not(hasKey("/v2/")));
    }
}
