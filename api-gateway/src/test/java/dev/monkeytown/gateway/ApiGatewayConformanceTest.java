package dev.monkeytown.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.kit.security.InternalToken;
import dev.monkeytown.kit.testing.Management;
import dev.monkeytown.kit.testing.ServiceConformanceTest;

/** The suite's contract, with the gateway's operations endpoints where only operators reach them. */
@QuarkusTest
class ApiGatewayConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "api-gateway";
    }

    @Override
    protected RequestSpecification internalApi() {
        return Management.given();
    }

    /** The gateway's HTTP port is the internet's: not even the internal token opens anything internal there. */
    @ParameterizedTest
    @ValueSource(strings = {"/internal/info", "/internal/log-levels/dev.monkeytown", "/internal", "/q/metrics",
            "/q/health/ready", "/q/openapi"})
    void nothingInternalIsOnThePublicPort(String path) {
        given().header(InternalToken.HEADER, internalToken()).when().get(path)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404));
    }
}
