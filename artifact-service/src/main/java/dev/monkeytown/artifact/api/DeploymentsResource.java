package dev.monkeytown.artifact.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.access.Permission;
import dev.monkeytown.artifact.catalog.ArtifactPaths;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogJson;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.DeploymentReferences;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;

/**
 * What deploy-service tells the registry each environment runs (current and last good), so that retention never
 * removes it and nobody deletes it by hand. An explicit input rather than a guess: deploy-service calls
 * {@code PUT /api/v1/artifacts/deployments/<environment>} after every deployment and revert, with a registry-wide
 * token (operator or admin, not limited to repositories): a token scoped to some repositories can read what it may
 * pull of the references but never change them.
 */
@Path("/api/v1/artifacts/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts")
public class DeploymentsResource {

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** The body of the PUT: manifests as {@code <repository>@sha256:<hex>}. */
    public record DeploymentInput(@NotNull @Size(max = 100) List<String> current,
            @NotNull @Size(max = 100) List<String> lastGood) {
    }

    private final Catalog catalog;
    private final CatalogWriter writer;
    private final Clock clock = Clock.systemUTC();

    DeploymentsResource(Catalog catalog, CatalogWriter writer) {
        this.catalog = catalog;
        this.writer = writer;
    }

    @GET
    @Operation(summary = "Deployment references per environment, as deploy-service last reported them; only the"
            + " repositories the caller may pull")
    public Map<String, DeploymentReferences> list(@Context HttpHeaders headers) {
        Caller caller = Caller.from(headers);
        caller.require(Permission.PULL);
        catalog.requireLoaded();
        Map<String, DeploymentReferences> visible = new TreeMap<>();
        catalog.deployments().forEach((environment, references) -> visible.put(environment,
                references.limitedTo(caller::mayPull)));
        return visible;
    }

    @PUT
    @Path("/{environment}")
    @Operation(summary = "Record what an environment deploys (current and last good); retention keeps these")
    public DeploymentReferences put(@PathParam("environment") String environment,
            @jakarta.validation.Valid @NotNull DeploymentInput input, @Context HttpHeaders headers) {
        Caller caller = Caller.from(headers);
        // what an environment deploys protects manifests of every repository from retention and deletes: a token
        // limited to some repositories could otherwise lift that protection (even from its own repositories, which
        // deploy-service relies on), so recording it needs a registry-wide token
        caller.requireRegistryWide(Permission.PUSH, "recording what an environment deploys");
        if (!ENVIRONMENT.matcher(environment).matches()) {
            throw new BadRequestException("environment must be lower-case letters, digits and '-', was '"
                    + environment + "'");
        }
        input.current().forEach(DeploymentsResource::checkReference);
        input.lastGood().forEach(DeploymentsResource::checkReference);
        DeploymentReferences references = new DeploymentReferences(input.current(), input.lastGood(),
                clock.instant(), caller.user());
        writer.apply("deployment references of " + environment, Actor.user(caller.user()),
                ws -> ws.put(ArtifactPaths.deployment(environment), CatalogJson.write(references)));
        return references;
    }

    private static void checkReference(String reference) {
        int at = reference == null ? -1 : reference.indexOf('@');
        if (at <= 0 || RepositoryName.parse(reference.substring(0, at)).isEmpty()
                || Digest.parse(reference.substring(at + 1)).isEmpty()) {
            throw new BadRequestException("'" + reference + "' is not <repository>@sha256:<hex>");
        }
    }
}
