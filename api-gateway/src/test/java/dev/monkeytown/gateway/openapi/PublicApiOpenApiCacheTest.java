package dev.monkeytown.gateway.openapi;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.gateway.health.DownstreamServices;
import dev.monkeytown.kit.testing.Management;

/** Reading {@code /q/openapi} repeatedly must not fan out to every service each time. */
@QuarkusTest
@TestProfile(PublicApiOpenApiCacheTest.LongCache.class)
class PublicApiOpenApiCacheTest {

    public static class LongCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.gateway.openapi.cache-ttl", "1h");
        }
    }

    @DownstreamServices.Inject
    WireMockServer services;

    @Test
    void documentsAreFetchedOnceWithinTheCacheTime() {
        services.resetAll();
        services.stubFor(get(urlPathEqualTo("/agent-dispatcher/q/openapi"))
                .willReturn(okJson(PublicApiOpenApiTest.AGENT_DISPATCHER)));

        for (int i = 0; i < 3; i++) {
            Management.given().queryParam("format", "json").when().get("/q/openapi")
                    .then().statusCode(200)
                    .body("paths", hasKey("/api/v1/agents"))
                    // the failure is cached too: a down service does not cost every reader a timeout
                    .body("'x-monkeytown-unavailable'", hasKey("build-service"));
        }

        services.verify(1, getRequestedFor(urlPathEqualTo("/agent-dispatcher/q/openapi")));
        services.verify(1, getRequestedFor(urlPathEqualTo("/build-service/q/openapi")));
    }
}
