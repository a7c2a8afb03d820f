package dev.monkeytown.build.api;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.engine.EngineView;
import dev.monkeytown.build.queue.WaitReason;

/**
 * A build as the API shows it: the stored record (attempts, outputs, artifact) and, while it waits, why.
 *
 * @param waiting absent unless the build waits for something
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildView(@JsonUnwrapped Build build, Waiting waiting) {

    /** @param reason {@code branch_busy}, {@code held}, {@code daily_cap}, {@code parallelism}, {@code backoff}, ... */
    public record Waiting(String reason, String detail) {
        static Waiting of(WaitReason reason) {
            return new Waiting(reason.name().toLowerCase(Locale.ROOT), reason.detail());
        }
    }

    static BuildView of(Build build, EngineView view) {
        WaitReason reason = build.state().isTerminal() ? null : view.waiting().get(build.id());
        return new BuildView(build, reason == null ? null : Waiting.of(reason));
    }
}
