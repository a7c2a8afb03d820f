package dev.monkeytown.gateway.health;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code /health} is public: each anonymous call must not turn into five readiness probes across the suite. Within its
 * maximum age (an hour here, so the test does not race the clock) every caller gets the same answer.
 */
@QuarkusTest
@TestProfile(SuiteHealthCacheTest.LongMaxAge.class)
class SuiteHealthCacheTest {

    public static class LongMaxAge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.gateway.health.max-age", "1h");
        }
    }

    @DownstreamServices.Inject
    WireMockServer downstream;

    @Test
    void manyCallersShareOneRoundOfProbes() {
        downstream.resetAll();
        for (String name : DownstreamServices.NAMES) {
            downstream.stubFor(get("/" + name + "/q/health/ready").willReturn(okJson("{\"status\":\"UP\"}")));
        }

        Set<String> answeredAt = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            answeredAt.add(given().get("/health").then().statusCode(200).extract().path("checkedAt"));
        }

        assertEquals(1, answeredAt.size(), "every caller sees the same round of probes: " + answeredAt);
        for (String name : DownstreamServices.NAMES) {
            downstream.verify(1, getRequestedFor(urlEqualTo("/" + name + "/q/health/ready")));
        }
    }
}
