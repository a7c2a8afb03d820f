package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * OCI clients parse {@code {"errors":[...]}} and nothing else: whatever goes wrong under {@code /v2/} — a path the
 * spec does not have, a method it does not allow — is answered in that form, never problem+json or a bare page.
 */
@QuarkusTest
class RegistryErrorFormTest {

    @ParameterizedTest
    @ValueSource(strings = {"PROPFIND", "LOCK", "TRACE"})
    void aMethodTheSpecDoesNotHaveIs405Unsupported(String method) {
        String repo = repository("form");
        operator().request(method, "/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(405).contentType(startsWith("application/json"))
                .body("errors[0].code", is("UNSUPPORTED"));
    }

    @Test
    void aMethodTheBaseEndpointDoesNotHaveIs405Unsupported() {
        operator().post("/v2").then().statusCode(405).contentType(startsWith("application/json"))
                .body("errors[0].code", is("UNSUPPORTED"));
        operator().delete("/v2/").then().statusCode(405).contentType(startsWith("application/json"))
                .body("errors[0].code", is("UNSUPPORTED"));
    }

    @Test
    void aPathTheSpecDoesNotHaveIs404Unsupported() {
        for (String path : new String[]{"/v2/_catalog", "/v2/" + repository("form") + "/nothing/here",
                "/v2/" + repository("form") + "/blobs", "/v2//"}) {
            viewer().get(path).then().statusCode(404).contentType(startsWith("application/json"))
                    .body("errors[0].code", is("UNSUPPORTED"));
        }
    }

    @Test
    void offTheRegistryTheServiceKitStillAnswersProblemJson() {
        viewer().get("/api/v1/artifacts/no/such/thing").then().statusCode(404)
                .contentType("application/problem+json");
        viewer().request("PROPFIND", "/api/v1/artifacts").then().statusCode(405)
                .contentType("application/problem+json");
    }
}
