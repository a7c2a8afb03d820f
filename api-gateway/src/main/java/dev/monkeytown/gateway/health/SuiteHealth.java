package dev.monkeytown.gateway.health;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The suite's health: UP only when every service is ready. Services are listed by name. */
public record SuiteHealth(ServiceHealth.Status status, Instant checkedAt, SortedMap<String, ServiceHealth> services) {

    static SuiteHealth of(Map<String, ServiceHealth> services) {
        boolean allUp = services.values().stream().allMatch(ServiceHealth::isUp);
        return new SuiteHealth(allUp ? ServiceHealth.Status.UP : ServiceHealth.Status.DOWN, Instant.now(),
                new TreeMap<>(services));
    }

    boolean isUp() {
        return status == ServiceHealth.Status.UP;
    }
}
