package dev.monkeytown.build.outputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildArtifact;
import dev.monkeytown.build.builds.BuildOutput;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.engine.OutputRefusedException;
import dev.monkeytown.build.pipeline.OutputGlobs;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.runner.local.LocalRunner;

/**
 * A local build's outputs, from checkout to registry. When the command succeeded the runner lets {@link #collect} copy
 * the files matching the pipeline's {@code outputs} to {@code <staging>/<run-id>/} (the checkout is removed right
 * after); {@link #publish} then pushes them as one OCI artifact of repository {@code builds/<pipeline>}, tagged with the
 * commit and the build id: one layer per file, titled with its path relative to the checkout
 * ({@code org.opencontainers.image.title}), the empty config, {@code artifactType} {@value #ARTIFACT_TYPE}.
 */
public final class RegistryOutputs implements OutputPublisher, LocalRunner.WorkCollector {

    public static final String ARTIFACT_TYPE = "application/vnd.monkeytown.build.v1";
    static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    static final String TITLE = "org.opencontainers.image.title";
    /**
     * Most output files one build may store: each is a layer of one manifest held in memory, so a glob matching a
     * generated tree of a million files is refused (as the build's fault) rather than pushed.
     */
    public static final int MAX_OUTPUTS = 10_000;

    private final Path staging;
    private final OciPush registry;
    private final ObjectMapper json;
    /** The output globs of the pipeline an attempt (by run id) belongs to; empty when unknown. */
    private final Function<String, List<String>> globsOf;

    public RegistryOutputs(Path staging, OciPush registry, ObjectMapper json,
            Function<String, List<String>> globsOf) {
        this.staging = staging;
        this.registry = registry;
        this.json = json;
        this.globsOf = globsOf;
    }

    @Override
    public void collect(String runId, Path checkout) throws IOException {
        List<String> globs = globsOf.apply(runId);
        if (globs.isEmpty()) {
            return;
        }
        Path target = staging.resolve(runId);
        delete(target);
        for (String relative : new OutputGlobs(globs).match(checkout)) {
            Path copy = target.resolve(relative);
            Files.createDirectories(copy.getParent());
            Files.copy(checkout.resolve(relative), copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    @Override
    public Published publish(Build build, Pipeline pipeline, String runId) throws IOException {
        Path source = staging.resolve(runId);
        if (!Files.isDirectory(source)) {
            return Published.NOTHING; // the globs matched nothing
        }
        List<BuildOutput> outputs = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (outputs.size() == MAX_OUTPUTS) {
                    throw new OutputRefusedException("the build produced more than " + MAX_OUTPUTS
                            + " output files, the most a build may store");
                }
                String relative = source.relativize(file).toString().replace('\\', '/');
                outputs.add(new BuildOutput(relative, digest(file), Files.size(file)));
                files.put(relative, file);
            }
        }
        if (outputs.isEmpty()) {
            return Published.NOTHING;
        }
        String repository = pipeline.repository();
        String emptyDigest = digest(EMPTY);
        registry.pushBlob(repository, emptyDigest, EMPTY);
        for (BuildOutput output : outputs) {
            registry.pushBlob(repository, output.digest(), files.get(output.path()));
        }
        byte[] manifest = manifest(build, outputs, emptyDigest);
        String manifestDigest = digest(manifest);
        List<String> tags = List.of(build.sha(), build.id());
        if (Thread.currentThread().isInterrupted()) {
            // the copy was stopped (past copy-timeout, or the build cancelled): a stopped build is never tagged
            throw new java.io.InterruptedIOException("the outputs of " + runId + " were stopped before their tags");
        }
        registry.pushManifest(repository, manifest, manifestDigest, tags);
        discard(runId);
        return new Published(outputs, Optional.of(new BuildArtifact(repository, manifestDigest, tags)));
    }

    @Override
    public void discard(String runId) {
        try {
            delete(staging.resolve(runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] manifest(Build build, List<BuildOutput> outputs, String emptyDigest) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", OciPush.MANIFEST_TYPE);
        root.put("artifactType", ARTIFACT_TYPE);
        ObjectNode config = root.putObject("config");
        config.put("mediaType", EMPTY_TYPE);
        config.put("digest", emptyDigest);
        config.put("size", EMPTY.length);
        ArrayNode layers = root.putArray("layers");
        for (BuildOutput output : outputs) {
            ObjectNode layer = layers.addObject();
            layer.put("mediaType", "application/octet-stream");
            layer.put("digest", output.digest());
            layer.put("size", output.size());
            layer.putObject("annotations").put(TITLE, output.path());
        }
        ObjectNode annotations = root.putObject("annotations");
        annotations.put("org.opencontainers.image.revision", build.sha());
        annotations.put("dev.monkeytown.build.id", build.id());
        annotations.put("dev.monkeytown.build.pipeline", build.pipeline());
        annotations.put("dev.monkeytown.build.ref", build.ref());
        if (build.tree() != null) {
            annotations.put("dev.monkeytown.build.tree", build.tree());
        }
        return json.writeValueAsBytes(root);
    }

    static String digest(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    static String digest(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
