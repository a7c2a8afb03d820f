package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class AlertmanagerNotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape Alertmanager 0.25+ posts (webhook version 4), one alert firing and one resolved. */
    static final String NOTIFICATION = """
            {"receiver":"github-issues","status":"firing","version":"4","groupKey":"{}:{alertname=\\"SiteDown\\"}",
             "truncatedAlerts":0,"externalURL":"http://alertmanager:9093",
             "groupLabels":{"alertname":"SiteDown"},"commonLabels":{"alertname":"SiteDown"},"commonAnnotations":{},
             "alerts":[
              {"status":"firing","labels":{"alertname":"SiteDown","severity":"critical","service":"api-gateway"},
               "annotations":{"summary":"api-gateway is down","runbook":"docs/operations.md#sitedown"},
               "startsAt":"2026-12-06T10:00:00.123Z","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://prometheus:9090/graph?g0.expr=up","fingerprint":"a1b2c3d4e5f60718"},
              {"status":"resolved","labels":{"alertname":"SiteDown","severity":"critical","service":"build-service"},
               "annotations":{},"startsAt":"2026-12-06T09:00:00Z","endsAt":"2026-12-06T09:30:00+00:00",
               "generatorURL":"","fingerprint":"0f0e0d0c0b0a0908"}]}""";

    @Test
    void readsAlertmanagersWebhookJson() throws Exception {
        List<AlertEvent> alerts = AlertmanagerNotification.parse(JSON.readTree(NOTIFICATION));
        assertEquals(2, alerts.size());
        AlertEvent firing = alerts.get(0);
        assertEquals("a1b2c3d4e5f60718", firing.fingerprint());
        assertEquals(AlertStatus.FIRING, firing.status());
        assertEquals("SiteDown", firing.name());
        assertEquals(Instant.parse("2026-12-06T10:00:00.123Z"), firing.startsAt());
        assertEquals(Optional.empty(), firing.endsAt(), "Go's zero time is no end");
        assertEquals("docs/operations.md#sitedown", firing.annotations().get("runbook"));
        AlertEvent resolved = alerts.get(1);
        assertEquals(AlertStatus.RESOLVED, resolved.status());
        assertEquals(Optional.of(Instant.parse("2026-12-06T09:30:00Z")), resolved.endsAt());
    }

    @Test
    void theLastEntryOfOneAlertWins() throws Exception {
        String twice = """
                {"version":"4","alerts":[
                 {"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-12-06T10:00:00Z","fingerprint":"aa"},
                 {"status":"resolved","labels":{"alertname":"A"},"startsAt":"2026-12-06T10:00:00Z",
                  "endsAt":"2026-12-06T10:05:00Z","fingerprint":"aa"}]}""";
        List<AlertEvent> alerts = AlertmanagerNotification.parse(JSON.readTree(twice));
        assertEquals(1, alerts.size());
        assertEquals(AlertStatus.RESOLVED, alerts.get(0).status());
    }

    @Test
    void whatIsNotAnAlertmanagerNotificationIsRefusedNamingTheField() throws Exception {
        refused("[]", "webhook JSON object");
        refused("{\"version\":\"3\",\"alerts\":[]}", "version");
        refused("{\"alerts\":{}}", "alerts: must be an array");
        refused(alert("\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-12-06T10:00:00Z\""),
                "alerts[0].fingerprint");
        refused(alert("\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-12-06T10:00:00Z\","
                + "\"fingerprint\":\"../../x\""), "alerts[0].fingerprint: must be lower-case hex");
        refused(alert("\"status\":\"pending\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-12-06T10:00:00Z\","
                + "\"fingerprint\":\"aa\""), "alerts[0].status");
        refused(alert("\"status\":\"firing\",\"labels\":{\"severity\":\"x\"},\"startsAt\":\"2026-12-06T10:00:00Z\","
                + "\"fingerprint\":\"aa\""), "alerts[0].labels: must hold alertname");
        refused(alert("\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"yesterday\","
                + "\"fingerprint\":\"aa\""), "alerts[0].startsAt");
        refused(alert("\"status\":\"resolved\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"2026-12-06T10:00:00Z\","
                + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"aa\""), "alerts[0].endsAt");
        refused(alert("\"status\":\"firing\",\"labels\":{\"alertname\":1},\"startsAt\":\"2026-12-06T10:00:00Z\","
                + "\"fingerprint\":\"aa\""), "alerts[0].labels.alertname: must be a string");
    }

    private static String alert(String fields) {
        return "{\"version\":\"4\",\"alerts\":[{" + fields + "}]}";
    }

    private static void refused(String body, String naming) throws Exception {
        InvalidNotificationException e = assertThrows(InvalidNotificationException.class,
                () -> AlertmanagerNotification.parse(JSON.readTree(body)));
        assertTrue(e.getMessage().contains(naming), e.getMessage() + " should name " + naming);
    }
}
