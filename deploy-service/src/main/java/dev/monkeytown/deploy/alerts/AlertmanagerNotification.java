package dev.monkeytown.deploy.alerts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Alertmanager's webhook JSON (version 4) into alerts, refusing anything that is not one with a message naming
 * the field: a malformed delivery must change nothing. Fields the receiver does not use ({@code receiver},
 * {@code groupLabels}, {@code externalURL}, ...) are ignored, so a newer Alertmanager that adds some still gets through.
 */
public final class AlertmanagerNotification {

    /** Alertmanager's fingerprints are 16 hex digits; the bound leaves room and keeps it a safe path segment. */
    static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{1,64}");
    /** Go's zero time, which Alertmanager sends as {@code endsAt} of an alert that has no end yet. */
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final int MAX_ALERTS = 1000;

    private AlertmanagerNotification() {
    }

    /** The notification's alerts, in the order sent; a fingerprint sent twice keeps its last entry. */
    public static List<AlertEvent> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidNotificationException("the body must be Alertmanager's webhook JSON object");
        }
        JsonNode version = body.path("version");
        if (!version.isMissingNode() && !version.asText().equals("4")) {
            throw new InvalidNotificationException("version: only Alertmanager's webhook version 4 is understood, not "
                    + version.asText());
        }
        JsonNode alerts = body.path("alerts");
        if (!alerts.isArray()) {
            throw new InvalidNotificationException("alerts: must be an array");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new InvalidNotificationException("alerts: at most " + MAX_ALERTS + " per notification");
        }
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            events.add(alert(alerts.get(i), "alerts[" + i + "]."));
        }
        // the last word on an alert wins; two entries for one alert in one notification would otherwise race
        Set<String> seen = new HashSet<>();
        List<AlertEvent> unique = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (seen.add(events.get(i).fingerprint())) {
                unique.add(0, events.get(i));
            }
        }
        return List.copyOf(unique);
    }

    private static AlertEvent alert(JsonNode alert, String at) {
        if (!alert.isObject()) {
            throw new InvalidNotificationException(at.substring(0, at.length() - 1) + ": must be an object");
        }
        String fingerprint = text(alert, at, "fingerprint");
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw new InvalidNotificationException(at + "fingerprint: must be lower-case hex, as Alertmanager sends it");
        }
        AlertStatus status = switch (text(alert, at, "status")) {
            case "firing" -> AlertStatus.FIRING;
            case "resolved" -> AlertStatus.RESOLVED;
            default -> throw new InvalidNotificationException(at + "status: must be firing or resolved");
        };
        Map<String, String> labels = strings(alert, at, "labels");
        if (!labels.containsKey("alertname")) {
            throw new InvalidNotificationException(at + "labels: must hold alertname");
        }
        Instant startsAt = time(alert, at, "startsAt")
                .orElseThrow(() -> new InvalidNotificationException(at + "startsAt: must be an RFC 3339 time"));
        Optional<Instant> endsAt = alert.hasNonNull("endsAt") ? time(alert, at, "endsAt") : Optional.empty();
        if (status == AlertStatus.RESOLVED && endsAt.isEmpty()) {
            throw new InvalidNotificationException(at + "endsAt: a resolved alert must say when it ended");
        }
        String generator = alert.path("generatorURL").isTextual() ? alert.path("generatorURL").asText() : "";
        return new AlertEvent(fingerprint, status, labels,
                alert.hasNonNull("annotations") ? strings(alert, at, "annotations") : Map.of(), startsAt,
                status == AlertStatus.FIRING ? Optional.empty() : endsAt, generator);
    }

    private static String text(JsonNode alert, String at, String field) {
        JsonNode value = alert.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidNotificationException(at + field + ": must be a non-empty string");
        }
        return value.asText();
    }

    private static Map<String, String> strings(JsonNode alert, String at, String field) {
        JsonNode value = alert.path(field);
        if (!value.isObject()) {
            throw new InvalidNotificationException(at + field + ": must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new InvalidNotificationException(at + field + "." + e.getKey() + ": must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    /** Empty for Go's zero time. */
    private static Optional<Instant> time(JsonNode alert, String at, String field) {
        JsonNode value = alert.path(field);
        if (!value.isTextual()) {
            throw new InvalidNotificationException(at + field + ": must be an RFC 3339 time");
        }
        try {
            Instant parsed = java.time.OffsetDateTime.parse(value.asText()).toInstant();
            return parsed.equals(ZERO_TIME) ? Optional.empty() : Optional.of(parsed);
        } catch (DateTimeParseException e) {
            throw new InvalidNotificationException(at + field + ": must be an RFC 3339 time");
        }
    }
}
