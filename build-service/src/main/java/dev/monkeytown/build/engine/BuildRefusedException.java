package dev.monkeytown.build.engine;

import dev.monkeytown.build.builds.StreakKey;

/** A request the engine turned down; each kind maps to one HTTP status in the API. */
public abstract class BuildRefusedException extends RuntimeException {

    BuildRefusedException(String message) {
        super(message);
    }

    /** 404: no such pipeline in {@code .monkeytown/builds.yaml}. */
    public static final class UnknownPipeline extends BuildRefusedException {
        public UnknownPipeline(String pipeline) {
            super("no pipeline '" + pipeline + "' is declared in .monkeytown/builds.yaml");
        }
    }

    /** 409: the build has already ended. */
    public static final class NotLive extends BuildRefusedException {
        public NotLive(String buildId) {
            super("build " + buildId + " has already ended");
        }
    }

    /** 409: there is no hold to lift. */
    public static final class NotHeld extends BuildRefusedException {
        public NotHeld(StreakKey key) {
            super("pipeline " + key.pipeline() + " is not held on branch " + key.branch());
        }
    }
}
