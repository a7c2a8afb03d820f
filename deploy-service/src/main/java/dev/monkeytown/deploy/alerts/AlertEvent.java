package dev.monkeytown.deploy.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One alert of an Alertmanager notification, as its webhook (version 4) sends it. {@code fingerprint} is the alert's
 * identity (a hash of its labels, the same at every re-send); {@code startsAt} tells one firing episode from the next.
 *
 * @param endsAt when it resolved; Alertmanager also sends a future {@code endsAt} (its resolve timeout) or the zero
 *        time {@code 0001-01-01T00:00:00Z} for a firing alert, kept as empty
 */
public record AlertEvent(String fingerprint, AlertStatus status, Map<String, String> labels,
        Map<String, String> annotations, Instant startsAt, Optional<Instant> endsAt, String generatorUrl) {

    public AlertEvent {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public String name() {
        return labels.getOrDefault("alertname", "alert");
    }
}
