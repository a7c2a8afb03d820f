package dev.monkeytown.build.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.monkeytown.build.outputs.OciPush;
import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;

/** The build API on the real local runner, with a real OCI registry standing in for artifact-service. */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class BuildsApiTest {

    @Inject
    EventLog events;

    @org.junit.jupiter.api.BeforeEach
    void asTheGateway() {
        InternalCaller.install();
    }

    @org.junit.jupiter.api.AfterEach
    void plain() {
        InternalCaller.uninstall();
    }

    @Test
    void aManualSiteBuildIsRecordedRunsAndStoresItsOutputsInTheRegistry() throws Exception {
        long before = events.head().offset();
        io.restassured.response.ValidatableResponse accepted = given().header("X-Monkeytown-User", "alice")
                .contentType(ContentType.JSON).body("{}")
                .post("/api/v1/pipelines/site/builds").then().statusCode(202)
                .body("pipeline", is("site")).body("ref", is("main")).body("trigger", is("manual"))
                .body("requestedBy", is("alice")).body("state", is("queued"));
        String id = accepted.extract().path("id");
        accepted.header("Location", endsWith("/api/v1/builds/" + id));
        given().get("/api/v1/pipelines/site").then().statusCode(200).body("lastBuild.id", notNullValue());

        await().atMost(90, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> given().get("/api/v1/builds/" + id).then().statusCode(200).extract().path("state"),
                        state -> List.of("succeeded", "failed", "timed_out", "cancelled").contains(state));
        Map<String, Object> build = given().get("/api/v1/builds/" + id).then().statusCode(200)
                .body("state", is("succeeded")).body("attempts.size()", is(1))
                .body("attempts[0].result", is("succeeded")).body("attempts[0].runId", is(id + "-1"))
                .body("outputs.path", hasItems("dist/site/index.html", "dist/sources.tar"))
                .extract().as(Map.class);
        String sha = (String) build.get("sha");

        // the outputs are in the registry, under the commit, with the digests the build records
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(URI.create(RegistryResource.base
                + "/v2/builds/site/manifests/" + sha)).header("Accept", OciPush.MANIFEST_TYPE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, manifest.statusCode(), manifest.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> outputs = (List<Map<String, Object>>) build.get("outputs");
        for (Map<String, Object> output : outputs) {
            byte[] blob = http.send(HttpRequest.newBuilder(URI.create(RegistryResource.base + "/v2/builds/site/blobs/"
                    + output.get("digest"))).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(output.get("digest"), "sha256:" + HexFormat.of().formatHex(MessageDigest
                    .getInstance("SHA-256").digest(blob)));
            assertTrue(manifest.body().contains((String) output.get("digest")));
        }

        // its log, the list, and the pipeline's last build
        given().get("/api/v1/builds/" + id + "/log?attempt=1").then().statusCode(200)
                .contentType(containsString("text/plain"));
        given().queryParam("pipeline", "site").queryParam("state", "succeeded").get("/api/v1/builds").then()
                .statusCode(200).body("builds.id", hasItem(id)).body("builds.pipeline", everyItem(is("site")))
                .body("builds.state", everyItem(is("succeeded")));

        // each step was announced on the event stream, in order, after it was recorded
        List<String> types = events.since(before).events().stream().filter(e -> id.equals(e.subject()))
                .map(Event::type).toList();
        assertEquals(List.of("build.queued", "build.dispatched", "build.started", "build.succeeded"),
                types.stream().distinct().toList(), types.toString());

        // a succeeded build is not retried, an ended one not cancelled
        given().post("/api/v1/builds/" + id + "/retry").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("succeeded"));
        given().post("/api/v1/builds/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("status", is(409));
    }

    @Test
    void pagesAreNewestFirstAndFollowTheCursor() {
        String first = queueSite();
        String second = queueSite();
        Map<String, Object> page = given().queryParam("pipeline", "site").queryParam("limit", 1)
                .get("/api/v1/builds").then().statusCode(200).body("builds.size()", is(1))
                .body("builds[0].id", is(second)).body("next", is(second)).extract().as(Map.class);
        given().queryParam("pipeline", "site").queryParam("limit", 1).queryParam("cursor", page.get("next"))
                .get("/api/v1/builds").then().statusCode(200).body("builds[0].id", is(first));
        given().queryParam("branch", "no-such-branch").get("/api/v1/builds").then().statusCode(200)
                .body("builds.size()", is(0)).body("next", nullValue());
        // a queued build can be cancelled, by whom is recorded
        given().header("X-Monkeytown-User", "bob").post("/api/v1/builds/" + second + "/cancel").then()
                .statusCode(200).body("state", is("cancelled")).body("cancelledBy", is("bob"));
        given().post("/api/v1/builds/" + second + "/retry").then().statusCode(202)
                .body("trigger", is("retry")).body("retryOf", is(second)).body("id", notNullValue());
    }

    @Test
    void badInputIsAProblemNeverAServerError() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/pipelines/nope/builds").then()
                .statusCode(404).contentType("application/problem+json").body("detail", containsString("nope"));
        given().get("/api/v1/pipelines/nope").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"ref\": \"no-such-branch\"}").post("/api/v1/pipelines/site/builds")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("no-such-branch"));
        given().contentType(ContentType.JSON).body("{\"ref\": \"a..b\"}").post("/api/v1/pipelines/site/builds")
                .then().statusCode(400).contentType("application/problem+json");
        // a branch that exists but is no branch of the pipeline: the service's own state branch above all
        given().contentType(ContentType.JSON).body("{\"ref\": \"monkeytown/state/build-service\"}")
                .post("/api/v1/pipelines/site/builds").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("monkeytown/state/build-service"));
        given().contentType(ContentType.JSON).body("{not json").post("/api/v1/pipelines/site/builds").then()
                .statusCode(400).contentType("application/problem+json");
        given().queryParam("state", "sleeping").get("/api/v1/builds").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("succeeded"));
        given().queryParam("limit", "0").get("/api/v1/builds").then().statusCode(400);
        given().queryParam("limit", "many").get("/api/v1/builds").then().statusCode(400);
        given().queryParam("cursor", "x").get("/api/v1/builds").then().statusCode(400);
        given().queryParam("pipeline", "Not A Name").get("/api/v1/builds").then().statusCode(400);
        given().get("/api/v1/builds/nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV").then().statusCode(404);
        given().post("/api/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV/cancel").then().statusCode(404);
        given().post("/api/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV/retry").then().statusCode(404);
        String id = queueSite();
        given().get("/api/v1/builds/" + id + "/log?attempt=x").then().statusCode(anyOf400or404());
        given().get("/api/v1/builds/" + id + "/log?attempt=9").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/pipelines/site/branches/main/unhold").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"why not\"}")
                .post("/api/v1/pipelines/site/branches/never-built/unhold").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not held"));
        given().contentType(ContentType.JSON).body("{\"reason\": \"x\"}")
                .post("/api/v1/pipelines/nope/branches/main/unhold").then().statusCode(404);
    }

    /** A build that has had no attempt yet has no log (404); once it has, a bad number is a 400. */
    private static org.hamcrest.Matcher<Integer> anyOf400or404() {
        return org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404));
    }

    @Test
    void pipelinesAreListedWithTheirStreakHoldAndLastBuild() {
        given().get("/api/v1/pipelines").then().statusCode(200).body("name", hasItems("checks", "site"))
                .body("find { it.name == 'site' }.outputs", hasItem("dist/**"))
                .body("find { it.name == 'checks' }.retry.limit", is(1))
                .body("find { it.name == 'site' }.streak", greaterThanOrEqualTo(0))
                .body("find { it.name == 'site' }.held", notNullValue());
    }

    private static String queueSite() {
        return given().contentType(ContentType.JSON).body("{\"ref\": \"main\"}").post("/api/v1/pipelines/site/builds")
                .then().statusCode(202).extract().path("id");
    }
}
