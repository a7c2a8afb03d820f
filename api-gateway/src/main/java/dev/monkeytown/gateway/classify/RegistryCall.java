package dev.monkeytown.gateway.classify;

import java.util.regex.Pattern;

/**
 * What a {@code /v2/} request's body is, by the spec's endpoint table, which decides its limit and whether its content
 * type is checked ({@code guard.RequestLimitsRoute}). Repository names hold {@code /}, so the endpoint is read from the
 * end of the path, as the registry reads it.
 */
public enum RegistryCall {
    /** {@code POST /v2/<name>/blobs/uploads/}, {@code PATCH|PUT /v2/<name>/blobs/uploads/<id>}: bytes, any type. */
    BLOB_UPLOAD,
    /** {@code /v2/<name>/manifests/<reference>}: a manifest (PUT), at most the manifest limit, of a manifest type. */
    MANIFEST,
    /** Anything else: the base check, pulls, tags, referrers, deletes, paths the spec does not have. */
    OTHER;

    private static final Pattern UPLOAD = Pattern.compile("/v2/.+/blobs/uploads(/[^/]+)?");
    private static final Pattern MANIFEST_PATH = Pattern.compile("/v2/.+/manifests/[^/]+");

    /** {@code path} is decoded and without a trailing slash (the classification's path). */
    static RegistryCall of(String path) {
        if (UPLOAD.matcher(path).matches()) {
            return BLOB_UPLOAD;
        }
        if (MANIFEST_PATH.matcher(path).matches()) {
            return MANIFEST;
        }
        return OTHER;
    }
}
