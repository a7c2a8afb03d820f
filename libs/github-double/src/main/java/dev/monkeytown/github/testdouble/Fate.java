package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What becomes of one request a test armed a fault for: whether and when it takes effect, and what the client hears.
 * Every "bad day" answer to a write is one of these, so the pipeline carries them all out the same way.
 *
 * @param effect whether the request is applied at once, after {@code effectDelay}, or never
 */
record Fate(Effect effect, Duration effectDelay, Answer answer) {

    enum Effect {
        NOW, LATER, NEVER
    }

    /** What the client hears. */
    sealed interface Answer {
    }

    /** The real answer, after {@code delay}. */
    record Served(Duration delay) implements Answer {
    }

    /** Another answer instead; {@code refused} when GitHub would have refused the request (it costs no quota). */
    record Instead(Supplier<DoubleResponse> response, boolean refused) implements Answer {
    }

    /** Nothing: the connection is held for {@code hangUpAfter}, then closed without a response. */
    record Silence(Duration hangUpAfter) implements Answer {
    }

    static final Fate SERVED = new Fate(Effect.NOW, Duration.ZERO, new Served(Duration.ZERO));

    Fate {
        if (answer instanceof Served && effect != Effect.NOW) {
            throw new IllegalArgumentException("only a request applied at once has a real answer");
        }
        requireNonNegative(effectDelay);
        if (answer instanceof Served served) {
            requireNonNegative(served.delay());
        }
        if (answer instanceof Silence silence) {
            requireNonNegative(silence.hangUpAfter());
        }
    }

    static Fate answeredLate(Duration delay) {
        return new Fate(Effect.NOW, Duration.ZERO, new Served(delay));
    }

    static Fate instead(boolean applied, Supplier<DoubleResponse> response, boolean refused) {
        return new Fate(applied ? Effect.NOW : Effect.NEVER, Duration.ZERO, new Instead(response, refused));
    }

    static Fate unanswered(Effect effect, Duration effectDelay, Duration hangUpAfter) {
        return new Fate(effect, effectDelay, new Silence(hangUpAfter));
    }

    private static void requireNonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
    }
}
