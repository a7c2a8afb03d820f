package dev.monkeytown.system.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disaster-recovery drills under {@code ops/drills} are run here as they are documented, so a drill that stops
 * working fails the build instead of failing on the day it is needed. Each drill checks its own outcome and exits
 * non-zero when recovery is not complete; its measured RTO/RPO report is kept in {@code target/drills}.
 */
class DisasterRecoveryIT {

    private static final Path ROOT = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void completeLossIsRecoveredFromABackupWithExactlyWhatTheBackupHeld() throws Exception {
        drill("complete-loss", 18380);
    }

    @Test
    void aBadWriteOnAStateBranchIsRevertedToTheLastGoodCommit() throws Exception {
        drill("data-corruption", 18680);
    }

    @Test
    void everySecretIsRotatedAndTheOldOnesRefusedWithNothingDropped() throws Exception {
        drill("secrets-compromise", 18880);
    }

    private void drill(String name, int portBase) throws Exception {
        Path report = Path.of("target/drills/" + name + ".txt").toAbsolutePath();
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        Path log = work.resolve(name + ".log");
        ProcessBuilder drill = new ProcessBuilder(ROOT.resolve("ops/drills/" + name + ".sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        drill.environment().put("DRILL_HOME", work.resolve(name).toString());
        drill.environment().put("DRILL_PORT_BASE", String.valueOf(portBase));
        drill.environment().put("DRILL_REPORT", report.toString());
        // the services run on the JDK running the tests, as in the other system tests (Launcher.withTestJdk)
        drill.environment().put("MONKEYTOWN_JAVA_HOME", System.getProperty("java.home"));
        Process process = drill.start();
        boolean ended = process.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            // the drill's own trap stops the suite on TERM; what is left after that is killed
            process.destroy();
            process.waitFor(1, TimeUnit.MINUTES);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        String output = Files.readString(log);
        assertTrue(ended, "the drill did not end in 15 minutes:\n" + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(Files.readString(report).contains("RTO measured"), output);
    }
}
