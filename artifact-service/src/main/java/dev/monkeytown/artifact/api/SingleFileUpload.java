package dev.monkeytown.artifact.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.ArtifactLimits;
import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.catalog.TagRules;
import dev.monkeytown.artifact.events.ArtifactEvents;
import dev.monkeytown.artifact.oci.Descriptor;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.InvalidManifestException;
import dev.monkeytown.artifact.oci.Manifest;
import dev.monkeytown.artifact.oci.MediaTypes;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.oci.Tag;
import dev.monkeytown.artifact.storage.BlobIntake;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.BlobTooLargeException;
import dev.monkeytown.artifact.storage.DigestMismatchException;
import dev.monkeytown.artifact.storage.QuotaExceededException;
import dev.monkeytown.artifact.storage.SpoolBudget;
import dev.monkeytown.artifact.storage.SpoolFile;
import dev.monkeytown.artifact.storage.SpooledBlob;
import dev.monkeytown.state.Actor;

/**
 * One file in, one OCI artifact out, in a single streamed request: the file becomes the artifact's only layer (titled
 * with its file name, as oras does), the config is the spec's empty descriptor, and the manifest carries the
 * {@code artifactType} and annotations. What oras push does in five requests, for callers that are not OCI clients.
 */
@Singleton
public class SingleFileUpload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Pattern ARTIFACT_TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}/"
            + "[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}");
    private static final String TITLE = "org.opencontainers.image.title";

    private final BlobIntake intake;
    private final BlobStore store;
    private final CatalogWriter writer;
    private final TagRules tagRules;
    private final ArtifactEvents events;
    private final ArtifactConfig config;
    private final SpoolBudget budget;
    private final Clock clock = Clock.systemUTC();

    SingleFileUpload(BlobIntake intake, BlobStore store, CatalogWriter writer, TagRules tagRules,
            ArtifactEvents events, ArtifactConfig config, SpoolBudget budget) {
        this.budget = budget;
        this.intake = intake;
        this.store = store;
        this.writer = writer;
        this.tagRules = tagRules;
        this.events = events;
        this.config = config;
    }

    public ArtifactViews.Uploaded upload(RepositoryName repository, Optional<String> tag, String artifactType,
            Map<String, String> annotations, Optional<String> filename, MediaType contentType,
            Optional<Long> declaredLength, InputStream body, Caller caller) throws IOException {
        if (artifactType == null || !ARTIFACT_TYPE.matcher(artifactType).matches()) {
            throw new BadRequestException("artifactType must be a media type such as application/vnd.acme.report+json");
        }
        if (tag.isPresent() && !Tag.isValid(tag.get())) {
            throw new BadRequestException("tag '" + tag.get() + "' is not a tag ([a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})");
        }
        String layerType = contentType == null || contentType.isWildcardType()
                ? MediaType.APPLICATION_OCTET_STREAM
                : contentType.getType() + "/" + contentType.getSubtype();
        SpooledBlob file = spool(body, declaredLength, config.maxBlobSize().asLongValue());
        String user = caller.user();
        try {
            // each accept deletes its spool file whatever happens (BlobIntake); nothing is spooled between them
            intake.accept(file, file.digest(), repository, user);
            SpooledBlob configBlob = spool(new ByteArrayInputStream(EMPTY_CONFIG), Optional.of((long) EMPTY_CONFIG.length),
                    EMPTY_CONFIG.length);
            intake.accept(configBlob, configBlob.digest(), repository, user);
        } catch (DigestMismatchException e) {
            throw new IllegalStateException("a blob spooled here cannot mismatch its own digest", e);
        } catch (QuotaExceededException e) {
            throw ArtifactLimits.quota(e.getMessage());
        }
        Map<String, String> layerAnnotations = new LinkedHashMap<>();
        filename.filter(f -> !f.isBlank()).ifPresent(f -> layerAnnotations.put(TITLE, f));
        byte[] manifestBytes = manifest(artifactType, new Descriptor(layerType, file.digest(), file.size(), null,
                layerAnnotations), annotations);
        Manifest manifest;
        try {
            manifest = Manifest.parse(manifestBytes, MediaTypes.OCI_MANIFEST);
        } catch (InvalidManifestException e) {
            throw new IllegalStateException("the manifest built here must parse", e);
        }
        Digest digest = Digest.of(manifestBytes);
        writer.apply("upload " + repository + tag.map(t -> ":" + t).orElse("") + "@" + digest, Actor.user(user),
                RegistryChanges.putManifest(repository, digest, manifestBytes, manifest, tag, clock.instant(), user,
                        tagRules));
        events.pushed(repository, digest, tag, manifest, manifestBytes.length, user);
        return new ArtifactViews.Uploaded(repository.value(), digest.toString(), tag.orElse(null), artifactType,
                file.digest().toString(), file.size(), "/v2/" + repository + "/manifests/" + digest);
    }

    /**
     * Spools {@code in} whole; on any failure (client gone, over the limit, no room in the spool budget, disk) the
     * spool file is deleted. A declared length is checked against both limits before a byte is read.
     */
    private SpooledBlob spool(InputStream in, Optional<Long> declared, long limit) throws IOException {
        if (declared.isPresent() && declared.get() > limit) {
            throw ArtifactLimits.tooLarge(limit);
        }
        SpoolFile spool = SpoolFile.create(store.spoolDirectory(), limit, budget);
        boolean finished = false;
        try {
            declared.ifPresent(spool::reserveAhead);
            spool.append(in);
            SpooledBlob blob = spool.finish();
            finished = true;
            return blob;
        } catch (BlobTooLargeException e) {
            throw ArtifactLimits.tooLarge(e.limit());
        } finally {
            if (!finished) {
                spool.discard();
            }
        }
    }

    private static byte[] manifest(String artifactType, Descriptor layer, Map<String, String> annotations)
            throws JsonProcessingException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        manifest.put("config", descriptor(MediaTypes.EMPTY_CONFIG, Digest.of(EMPTY_CONFIG), EMPTY_CONFIG.length,
                Map.of()));
        manifest.put("layers", List.of(descriptor(layer.mediaType(), layer.digest(), layer.size(),
                layer.annotations() == null ? Map.of() : layer.annotations())));
        if (!annotations.isEmpty()) {
            manifest.put("annotations", annotations);
        }
        return JSON.writeValueAsBytes(manifest);
    }

    private static Map<String, Object> descriptor(String mediaType, Digest digest, long size,
            Map<String, String> annotations) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest.toString());
        descriptor.put("size", size);
        if (!annotations.isEmpty()) {
            descriptor.put("annotations", annotations);
        }
        return descriptor;
    }
}
