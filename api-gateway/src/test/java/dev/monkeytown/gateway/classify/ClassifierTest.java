package dev.monkeytown.gateway.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.ErrorDialect;

/** One decision per request: what it is, whatever way its path is spelled. */
class ClassifierTest {

    private static Classification classify(String method, String path, String... headers) {
        Set<String> names = Set.of(headers);
        return Classifier.classify(method, path, name -> names.stream().anyMatch(name::equalsIgnoreCase), "192.0.2.1");
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
    @CsvSource({
            "GET,     /api/v1/agents,                    API,          AGENTS,    READ",
            "GET,     /api/v1/agents/,                   API,          AGENTS,    READ",
            "GET,     /api/v1/%61gents,                  API,          AGENTS,    READ",
            "GET,     /api/v1/agentsx,                   NOWHERE,      ,          OPEN",
            "HEAD,    /api/v1/artifacts/a1/content,      API,          ARTIFACTS, ARTIFACT_DOWNLOAD",
            "GET,     /api/v1/artifacts/a1/content/,     API,          ARTIFACTS, ARTIFACT_DOWNLOAD",
            "GET,     /api/v1/artifacts/a1/cont%65nt,    API,          ARTIFACTS, ARTIFACT_DOWNLOAD",
            "GET,     /api/v1/runs/%61dmin/x,            API,          RUNS,      ADMIN",
            "PROPFIND,/api/v1/builds,                    API,          BUILDS,    WRITE",
            "GET,     /api/v1/alerts,                    API,          ALERTS,    PRIVATE_READ",
            "HEAD,    /api/v1/alerts/,                   API,          ALERTS,    PRIVATE_READ",
            "OPTIONS, /api/v1/artifacts/a1/content,      API,          ARTIFACTS, PREFLIGHT",
            "POST,    /api/v1/webhooks/github,           WEBHOOK,      ,          SIGNED_DELIVERY",
            "POST,    /api/v1/webhooks/github/,          WEBHOOK,      ,          SIGNED_DELIVERY",
            "GET,     /api/v1/webhooks/github,           WEBHOOK,      ,          OPEN",
            "POST,    /api/v1/webhooks/github/x,         NOWHERE,      ,          OPEN",
            "POST,    /api/v1/webhooks,                  NOWHERE,      ,          OPEN",
            "GET,     /api/v1/openapi.json,              API_DOCUMENT, ,          OPEN",
            "GET,     /ws,                               WEBSOCKET,    ,          OPEN",
            "GET,     /health,                           HEALTH,       ,          OPEN",
            "GET,     /health/,                          HEALTH,       ,          OPEN",
            "GET,     /internal/info,                    NOWHERE,      ,          OPEN",
            "GET,     /q/metrics,                        NOWHERE,      ,          OPEN",
            "GET,     /,                                 NOWHERE,      ,          OPEN",
            "GET,     /v2/,                              API,          REGISTRY,  ARTIFACT_DOWNLOAD",
            "GET,     /v2,                               API,          REGISTRY,  ARTIFACT_DOWNLOAD",
            "HEAD,    /v2/builds/web/blobs/sha256:ab,    API,          REGISTRY,  ARTIFACT_DOWNLOAD",
            "GET,     /v2/admin/tools/manifests/v1,      API,          REGISTRY,  ARTIFACT_DOWNLOAD",
            "OPTIONS, /v2/,                              API,          REGISTRY,  ARTIFACT_DOWNLOAD",
            "PATCH,   /v2/builds/web/blobs/uploads/u-1,  API,          REGISTRY,  WRITE",
            "PUT,     /v2/builds/web/manifests/v1,       API,          REGISTRY,  WRITE",
            "DELETE,  /v2/builds/web/manifests/v1,       API,          REGISTRY,  ADMIN",
            "GET,     /v2x,                              NOWHERE,      ,          OPEN",
            "GET,     /v3/,                              NOWHERE,      ,          OPEN",
    })
    void whatARequestIs(String method, String path, Destination destination, ApiRoute route, Access access) {
        Classification classified = classify(method, path);
        assertEquals(destination, classified.destination());
        assertEquals(route, classified.route());
        assertEquals(access, classified.access());
        assertEquals("192.0.2.1", classified.client());
        assertTrue(classified.defect().isEmpty(), classified.defect().toString());
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/artifacts/a1/content;x", "/api/v1/artifacts/a1;v=1/content", "/api/v1/runs/a%3Bb",
            "/api/v1/runs/%C1%A1dmin", "/api/v1/../q/metrics", "/api/v1//agents"})
    void aPathThatCouldMeanAnotherIsMalformed(String path) {
        Classification classified = classify("GET", path);
        assertTrue(classified.defect().orElseThrow().startsWith("Malformed request path"), classified.toString());
        assertEquals(Destination.NOWHERE, classified.destination());
    }

    @ParameterizedTest
    @CsvSource({"X-HTTP-Method-Override", "x-http-method", "X-Method-Override"})
    void aMethodOverrideIsMalformed(String header) {
        assertTrue(classify("POST", "/api/v1/agents/greeter/runs", header).defect().orElseThrow()
                .contains("is not accepted"));
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/agents/a%20b, /api/v1/agents/a b", "/api/v1/agents/caf%C3%A9, /api/v1/agents/café"})
    void thePathIsTheDecodedOne(String raw, String decoded) {
        assertEquals(decoded, classify("GET", raw).path());
    }

    @ParameterizedTest
    @CsvSource({"/v2/, OCI", "/v2, OCI", "/v2/builds/web/manifests/v1, OCI", "/v2/a/../b, OCI", "/v2/a;x/b, OCI",
            "/v2x, PROBLEM", "/api/v1/agents, PROBLEM", "/api/v1/a;x, PROBLEM", "/ws, PROBLEM"})
    void everythingUnderV2IsRefusedInTheRegistrysDialectMalformedPathsIncluded(String path, ErrorDialect dialect) {
        assertEquals(dialect, classify("GET", path).dialect());
    }

    @ParameterizedTest
    @CsvSource({"/v2/builds/web/blobs/uploads/, BLOB_UPLOAD", "/v2/builds/web/blobs/uploads/u-1, BLOB_UPLOAD",
            "/v2/a/blobs/uploads, BLOB_UPLOAD", "/v2/builds/web/manifests/v1, MANIFEST",
            "/v2/a/manifests/sha256:ab, MANIFEST", "/v2/a/blobs/sha256:ab, OTHER", "/v2/, OTHER",
            "/v2/a/tags/list, OTHER", "/v2/a/referrers/sha256:ab, OTHER"})
    void aRegistryRequestsBodyIsKnownByItsEndpoint(String path, RegistryCall call) {
        assertEquals(call, classify("PUT", path).registryCall());
    }
}
