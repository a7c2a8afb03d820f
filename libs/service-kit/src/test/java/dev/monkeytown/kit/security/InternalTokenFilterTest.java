package dev.monkeytown.kit.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.TestManagement;
import dev.monkeytown.kit.problem.Problem;

@QuarkusTest
class InternalTokenFilterTest {

    private static final String TOKEN = "test-only-internal-token-not-secret";

    @Test
    void internalEndpointRefusesACallWithoutTheToken() {
        given().when()
                .get("/internal/info")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", containsString("MonkeytownInternal"))
                .body("type", is("urn:monkeytown:problem:internal-token-required"))
                .body("detail", containsString("send the X-Monkeytown-Internal-Token header"));
    }

    @Test
    void internalEndpointRefusesAWrongToken() {
        given().header(InternalToken.HEADER, TOKEN + "x")
                .when()
                .get("/internal/info")
                .then()
                .statusCode(401)
                .body("detail", containsString("does not match"));
    }

    @Test
    void internalEndpointAcceptsTheRightToken() {
        given().header(InternalToken.HEADER, TOKEN)
                .when()
                .get("/internal/info")
                .then()
                .statusCode(200)
                .body("service", is("service-kit-test"));
    }

    @Test
    void publicClassNeedsNoToken() {
        given().when().get("/test/public").then().statusCode(200);
    }

    @Test
    void publicMarkIsPerMethod() {
        given().when().get("/test/mixed").then().statusCode(200).body(is("open"));
        given().when().post("/test/mixed").then().statusCode(401);
    }

    @Test
    void operationalEndpointsNeedNoToken() {
        TestManagement.given().when().get("/q/health/live").then().statusCode(200);
        TestManagement.given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aMarkedResourceTakesTheTokenAsABearerToken() {
        given().header("Authorization", "Bearer " + TOKEN).when().post("/test/bearer").then().statusCode(200)
                .body(is("taken"));
        given().header(InternalToken.HEADER, TOKEN).when().post("/test/bearer").then().statusCode(200);
        given().header("Authorization", "Bearer " + TOKEN + "x").when().post("/test/bearer").then().statusCode(401)
                .body("detail", containsString("bearer token does not match"));
        given().when().post("/test/bearer").then().statusCode(401)
                .body("detail", containsString("or the token as Authorization: Bearer"));
    }

    @Test
    void anUnmarkedResourceNeverTakesABearerToken() {
        given().header("Authorization", "Bearer " + TOKEN).when().get("/internal/info").then().statusCode(401);
    }
}
