package dev.monkeytown.kit.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.monkeytown.kit.security.InternalToken;

@QuarkusTest
class ProblemMappersTest {

    private static final String TOKEN = "test-only-internal-token-not-secret";

    @Test
    void serverErrorCarriesAnErrorIdAndNoStackTrace() {
        given().header(InternalToken.HEADER, TOKEN)
                .when()
                .get("/test/boom")
                .then()
                .statusCode(500)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("urn:monkeytown:problem:server-error"))
                .body("status", is(500))
                .body("instance", is("/test/boom"))
                .body("errorId", matchesPattern("[0-9a-f-]{36}"))
                .body("detail", containsString("error id"))
                .body(not(containsString("secret internals")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void aDeliberate503StaysA503WithItsRetryAfter() {
        // a busy engine or an unreachable store: the client (or the gateway delivering a webhook) is to retry
        given().header(InternalToken.HEADER, TOKEN)
                .when()
                .get("/test/busy")
                .then()
                .statusCode(503)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", is("5"))
                .body("status", is(503))
                .body("detail", is("the engine did not record it in time"));
    }

    @Test
    void invalidBodyListsEveryOffendingField() {
        given().header(InternalToken.HEADER, TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"size\": 42}")
                .when()
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("urn:monkeytown:problem:validation-failed"))
                .body("violations", hasSize(2))
                .body("violations[0].field", is("name"))
                .body("violations[0].message", is("must not be blank"))
                .body("violations[1].field", is("size"))
                .body("violations[1].message", is("must be at most 10"))
                .body("errorId", nullValue());
    }

    @Test
    void invalidQueryParameterIsNamed() {
        given().header(InternalToken.HEADER, TOKEN)
                .when()
                .get("/test/widgets?limit=0")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("violations[0].field", is("limit"))
                .body("detail", is("limit: must be at least 1"));
    }

    @Test
    void malformedJsonIsA400WithoutEchoingTheBody() {
        given().header(InternalToken.HEADER, TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"sekrit-value\", \"size\": ")
                .when()
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("urn:monkeytown:problem:malformed-body"))
                .body(not(containsString("sekrit-value")));
    }

    @Test
    void wrongTypeInBodyNamesTheField() {
        given().header(InternalToken.HEADER, TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"a\", \"size\": \"big\"}")
                .when()
                .post("/test/widgets")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("size"));
    }

    @Test
    void unknownPathIsA404Problem() {
        given().header(InternalToken.HEADER, TOKEN)
                .when()
                .get("/test/no-such-thing")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", is("about:blank"))
                .body("title", is("Not Found"))
                .body("status", is(404));
    }

    @Test
    void wrongMethodIsA405Problem() {
        given().header(InternalToken.HEADER, TOKEN)
                .when().delete("/test/widgets")
                .then().statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", is("Method Not Allowed"));
    }
}
