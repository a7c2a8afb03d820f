package dev.monkeytown.system.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
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

    private void drill(String name, int portBase) throws Exception {
        Path report = Path.of("target/drills/" + name + ".txt").toAbsolutePath();
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        ProcessBuilder drill = new ProcessBuilder(ROOT.resolve("ops/drills/" + name + ".sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        drill.environment().put("DRILL_HOME", work.resolve(name).toString());
        drill.environment().put("DRILL_PORT_BASE", String.valueOf(portBase));
        drill.environment().put("DRILL_REPORT", report.toString());
        Process process = drill.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(Files.readString(report).contains("RTO measured"), output);
    }
}
