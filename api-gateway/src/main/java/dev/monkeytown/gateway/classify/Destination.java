package dev.monkeytown.gateway.classify;

/** Who answers a request on the public port. */
public enum Destination {
    /** A service behind the gateway, by the route table ({@code /api/v1/agents}, ..., the registry's {@code /v2}). */
    API,
    /** {@code /api/v1/webhooks/github}: the gateway itself, by signature. */
    WEBHOOK,
    /** {@code /api/v1/openapi.json}: the public API document, served by the gateway. */
    API_DOCUMENT,
    /** {@code /ws}: tunnelled to websocket-service. */
    WEBSOCKET,
    /** {@code /health}: the suite's readiness, answered by the gateway. */
    HEALTH,
    /** Anything else, {@code /internal} and {@code /q} included: 404 on the public port. */
    NOWHERE
}
