package dev.monkeytown.system.alerting;

import java.nio.file.Path;

/** Where the monitoring configuration lives in the repository. */
public final class Paths {

    public static final Path ROOT = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize();
    public static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");
    public static final Path RULES = PROMETHEUS.resolve("rules/monkeytown.rules.yaml");

    private Paths() {
    }
}
