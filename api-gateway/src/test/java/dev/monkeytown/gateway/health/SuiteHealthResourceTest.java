package dev.monkeytown.gateway.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(DownstreamServices.class)
class SuiteHealthResourceTest {

    private static final String READY = "{\"status\":\"UP\",\"checks\":[]}";

    @DownstreamServices.Inject
    WireMockServer downstream;

    @BeforeEach
    void allReady() {
        downstream.resetAll();
        for (String name : DownstreamServices.NAMES) {
            downstream.stubFor(get("/" + name + "/q/health/ready").willReturn(okJson(READY)));
        }
    }

    @Test
    void allSixReadyIs200() {
        given().when().get("/health")
                .then().log().ifValidationFails().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("status", is("UP"))
                .body("services", aMapWithSize(6))
                .body("services.api-gateway.status", is("UP"))
                .body("services.agent-dispatcher.status", is("UP"))
                .body("services.agent-dispatcher.latencyMs", greaterThanOrEqualTo(0))
                .body("services.agent-dispatcher.reason", nullValue());
    }

    @Test
    void needsNoTokenBecauseItIsPublic() {
        given().when().get("/health").then().statusCode(200);
    }

    @Test
    void aServiceReportingDownMakesThe503NameItAndItsFailingCheck() {
        downstream.stubFor(get("/build-service/q/health/ready").willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"state-store\",\"status\":\"DOWN\"},"
                        + "{\"name\":\"github\",\"status\":\"UP\"}]}")));

        given().when().get("/health")
                .then().statusCode(503)
                .body("status", is("DOWN"))
                .body("services.build-service.status", is("DOWN"))
                .body("services.build-service.reason", is("readiness answered HTTP 503; failing checks: state-store"))
                .body("services.deploy-service.status", is("UP"));
    }

    @Test
    void aHungServiceIsDownAfterTheProbeTimeoutNotAHang() {
        downstream.stubFor(get("/artifact-service/q/health/ready").willReturn(okJson(READY).withFixedDelay(5_000)));

        given().when().get("/health")
                .then().statusCode(503)
                .body("services.artifact-service.status", is("DOWN"))
                .body("services.artifact-service.reason", is("no answer within 2000 ms"))
                .body("services.websocket-service.status", is("UP"));
    }

    @Test
    void aBrokenConnectionIsDownWithAReason() {
        downstream.stubFor(get("/deploy-service/q/health/ready")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().when().get("/health")
                .then().statusCode(503)
                .body("services.deploy-service.status", is("DOWN"))
                .body("services.deploy-service.reason", not(emptyOrNullString()));
    }

    @Test
    void readinessUrlKeepsAPathPrefix() {
        assertEquals("http://svc:8080/q/health/ready", ReadinessProbe.readinessUrl(URI.create("http://svc:8080")));
        assertEquals("http://svc:8080/q/health/ready", ReadinessProbe.readinessUrl(URI.create("http://svc:8080/")));
        assertEquals("http://h/x/q/health/ready", ReadinessProbe.readinessUrl(URI.create("http://h/x")));
    }
}
