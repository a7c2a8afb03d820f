package dev.monkeytown.deploy.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who asked, as the gateway tells it: after authenticating a client it forwards the user in
 * {@code X-Monkeytown-User}. Internal callers without one are recorded as {@code api}.
 */
final class Requester {

    static final String HEADER = "X-Monkeytown-User";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private Requester() {
    }

    static String of(String header) {
        return person(header).orElse("api");
    }

    /** The user the gateway named, if the header holds a valid name. */
    static Optional<String> person(String header) {
        return header != null && SAFE.matcher(header).matches() ? Optional.of(header) : Optional.empty();
    }
}
