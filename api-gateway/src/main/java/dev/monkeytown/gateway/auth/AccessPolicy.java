package dev.monkeytown.gateway.auth;

import dev.monkeytown.gateway.classify.Access;
import dev.monkeytown.gateway.pipeline.Role;

/**
 * The role each kind of access needs — what a request asks to do is decided by {@code classify.Classifier}:
 *
 * <pre>
 * PREFLIGHT (OPTIONS)                         anonymous   (CORS preflights carry no credentials)
 * ADMIN (DELETE, or a path segment /admin)    admin
 * WRITE (POST, PUT, PATCH, unknown methods)   operator
 * ARTIFACT_DOWNLOAD                           viewer      (spec: anonymous pull disabled)
 * PRIVATE_READ (GET, HEAD of /api/v1/alerts)  viewer
 * READ (GET, HEAD)                            anonymous, or viewer when anonymous-reads=false
 * </pre>
 *
 * Webhook deliveries and the gateway's own public answers need no role: they are not authorized by a token.
 */
public final class AccessPolicy {

    private final boolean anonymousReads;

    public AccessPolicy(boolean anonymousReads) {
        this.anonymousReads = anonymousReads;
    }

    public Role required(Access access) {
        return switch (access) {
            case ADMIN -> Role.ADMIN;
            case WRITE -> Role.OPERATOR;
            case ARTIFACT_DOWNLOAD, PRIVATE_READ -> Role.VIEWER;
            case READ -> anonymousReads ? Role.ANONYMOUS : Role.VIEWER;
            case PREFLIGHT, SIGNED_DELIVERY, OPEN -> Role.ANONYMOUS;
        };
    }
}
