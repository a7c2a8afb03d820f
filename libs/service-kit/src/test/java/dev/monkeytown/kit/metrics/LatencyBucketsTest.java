package dev.monkeytown.kit.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.TestManagement;

@QuarkusTest
class LatencyBucketsTest {

    @Test
    void httpServerTimingsHaveABucketAtTheAlertsOneSecondThreshold() {
        given().when().get("/test/public").then().statusCode(200);

        TestManagement.given()
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket{"))
                .body(containsString("le=\"1.0\""));
    }
}
