package dev.monkeytown.deploy.alerts;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.Workspace;

/**
 * Removes, inside a commit already being made, the alert records resolved longer ago than the retention and the hourly
 * summaries older than it. Decided on the workspace, so a record changed since (the same alert firing again in that very
 * notification) is judged as it is now. A record that cannot be read is left for a person to see: the listing API names
 * it, and deleting what cannot be read would hide a bad write.
 */
final class ResolvedAlerts {

    private static final Logger LOG = Logger.getLogger(ResolvedAlerts.class);

    private final Duration keep;
    private final ObjectMapper json;

    ResolvedAlerts(Duration keep, ObjectMapper json) {
        this.keep = keep;
        this.json = json;
    }

    void prune(Workspace workspace, Instant now) {
        Instant cutoff = now.minus(keep);
        int removed = 0;
        for (String path : workspace.list("alerts/")) {
            Optional<AlertRecord> record = workspace.read(path).flatMap(this::readable);
            if (record.filter(r -> !r.firing() && r.updatedAt() != null && r.updatedAt().isBefore(cutoff))
                    .isPresent()) {
                workspace.delete(path);
                removed++;
            }
        }
        // a summary's file is named by its hour, which sorts and compares as text
        String oldest = AlertSummary.path(AlertDesk.WINDOW.format(cutoff));
        for (String path : workspace.list("alert-summaries/")) {
            if (path.compareTo(oldest) < 0) {
                workspace.delete(path);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("Removed %d alert records and summaries older than %s", removed, cutoff);
        }
    }

    private Optional<AlertRecord> readable(Document document) {
        try {
            return Optional.of(json.readValue(document.content(), AlertRecord.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
