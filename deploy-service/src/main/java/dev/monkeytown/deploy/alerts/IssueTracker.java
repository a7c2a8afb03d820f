package dev.monkeytown.deploy.alerts;

import java.io.IOException;
import java.util.Optional;

/**
 * The three issue calls the receiver needs, narrow so that the local mode (no issues) and a test's fake fit it. Issues
 * are known by a hidden marker in their body, never by a number the receiver may have failed to record.
 */
public interface IssueTracker {

    /** False where alerts are only recorded on the state branch (local mode). */
    boolean tracksIssues();

    /** The open issue whose body carries {@code marker}, if any. */
    Optional<IssueRef> findOpen(String marker) throws IOException;

    /**
     * Opens an issue carrying {@code marker}. If the answer is lost after GitHub may have created it, looks for the
     * marker before giving up, and never creates a second one itself.
     */
    IssueRef open(String marker, String title, String body) throws IOException;

    /** Comments on the issue and closes it; an issue already gone (deleted, transferred) counts as closed. */
    void close(IssueRef issue, String comment) throws IOException;

    /** Local mode: alerts live on the state branch only. */
    IssueTracker RECORDS_ONLY = new IssueTracker() {
        @Override
        public boolean tracksIssues() {
            return false;
        }

        @Override
        public Optional<IssueRef> findOpen(String marker) {
            return Optional.empty();
        }

        @Override
        public IssueRef open(String marker, String title, String body) {
            throw new UnsupportedOperationException("local mode keeps no issues");
        }

        @Override
        public void close(IssueRef issue, String comment) {
            throw new UnsupportedOperationException("local mode keeps no issues");
        }
    };
}
