package dev.monkeytown.artifact;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Requests to the service as the gateway sends them: the internal token plus the user, role and (optionally) scope
 * headers it derives from the client's credentials. Also builds small OCI images and artifacts for tests.
 */
public final class Registry {

    private Registry() {
    }

    public static RequestSpecification as(String role) {
        return given().header(InternalToken.HEADER, internalToken()).header("X-Monkeytown-User", role + "-user")
                .header("X-Monkeytown-Role", role).redirects().follow(false);
    }

    public static RequestSpecification anonymous() {
        return given().header(InternalToken.HEADER, internalToken()).header("X-Monkeytown-User", "anonymous")
                .header("X-Monkeytown-Role", "anonymous");
    }

    public static RequestSpecification operator() {
        return as("operator");
    }

    public static RequestSpecification admin() {
        return as("admin");
    }

    public static RequestSpecification viewer() {
        return as("viewer");
    }

    public static String internalToken() {
        return ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
    }

    /** A repository name no other test uses. */
    public static String repository(String prefix) {
        return prefix + "/r" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Pushes {@code content} in one request and returns its digest. */
    public static Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.of(content);
        operator().contentType("application/octet-stream").body(content).queryParam("digest", digest.toString())
                .post("/v2/" + repository + "/blobs/uploads/").then().statusCode(201);
        return digest;
    }

    public static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** An OCI image manifest over a pushed config and layers. */
    public static byte[] imageManifest(String repository, byte[] config, List<byte[]> layers) {
        Digest configDigest = pushBlob(repository, config);
        String layerDescriptors = layers.stream().map(layer -> descriptor(
                "application/vnd.oci.image.layer.v1.tar", pushBlob(repository, layer), layer.length))
                .collect(Collectors.joining(","));
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length) + ",\"layers\":["
                + layerDescriptors + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** An artifact manifest (empty config) with one layer and, optionally, a subject. */
    public static byte[] artifactManifest(String repository, String artifactType, byte[] layer, Digest subject,
            long subjectSize) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = pushBlob(repository, empty);
        Digest layerDigest = pushBlob(repository, layer);
        String subjectJson = subject == null
                ? ""
                : ",\"subject\":" + descriptor("application/vnd.oci.image.manifest.v1+json", subject, subjectSize);
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\""
                + artifactType + "\",\"config\":" + descriptor("application/vnd.oci.empty.v1+json", emptyDigest, 2)
                + ",\"layers\":[" + descriptor("application/octet-stream", layerDigest, layer.length) + "]"
                + subjectJson + ",\"annotations\":{\"org.opencontainers.image.title\":\"t\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static Response putManifest(String repository, String reference, byte[] manifest) {
        return operator().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put("/v2/" + repository + "/manifests/" + reference);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
