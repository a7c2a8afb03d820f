package dev.monkeytown.deploy.environment;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why an environment declaration was skipped. Listed ({@code GET /environments}, the log), never thrown: one mistake in
 * {@code environments.yaml} must not stop the other environments.
 *
 * @param environment null for a problem with the file as a whole
 * @param field the offending key; null when the problem is not about one key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentProblem(String file, String environment, String field, String message) {

    public EnvironmentProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public String describe() {
        StringBuilder line = new StringBuilder(file);
        if (environment != null) {
            line.append(": environment '").append(environment).append('\'');
        }
        if (field != null) {
            line.append(": ").append(field);
        }
        return line.append(": ").append(message).toString();
    }
}
