package dev.monkeytown.github;

/** How GitHub budgets a request: reads against the hourly quota, writes also against the content-creation limits. */
public enum RequestKind {
    READ, WRITE;

    public String tag() {
        return name().toLowerCase();
    }
}
