package dev.monkeytown.runner;

import java.util.concurrent.atomic.AtomicLong;

/** Run ids for tests: unique in this JVM and across runs of the suite (they name files and processes). */
public final class TestRunIds {

    private static final AtomicLong NEXT = new AtomicLong();
    private static final String PREFIX = Long.toString(System.currentTimeMillis(), 36);

    private TestRunIds() {
    }

    public static String next() {
        return "run-" + PREFIX + "-" + NEXT.incrementAndGet();
    }
}
