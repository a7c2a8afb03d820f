package dev.monkeytown.state.engine;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * The id Git gives a blob. Computing it locally lets the view follow its own commits without reading the new tree
 * back, and spot puts that do not change a document. JGit's formatter does the hashing; a new one per call because it
 * reuses its digest.
 */
final class GitBlobId {

    private GitBlobId() {
    }

    static String of(byte[] content) {
        try (ObjectInserter.Formatter formatter = new ObjectInserter.Formatter()) {
            return formatter.idFor(Constants.OBJ_BLOB, content).name();
        }
    }
}
