package dev.monkeytown.github.testdouble;

/** What the client gets: an answer, or a connection closed with no answer at all. */
sealed interface Outcome {

    record Reply(DoubleResponse response) implements Outcome {
    }

    record HangUp() implements Outcome {
    }
}
