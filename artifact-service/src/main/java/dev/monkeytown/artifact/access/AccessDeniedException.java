package dev.monkeytown.artifact.access;

/**
 * A request its caller may not make. {@code unauthenticated}: nobody authenticated (answered 401 with a challenge);
 * otherwise the caller is known but lacks the role or the repository is outside its token's scope (403).
 */
public class AccessDeniedException extends RuntimeException {

    private final boolean unauthenticated;

    public AccessDeniedException(boolean unauthenticated, String message) {
        super(message, null, false, false);
        this.unauthenticated = unauthenticated;
    }

    public boolean unauthenticated() {
        return unauthenticated;
    }
}
