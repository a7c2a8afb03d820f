package dev.monkeytown.artifact.clients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.ContainerRef;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Test only: oras-java-sdk driven as a command line, run by {@link OrasClientTest} in a JVM of its own. oras-java-sdk
 * 0.7.0 is built on Jackson 3.2, which needs {@code jackson-annotations} 2.22; the Quarkus BOM pins 2.21 for the test
 * class path, so inside the test's JVM its first push fails with {@code NoClassDefFoundError: JsonApplyView}. Its own
 * process gets 2.22 first on the class path, like skopeo gets its own process. Prints {@code key=value} lines.
 */
public final class OrasCli {

    private OrasCli() {
    }

    /**
     * {@code attach <host> <user> <password> <repository> <file> <signature> <out>}: push {@code file} as an artifact
     * tagged v1, attach {@code signature} to it ({@code subject}), list its referrers, pull v1 into {@code out}.
     * {@code anonymous <host> <repository>}: fetch the v1 manifest without credentials.
     */
    public static void main(String[] args) {
        int status = 0;
        try {
            switch (args[0]) {
                case "attach" -> attach(args[1], args[2], args[3], args[4], Path.of(args[5]), Path.of(args[6]),
                        Path.of(args[7]));
                case "anonymous" -> anonymous(args[1], args[2]);
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        } catch (Exception e) {
            e.printStackTrace(System.out);
            status = 1;
        }
        // oras' layer-transfer pool is made of non-daemon threads it never shuts down: without this the JVM stays
        System.exit(status);
    }

    private static void attach(String host, String user, String password, String repository, Path file,
            Path signature, Path out) throws Exception {
        Registry oras = Registry.builder().insecure(host, user, password).build();
        ContainerRef reference = ContainerRef.parse(host + "/" + repository + ":v1");
        Manifest artifact = oras.pushArtifact(reference, ArtifactType.from("application/vnd.example.sbom"),
                Annotations.empty(), LocalPath.of(file, "application/spdx+json"));
        Manifest attached = oras.attachArtifact(reference, ArtifactType.from("application/vnd.example.signature"),
                Annotations.empty(), LocalPath.of(signature));
        String subject = artifact.getDescriptor().getDigest();
        System.out.println("subject=" + subject);
        System.out.println("attached=" + attached.getDescriptor().getDigest());
        System.out.println("attached.subject=" + attached.getSubject().getDigest());
        System.out.println("referrers=" + referrers(oras, reference.withDigest(subject), null));
        System.out.println("referrers.signature=" + referrers(oras, reference.withDigest(subject),
                ArtifactType.from("application/vnd.example.signature")));
        System.out.println("referrers.other=" + referrers(oras, reference.withDigest(subject),
                ArtifactType.from("application/vnd.example.other")));
        oras.pullArtifact(reference, Files.createDirectories(out), true);
        System.out.println("pulled=" + Files.readString(out.resolve(file.getFileName())));
    }

    /** {@code <digest> <artifactType>} pairs, comma-separated. */
    private static String referrers(Registry oras, ContainerRef subject, ArtifactType filter) {
        return oras.getReferrers(subject, filter).getManifests().stream()
                .map(m -> m.getDigest() + " " + m.getArtifactType()).collect(Collectors.joining(","));
    }

    private static void anonymous(String host, String repository) {
        try {
            Registry.builder().insecure().build().getManifest(ContainerRef.parse(host + "/" + repository + ":v1"));
            System.out.println("status=200");
        } catch (OrasException e) {
            System.out.println("status=" + e.getStatusCode());
        }
    }
}
