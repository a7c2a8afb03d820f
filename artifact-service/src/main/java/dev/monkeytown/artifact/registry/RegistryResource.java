package dev.monkeytown.artifact.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.registry.RegistryPath.Blob;
import dev.monkeytown.artifact.registry.RegistryPath.InvalidName;
import dev.monkeytown.artifact.registry.RegistryPath.ManifestRef;
import dev.monkeytown.artifact.registry.RegistryPath.Referrers;
import dev.monkeytown.artifact.registry.RegistryPath.Tags;
import dev.monkeytown.artifact.registry.RegistryPath.Upload;
import dev.monkeytown.artifact.registry.RegistryPath.UploadStart;

/**
 * The OCI distribution API at {@code /v2/}. Repository names hold slashes, so every request is classified once
 * ({@link RegistryPath}) and handed to the endpoint class of its kind; a path or method the spec does not have gets the
 * spec's error form too. Runs on worker threads: bodies stream through blocking reads and writes.
 */
@Path("/v2")
@Tag(name = "registry", description = "OCI distribution spec v1.1; see docs/artifacts.md")
public class RegistryResource {

    private final BlobEndpoints blobs;
    private final UploadEndpoints uploads;
    private final ManifestEndpoints manifests;
    private final DiscoveryEndpoints discovery;

    RegistryResource(BlobEndpoints blobs, UploadEndpoints uploads, ManifestEndpoints manifests,
            DiscoveryEndpoints discovery) {
        this.blobs = blobs;
        this.uploads = uploads;
        this.manifests = manifests;
        this.discovery = discovery;
    }

    @GET
    @Operation(summary = "API version check: 200 for an authenticated caller, 401 with a challenge otherwise")
    public Response base(@Context HttpHeaders headers) {
        Caller.from(headers).require(Permission.PULL);
        return Response.ok(Map.of()).build();
    }

    @GET
    @Path("/{path: .*}")
    @Operation(summary = "Pull a blob or manifest, list tags, find referrers, or read an upload's status")
    public Response get(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri)
            throws IOException {
        return read(path, headers, uri, false);
    }

    @HEAD
    @Path("/{path: .*}")
    @Operation(summary = "Whether a blob or manifest exists, with its digest and size")
    public Response head(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri)
            throws IOException {
        return read(path, headers, uri, true);
    }

    @POST
    @Path("/{path: .*}")
    @Operation(summary = "Start a blob upload, push a blob in one request (?digest=) or mount one (?mount=&from=)")
    public Response post(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) throws IOException {
        RegistryPath route = route(path, headers);
        if (route instanceof UploadStart start) {
            return uploads.start(start.name(), request(headers, uri, body));
        }
        throw unsupported("POST", path);
    }

    @PATCH
    @Path("/{path: .*}")
    @Operation(summary = "Append a chunk to an upload (Content-Range, in order)")
    public Response patch(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) throws IOException {
        if (route(path, headers) instanceof Upload upload) {
            return uploads.patch(upload.name(), upload.id(), request(headers, uri, body));
        }
        throw unsupported("PATCH", path);
    }

    @PUT
    @Path("/{path: .*}")
    @Operation(summary = "Finish an upload (?digest=) or push a manifest")
    public Response put(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
            InputStream body) throws IOException {
        RegistryPath route = route(path, headers);
        if (route instanceof Upload upload) {
            return uploads.put(upload.name(), upload.id(), request(headers, uri, body));
        }
        if (route instanceof ManifestRef manifest) {
            return manifests.put(manifest.name(), manifest.reference(), request(headers, uri, body));
        }
        throw unsupported("PUT", path);
    }

    @DELETE
    @Path("/{path: .*}")
    @Operation(summary = "Delete a manifest (by digest), a tag, a blob, or cancel an upload")
    public Response delete(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri) {
        RegistryPath route = route(path, headers);
        RegistryRequest request = request(headers, uri, InputStream.nullInputStream());
        if (route instanceof Upload upload) {
            return uploads.cancel(upload.name(), upload.id(), request);
        }
        if (route instanceof ManifestRef manifest) {
            return manifests.delete(manifest.name(), manifest.reference(), request);
        }
        if (route instanceof Blob blob) {
            return blobs.delete(blob.name(), blob.digest(), request);
        }
        throw unsupported("DELETE", path);
    }

    private Response read(String path, HttpHeaders headers, UriInfo uri, boolean head) throws IOException {
        RegistryPath route = route(path, headers);
        RegistryRequest request = request(headers, uri, InputStream.nullInputStream());
        if (route instanceof RegistryPath.Base) {
            request.caller().require(Permission.PULL);
            return Response.ok(Map.of()).build();
        }
        if (route instanceof Blob blob) {
            return blobs.get(blob.name(), blob.digest(), request, head);
        }
        if (route instanceof ManifestRef manifest) {
            return manifests.get(manifest.name(), manifest.reference(), request, head);
        }
        if (route instanceof Tags tags && !head) {
            return discovery.tags(tags.name(), request);
        }
        if (route instanceof Referrers referrers && !head) {
            return discovery.referrers(referrers.name(), referrers.digest(), request);
        }
        if (route instanceof Upload upload && !head) {
            return uploads.status(upload.name(), upload.id(), request);
        }
        throw unsupported(head ? "HEAD" : "GET", path);
    }

    /**
     * Authenticates first, then classifies: an anonymous caller gets the challenge on every path, so it learns neither
     * which endpoints exist nor which names are valid. Each endpoint then checks the permission it needs.
     */
    private static RegistryPath route(String path, HttpHeaders headers) {
        Caller.from(headers).requireAuthenticated();
        RegistryPath route = RegistryPath.parse(path);
        if (route instanceof InvalidName invalid) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "'" + invalid.name()
                    + "' is not a repository name: lower-case components of letters and digits, separated by"
                    + " '/', with '.', '_', '__' or '-' inside a component");
        }
        return route;
    }

    private static RegistryRequest request(HttpHeaders headers, UriInfo uri, InputStream body) {
        return new RegistryRequest(Caller.from(headers), headers, uri.getQueryParameters(), body);
    }

    private static RegistryException unsupported(String method, String path) {
        if (RegistryPath.parse(path) instanceof RegistryPath.Unknown) {
            return new RegistryException(ErrorCode.UNSUPPORTED, 404, "no registry endpoint at /v2/" + path);
        }
        return new RegistryException(ErrorCode.UNSUPPORTED, 405, method + " is not allowed on /v2/" + path);
    }
}
