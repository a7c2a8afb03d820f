package dev.monkeytown.gateway.classify;

/**
 * What a request asks to do, which decides who may do it ({@code auth.AccessPolicy} maps it to a role). First match
 * wins, in this order: {@link #PREFLIGHT}, {@link #ADMIN}, {@link #WRITE}, {@link #ARTIFACT_DOWNLOAD}, {@link #PRIVATE_READ}, {@link #READ}.
 */
public enum Access {
    /** {@code OPTIONS} on the API: a browser's CORS preflight, which carries no credentials. */
    PREFLIGHT,
    /** {@code DELETE}, or any {@code admin} segment below {@code /api/v1}. */
    ADMIN,
    /** Any other method that is not {@code GET} or {@code HEAD}: unknown methods count as writes. */
    WRITE,
    /**
     * A pull: {@code GET|HEAD /api/v1/artifacts/.../content}, or any read of the registry's {@code /v2}. The spec keeps
     * anonymous pull off.
     */
    ARTIFACT_DOWNLOAD,
    /**
     * {@code GET|HEAD /api/v1/alerts}: what is wrong with the suite (a security alert, internal addresses) is for
     * people with a token, whatever {@code anonymous-reads} says.
     */
    PRIVATE_READ,
    /** {@code GET|HEAD} of anything else on the API. */
    READ,
    /** {@code POST /api/v1/webhooks/github}: GitHub proves itself by the body's signature, not by a token. */
    SIGNED_DELIVERY,
    /** The gateway's own public answers ({@code /health}, the API document, {@code /ws}, 404s): no role needed. */
    OPEN
}
