package dev.monkeytown.runner.local;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.monkeytown.runner.RunSpec;

/**
 * The whole environment a local command gets, built from nothing: never the service's own, which holds its secrets
 * (internal token, GitHub token, webhook secrets). Only these pass from the service: {@code PATH}, the locale
 * ({@code LANG}, {@code LANGUAGE}, {@code LC_*}), {@code TZ} and the names the spec asks to inherit (which
 * {@link RunSpec} keeps clear of the suite's own and of secrets). The runner sets {@code HOME} and {@code TMPDIR} to the
 * run's scratch directory and {@code MONKEYTOWN_RUN_ID} to the run's id; then come the caller's variables and the
 * run's secrets.
 */
final class RunEnvironment {

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final Pattern INHERITED = Pattern.compile("PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ");

    private RunEnvironment() {
    }

    static Map<String, String> of(RunSpec spec, ScratchCheckout scratch, Map<String, String> service) {
        Map<String, String> env = new TreeMap<>();
        service.forEach((name, value) -> {
            if (INHERITED.matcher(name).matches() || spec.inherit().contains(name)) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.putAll(spec.environment());
        env.putAll(spec.secrets());
        // the runner's own last: the sandbox makes only the scratch directory writable, and the id marks the
        // command's processes as the run's should a restarted runner have to find them
        env.put("HOME", scratch.home().toString());
        env.put("TMPDIR", scratch.tmp().toString());
        env.put("MONKEYTOWN_RUN_ID", spec.id());
        return env;
    }
}
