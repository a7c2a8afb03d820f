package dev.monkeytown.kit.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.kit.security.InternalToken;

/**
 * The operational contract of every Monkeytown service. Each service extends this in a {@code @QuarkusTest} so a
 * service that drifts (drops a probe, leaks a stack trace, opens an internal endpoint) fails its own build.
 */
public abstract class ServiceConformanceTest {

    /** The {@code quarkus.application.name} the service must report. */
    protected abstract String serviceName();

    /** Readiness checks the service must report UP, e.g. {@code state-store} for services that keep records. */
    protected List<String> readinessChecks() {
        return List.of();
    }

    /**
     * Where the service's {@code /internal/*} endpoints listen: its HTTP port. The gateway's HTTP port is public, so it
     * serves them on its management interface instead and overrides this.
     */
    protected RequestSpecification internalApi() {
        return given();
    }

    protected static String internalToken() {
        return ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
    }

    @Test
    void livenessIsUp() {
        Management.given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void readinessAnswersWithData() {
        Management.given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP")).body("checks",
                notNullValue());
        for (String check : readinessChecks()) {
            Management.given().when().get("/q/health/ready").then().body("checks.find { it.name == '" + check + "' }.status",
                    is("UP"));
        }
    }

    @Test
    void startupIsUp() {
        Management.given().when().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsArePrometheusTextTaggedWithTheService() {
        // Prometheus negotiates: plain text for Accept: text/plain, OpenMetrics when it asks for that
        Management.given().accept("text/plain")
                .when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes{"))
                .body(containsString("service=\"" + serviceName() + "\""));
    }

    @Test
    void metricsReportTheDataDirectorysDisk() {
        // the DiskUsageHigh alert reads these; without them it could never fire for the suite's own volume
        Management.given().accept("text/plain")
                .when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("disk_free_bytes{"))
                .body(containsString("disk_total_bytes{"));
    }

    @Test
    void openApiDescribesTheService() {
        Management.given().queryParam("format", "json")
                .when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", notNullValue())
                .body("paths", notNullValue());
    }

    @Test
    void unknownPathIsA404Problem() {
        internalApi().header(InternalToken.HEADER, internalToken())
                .when().get("/internal/no-such-endpoint")
                .then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", is(404))
                .body("title", is("Not Found"))
                .body("type", is("about:blank"));
    }

    @Test
    void validationErrorIsA400ProblemNamingTheField() {
        internalApi().header(InternalToken.HEADER, internalToken())
                .contentType(ContentType.JSON)
                .body("{\"level\": \"LOUD\"}")
                .when().put("/internal/log-levels/dev.monkeytown")
                .then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("urn:monkeytown:problem:validation-failed"))
                .body("violations", hasSize(1))
                .body("violations[0].field", is("level"));
        // and nothing changed
        internalApi().header(InternalToken.HEADER, internalToken())
                .when().get("/internal/log-levels/dev.monkeytown")
                .then().statusCode(200)
                .body("category", is("dev.monkeytown"));
    }

    @Test
    void validLevelChangeApplies() {
        internalApi().header(InternalToken.HEADER, internalToken())
                .contentType(ContentType.JSON)
                .body("{\"level\": \"DEBUG\"}")
                .when().put("/internal/log-levels/dev.monkeytown.conformance")
                .then().statusCode(200)
                .body("level", is("DEBUG"))
                .body("effectiveLevel", is("DEBUG"));
    }

    @Test
    void internalEndpointRefusesACallWithoutTheToken() {
        internalApi().when().get("/internal/info")
                .then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("urn:monkeytown:problem:internal-token-required"));
        internalApi().header(InternalToken.HEADER, "wrong")
                .when().get("/internal/info")
                .then().statusCode(401);
    }

    @Test
    void internalEndpointAnswersWithTheToken() {
        internalApi().header(InternalToken.HEADER, internalToken())
                .when().get("/internal/info")
                .then().statusCode(200)
                .body("service", is(serviceName()));
    }
}
