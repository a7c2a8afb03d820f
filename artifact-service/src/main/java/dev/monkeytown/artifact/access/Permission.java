package dev.monkeytown.artifact.access;

/** What a request does to a repository, and the least role that may do it. */
public enum Permission {
    PULL(Role.VIEWER), PUSH(Role.OPERATOR), DELETE(Role.ADMIN);

    private final Role least;

    Permission(Role least) {
        this.least = least;
    }

    public Role least() {
        return least;
    }
}
