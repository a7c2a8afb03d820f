package dev.monkeytown.dispatcher.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a declaration was skipped. Reported rather than thrown so one mistake in a shared file never stops the other
 * agents.
 *
 * @param file the repository path the problem is in, e.g. {@code .monkeytown/agents.yaml}
 * @param agent the agent concerned; empty for a problem with the file as a whole
 * @param field the offending key (e.g. {@code timeout}); empty when the problem is not about one key
 */
public record DeclarationProblem(String file, Optional<String> agent, Optional<String> field, String message) {

    public DeclarationProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    static DeclarationProblem ofFile(String file, String message) {
        return new DeclarationProblem(file, Optional.empty(), Optional.empty(), message);
    }

    static DeclarationProblem ofAgent(String file, String agent, String field, String message) {
        return new DeclarationProblem(file, Optional.of(agent), Optional.ofNullable(field), message);
    }

    /** One line a person can act on: where, which agent and key, and what is wrong. */
    public String describe() {
        StringBuilder line = new StringBuilder(file);
        agent.ifPresent(a -> line.append(": agent '").append(a).append('\''));
        field.ifPresent(f -> line.append(": ").append(f));
        return line.append(": ").append(message).toString();
    }
}
