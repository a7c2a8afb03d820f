package dev.monkeytown.artifact.registry;

import jakarta.ws.rs.core.Response;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;

/** Locations and headers the spec asks for, written once. */
final class RegistryResponses {

    static final String DIGEST_HEADER = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";

    private RegistryResponses() {
    }

    static String blobLocation(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    static String uploadLocation(RepositoryName name, String id) {
        return "/v2/" + name + "/blobs/uploads/" + id;
    }

    static String manifestLocation(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/manifests/" + digest;
    }

    /** The spec's {@code Range: 0-<last byte received>}; {@code 0-0} before any byte, as Docker's registry says. */
    static String receivedRange(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** 201 for a stored blob. */
    static Response blobCreated(RepositoryName name, Digest digest) {
        return Response.status(201).header("Location", blobLocation(name, digest)).header(DIGEST_HEADER, digest)
                .header("Content-Length", 0).build();
    }
}
