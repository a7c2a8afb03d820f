package dev.monkeytown.dispatcher.queue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for agent names. A name ends up in branch names ({@code agents/<name>/<run-id>}), workflow file names
 * and environment values, so it is kept to what is safe in all of them.
 */
public final class AgentName {

    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private AgentName() {
    }

    public static boolean isValid(String name) {
        return name != null && RULE.matcher(name).matches();
    }

    /** Returns {@code name}, or throws with a message a person declaring an agent can act on. */
    public static String require(String name) {
        Objects.requireNonNull(name, "agent name");
        if (!isValid(name)) {
            throw new IllegalArgumentException("agent name '" + name
                    + "' must be letters, digits, '-' or '_' (at most 64), starting with a letter or digit");
        }
        return name;
    }
}
