package dev.monkeytown.deploy.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.kit.testing.Management;

/**
 * The receiver as Alertmanager reaches it, in the embedded default (local backend: alerts recorded on
 * {@code monkeytown/state/deploy-service}, no GitHub), and the listing the dashboard reads.
 */
@QuarkusTest
class AlertsApiTest {

    private static final String TOKEN = "test-only-internal-token-not-secret";

    @Test
    void aDeliveryWithoutTheInternalTokenIsRefusedAndCounted() {
        String fingerprint = fingerprint();
        given().contentType(ContentType.JSON).body(notification(firing(fingerprint, "2026-12-06T10:00:00Z")))
                .when().post("/internal/alerts").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer " + TOKEN + "-stale").contentType(ContentType.JSON)
                .body(notification(firing(fingerprint, "2026-12-06T10:00:00Z")))
                .when().post("/internal/alerts").then().statusCode(401)
                .body("detail", containsString("bearer token does not match"));
        assertTrue(alerts(null).getList("alerts.fingerprint").stream().noneMatch(fingerprint::equals));
        assertTrue(metric("monkeytown_alerts_deliveries_total", "outcome=\"refused\"") >= 2);
    }

    @Test
    void theTokenIsTakenAsAlertmanagerSendsItOrAsTheInternalHeader() {
        String first = fingerprint();
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(notification(firing(first, "2026-12-06T10:00:00Z")))
                .when().post("/internal/alerts").then().statusCode(200).body("recorded", is(1));
        String second = fingerprint();
        given().header("X-Monkeytown-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(notification(firing(second, "2026-12-06T10:00:00Z")))
                .when().post("/internal/alerts").then().statusCode(200).body("recorded", is(1));
        List<String> recorded = alerts(null).getList("alerts.fingerprint");
        assertTrue(recorded.contains(first) && recorded.contains(second), recorded.toString());
    }

    @Test
    void badInputIsA400ProblemAndChangesNothing() {
        int before = alerts(null).getList("alerts").size();
        deliver("{\"alerts\": [ not json").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", is("the body is not JSON"));
        String fingerprint = fingerprint();
        String good = firing(fingerprint, "2026-12-06T10:00:00Z");
        String bad = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"},\"startsAt\":\"soon\","
                + "\"fingerprint\":\"" + fingerprint() + "\"}";
        deliver("{\"version\":\"4\",\"alerts\":[" + good + "," + bad + "]}").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("status", is(400))
                .body("detail", containsString("alerts[1].startsAt"));
        assertEquals(before, alerts(null).getList("alerts").size(), "not even the good alert of the bad delivery");
        assertTrue(metric("monkeytown_alerts_deliveries_total", "outcome=\"invalid\"") >= 2);
    }

    @Test
    void twoAlertsFireAReSendAddsNothingAndAResolveIsRecorded() {
        String a = fingerprint();
        String b = fingerprint();
        String both = notification(firing(a, "2026-12-06T10:00:00Z"), firing(b, "2026-12-06T10:00:00Z"));
        deliver(both).then().statusCode(200).body("alerts", is(2)).body("recorded", is(2));
        deliver(both).then().statusCode(200).body("recorded", is(0));

        JsonPath firing = alerts("firing");
        assertEquals(1, firing.getList("alerts.find { it.fingerprint == '" + a + "' }.history").size(),
                "the re-send left no trace");
        assertEquals("SiteDown", firing.getString("alerts.find { it.fingerprint == '" + a + "' }.alertname"));
        assertEquals("No api-gateway instance answers",
                firing.getString("alerts.find { it.fingerprint == '" + b + "' }.annotations.summary"));

        deliver(notification(resolved(a, "2026-12-06T10:00:00Z", "2026-12-06T10:20:00Z"))).then().statusCode(200)
                .body("recorded", is(1));
        JsonPath resolved = alerts("resolved");
        assertEquals("2026-12-06T10:20:00Z",
                resolved.getString("alerts.find { it.fingerprint == '" + a + "' }.endsAt"));
        assertEquals(List.of("fired", "resolved"),
                resolved.getList("alerts.find { it.fingerprint == '" + a + "' }.history.what"));
        assertTrue(alerts("firing").getList("alerts.fingerprint").contains(b));
        assertTrue(metric("monkeytown_alerts_deliveries_total", "outcome=\"accepted\"") >= 3);
        given().header("X-Monkeytown-Internal-Token", TOKEN).when().get("/api/v1/alerts?status=pending").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aResolveBeforeItsFiringIsKeptAndTheLateFiringChangesNothing() {
        String fingerprint = fingerprint();
        deliver(notification(resolved(fingerprint, "2026-12-06T11:00:00Z", "2026-12-06T11:05:00Z"))).then()
                .statusCode(200).body("recorded", is(1));
        deliver(notification(firing(fingerprint, "2026-12-06T11:00:00Z"))).then().statusCode(200)
                .body("recorded", is(0));
        assertTrue(alerts("resolved").getList("alerts.fingerprint").contains(fingerprint));
        // a later episode of the same alert fires anew
        deliver(notification(firing(fingerprint, "2026-12-06T12:00:00Z"))).then().statusCode(200)
                .body("recorded", is(1));
        assertTrue(alerts("firing").getList("alerts.fingerprint").contains(fingerprint));
    }

    // ---

    private static io.restassured.response.Response deliver(String body) {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body(body).when()
                .post("/internal/alerts");
    }

    private static JsonPath alerts(String status) {
        return given().header("X-Monkeytown-Internal-Token", TOKEN)
                .queryParams(status == null ? Map.of() : Map.of("status", status)).when().get("/api/v1/alerts")
                .then().statusCode(200).extract().jsonPath();
    }

    private static double metric(String name, String tag) {
        String metrics = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains(tag))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String fingerprint() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static String notification(String... alerts) {
        return "{\"receiver\":\"github-issues\",\"status\":\"firing\",\"version\":\"4\",\"groupLabels\":{},"
                + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\","
                + "\"alerts\":[" + String.join(",", alerts) + "]}";
    }

    static String firing(String fingerprint, String startsAt) {
        return "{\"status\":\"firing\",\"labels\":{\"alertname\":\"SiteDown\",\"severity\":\"critical\","
                + "\"service\":\"api-gateway\"},\"annotations\":{\"summary\":\"No api-gateway instance answers\"},"
                + "\"startsAt\":\"" + startsAt + "\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"" + fingerprint + "\"}";
    }

    static String resolved(String fingerprint, String startsAt, String endsAt) {
        return "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"SiteDown\",\"severity\":\"critical\","
                + "\"service\":\"api-gateway\"},\"annotations\":{},\"startsAt\":\"" + startsAt + "\",\"endsAt\":\""
                + endsAt + "\",\"generatorURL\":\"\",\"fingerprint\":\"" + fingerprint + "\"}";
    }
}
