package dev.monkeytown.build.api;

import java.time.ZoneOffset;
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
 * @param dailyCap absent unless today's automatic builds reached the daily maximum and this build is not over: what
 *        that means for it (an automatic build waits for the next UTC day, a manual one still runs)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildView(@JsonUnwrapped Build build, Waiting waiting, DailyCap dailyCap) {

    /**
     * @param max automatic builds a UTC day ({@code monkeytown.build.daily-automatic-max}, the spec's 15)
     * @param automaticToday automatic builds dispatched today
     * @param resumesAt when automatic builds start again: the next 00:00 UTC
     */
    public record DailyCap(int max, int automaticToday, String resumesAt, String note) {
        static DailyCap of(Build build, EngineView view) {
            if (build.state().isTerminal() || !view.dailyCapReached()) {
                return null;
            }
            String resumesAt = view.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            String note;
            if (build.trigger().isAutomatic()) {
                note = build.attempts().isEmpty()
                        ? "today's automatic builds reached the daily maximum of " + view.dailyAutomaticMax()
                                + ": this automatic build waits until " + resumesAt + " (manual builds still run)"
                        : "today's automatic builds reached the daily maximum of " + view.dailyAutomaticMax()
                                + "; this one had started before, so it goes on";
            } else {
                note = "today's automatic builds reached the daily maximum of " + view.dailyAutomaticMax()
                        + ": automatic builds wait until " + resumesAt + "; manual builds like this one still run";
            }
            return new DailyCap(view.dailyAutomaticMax(), view.today().automatic(), resumesAt, note);
        }
    }

    /** @param reason {@code branch_busy}, {@code held}, {@code daily_cap}, {@code parallelism}, {@code backoff}, ... */
    public record Waiting(String reason, String detail) {
        static Waiting of(WaitReason reason) {
            return new Waiting(reason.name().toLowerCase(Locale.ROOT), reason.detail());
        }
    }

    static BuildView of(Build build, EngineView view) {
        WaitReason reason = build.state().isTerminal() ? null : view.waiting().get(build.id());
        return new BuildView(build, reason == null ? null : Waiting.of(reason), DailyCap.of(build, view));
    }
}
