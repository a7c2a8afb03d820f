package dev.monkeytown.gateway.webhooks;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.gateway.health.DownstreamServices;

/**
 * A gateway mid-rotation: the hook's current secret and the next one are both accepted. Small limits and fast retries
 * keep the tests short; only the webhook consumers' stand-in runs (the suite-wide test resources would claim the same
 * service addresses).
 */
public class TwoSecretsProfile implements QuarkusTestProfile {

    static final String CURRENT = "current-hook-secret-0f3a9c";
    static final String NEXT = "next-hook-secret-77d1e2";
    /** The secret before {@link #CURRENT}: removed from the configuration, so no longer good. */
    static final String STALE = "previous-hook-secret-5b8e40";
    static final int MAX_BODY = 64 * 1024;
    static final int ATTEMPTS = 3;
    /** Room for one body of {@link #MAX_BODY} and a half: a second maximal body must wait its turn. */
    static final int MAX_BUFFERED = MAX_BODY + MAX_BODY / 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("monkeytown.gateway.webhooks.secrets", CURRENT + "," + NEXT,
                "monkeytown.gateway.webhooks.max-body", String.valueOf(MAX_BODY),
                "monkeytown.gateway.webhooks.max-buffered", String.valueOf(MAX_BUFFERED),
                "monkeytown.gateway.webhooks.body-timeout", "2s",
                "monkeytown.gateway.webhooks.forward.attempts", String.valueOf(ATTEMPTS),
                "monkeytown.gateway.webhooks.forward.initial-backoff", "10ms",
                "monkeytown.gateway.webhooks.forward.max-backoff", "50ms",
                "monkeytown.gateway.webhooks.forward.timeout", "5s",
                // every test here comes from 127.0.0.1, well past the anonymous per-IP quota: not what is tested here
                "monkeytown.gateway.rate-limit.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DownstreamServices.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
