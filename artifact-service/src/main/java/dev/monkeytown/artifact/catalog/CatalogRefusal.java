package dev.monkeytown.artifact.catalog;

import dev.monkeytown.state.ChangeRejectedException;

/**
 * A change the registry's rules refuse, decided inside the change function against the branch as it is, so two
 * requests racing each other cannot both slip past a rule. Each surface ({@code /v2/}, {@code /api/v1}) words it in
 * its own error form.
 */
public class CatalogRefusal extends ChangeRejectedException {

    public enum Reason {
        /** The repository holds no such manifest. */
        MANIFEST_UNKNOWN,
        /** The repository has no such tag. */
        TAG_UNKNOWN,
        /** The repository does not link that blob. */
        BLOB_UNKNOWN,
        /** A manifest points to blobs or manifests the repository does not hold. */
        MANIFEST_BLOB_UNKNOWN,
        /** A tag matching an immutable pattern would move or go. */
        IMMUTABLE_TAG,
        /** A deployment, an index or a manifest still needs it. */
        PROTECTED,
        /** It changed since the decision to remove it was made (a retention plan older than a push, tag or pull). */
        CHANGED
    }

    private final Reason reason;

    public CatalogRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
