package dev.monkeytown.build.pipeline;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a pipeline declaration was skipped. Listed (in {@code GET /pipelines}, in the log), never thrown: one mistake in
 * {@code builds.yaml} must not stop the other pipelines.
 *
 * @param pipeline the pipeline concerned; null for a problem with the file as a whole
 * @param field the offending key; null when the problem is not about one key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineProblem(String file, String pipeline, String field, String message) {

    public PipelineProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public String describe() {
        StringBuilder line = new StringBuilder(file);
        if (pipeline != null) {
            line.append(": pipeline '").append(pipeline).append('\'');
        }
        if (field != null) {
            line.append(": ").append(field);
        }
        return line.append(": ").append(message).toString();
    }
}
