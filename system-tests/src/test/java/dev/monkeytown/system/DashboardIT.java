package dev.monkeytown.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in the system Chromium against the suite started by {@code ./monkeytown up}: the browser checks in
 * {@code frontend/e2e} (Node, playwright-core, Lighthouse 12.2.3) run here, after every service was packaged, with the
 * suite's address and data directory. Needs {@code node} and {@code /usr/bin/chromium} ({@code .ci/run} installs
 * both).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final int PORT_BASE = 18780;

    @TempDir
    static Path data;
    static Launcher launcher;
    static Path e2e;

    @BeforeAll
    static void up() throws Exception {
        launcher = new Launcher(data.resolve("home"), PORT_BASE);
        e2e = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize()
                .resolve("frontend/e2e");
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        // the browser tools, pinned by frontend/e2e/package-lock.json; never a browser download
        node(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), Map.of(), 5);
    }

    @AfterAll
    static void down() throws Exception {
        launcher.run("down");
        launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void theDashboardWorksEndToEndInChromium() throws Exception {
        node(List.of("node", "--test", "dashboard.e2e.mjs"), suiteEnvironment(), 5);
    }

    @Test
    @Order(2)
    void lighthouseScoresAtLeast90OnDesktopAndForAccessibilityAndBestPracticesOnMobile() throws Exception {
        Map<String, String> env = new HashMap<>(suiteEnvironment());
        env.put("LIGHTHOUSE_OUT", Path.of("target/lighthouse.json").toAbsolutePath().toString());
        node(List.of("node", "lighthouse.mjs"), env, 10);
    }

    private static Map<String, String> suiteEnvironment() {
        return Map.of("MONKEYTOWN_URL", "http://localhost:" + launcher.port("api-gateway"), "MONKEYTOWN_HOME",
                launcher.home().toString());
    }

    /** Runs a Node tool in frontend/e2e; its whole output is the failure message when it exits non-zero. */
    private static void node(List<String> command, Map<String, String> env, int minutes)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(data, "node", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(e2e.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean ended = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(ended, String.join(" ", command) + " did not finish in " + minutes + " min:\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
    }
}
