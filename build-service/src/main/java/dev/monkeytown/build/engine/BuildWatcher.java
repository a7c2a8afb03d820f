package dev.monkeytown.build.engine;

import dev.monkeytown.build.builds.Build;

/**
 * Something outside the service told of every recorded build change (GitHub mode: the commit status). Called on the
 * engine's loop after the commit: it must hand the work to a thread of its own and return at once, never fail.
 */
@FunctionalInterface
public interface BuildWatcher {

    void changed(Build build);

    BuildWatcher NONE = build -> {
    };
}
