package dev.monkeytown.kit.requestid;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RequestIdTest {

    @Test
    void aSafeCallerIdIsKeptAndReachesTheLoggingContext() {
        given().header(RequestId.HEADER, "abc-123")
                .when()
                .get("/test/public")
                .then()
                .statusCode(200)
                .header(RequestId.HEADER, "abc-123")
                .body(is("hello abc-123"));
    }

    @Test
    void aMissingIdIsGenerated() {
        given().when()
                .get("/test/public")
                .then()
                .header(RequestId.HEADER, matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void anUnsafeIdIsReplaced() {
        given().header(RequestId.HEADER, "evil\u0001id")
                .when()
                .get("/test/public")
                .then()
                .header(RequestId.HEADER, not("evil\u0001id"));
    }

    @Test
    void adoptionRules() {
        assertEquals("a.b:c_d-1", RequestId.adoptOrCreate("a.b:c_d-1"));
        assertNotEquals("has space", RequestId.adoptOrCreate("has space"));
        assertNotEquals("x".repeat(129), RequestId.adoptOrCreate("x".repeat(129)));
    }
}
