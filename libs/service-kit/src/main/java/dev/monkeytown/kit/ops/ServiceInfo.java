package dev.monkeytown.kit.ops;

import java.time.Instant;

/** What a running instance says about itself: enough to tell replicas and releases apart. */
public record ServiceInfo(String service, String version, String profile, Instant startedAt, long uptimeSeconds) {
}
