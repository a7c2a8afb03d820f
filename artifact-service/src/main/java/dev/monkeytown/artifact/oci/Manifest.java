package dev.monkeytown.artifact.oci;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What the registry needs to know of a pushed manifest: its kind, what it points to (config and layers of an image
 * manifest, the manifests of an index) and its {@code subject}. The bytes themselves are kept exactly as pushed: the
 * digest is of those bytes, so the registry never re-serialises a manifest.
 *
 * @param references blobs (image manifest: config and layers) or manifests (index) this one needs
 * @param artifactType as the referrers API reports it: {@code artifactType}, else the config's media type
 */
public record Manifest(String mediaType, String artifactType, List<Descriptor> references, boolean index,
        Optional<Descriptor> subject, Map<String, String> annotations) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Parses {@code body} sent with {@code contentType}. The media type is the body's {@code mediaType} when present
     * (it must then agree with the Content-Type, as the spec requires), else the Content-Type.
     */
    public static Manifest parse(byte[] body, String contentType) throws InvalidManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidManifestException("the manifest is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("the manifest must be a JSON object");
        }
        if (!root.path("schemaVersion").isInt() || root.path("schemaVersion").intValue() != 2) {
            throw new InvalidManifestException("schemaVersion must be 2");
        }
        String declared = text(root, "mediaType");
        String sent = MediaTypes.bare(contentType);
        if (declared != null && sent != null && !sent.isEmpty() && !declared.equals(sent)) {
            throw new InvalidManifestException("mediaType " + declared + " does not match the Content-Type " + sent);
        }
        String mediaType = declared != null ? declared : sent;
        if (mediaType == null || !MediaTypes.MANIFESTS.contains(mediaType)) {
            throw new InvalidManifestException("unsupported manifest media type " + mediaType + "; supported: "
                    + String.join(", ", MediaTypes.MANIFESTS));
        }
        boolean index = MediaTypes.INDEXES.contains(mediaType);
        List<Descriptor> references = new ArrayList<>();
        String artifactType = text(root, "artifactType");
        if (index) {
            references.addAll(descriptors(root, "manifests"));
        } else {
            Descriptor config = descriptor(root.get("config"), "config");
            references.add(config);
            references.addAll(descriptors(root, "layers"));
            if (artifactType == null) {
                artifactType = config.mediaType();
            }
        }
        Optional<Descriptor> subject = root.has("subject")
                ? Optional.of(descriptor(root.get("subject"), "subject"))
                : Optional.empty();
        return new Manifest(mediaType, artifactType, List.copyOf(references), index, subject,
                annotations(root.get("annotations"), "annotations"));
    }

    private static List<Descriptor> descriptors(JsonNode root, String field) throws InvalidManifestException {
        JsonNode list = root.get(field);
        if (list == null) {
            if (field.equals("manifests")) {
                throw new InvalidManifestException("an index needs a manifests array");
            }
            return List.of();
        }
        if (!list.isArray()) {
            throw new InvalidManifestException(field + " must be an array");
        }
        List<Descriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            descriptors.add(descriptor(list.get(i), field + "[" + i + "]"));
        }
        return descriptors;
    }

    private static Descriptor descriptor(JsonNode node, String where) throws InvalidManifestException {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException(where + " must be a descriptor object");
        }
        String mediaType = text(node, "mediaType");
        if (mediaType == null || mediaType.isBlank()) {
            throw new InvalidManifestException(where + ".mediaType is required");
        }
        String digestText = text(node, "digest");
        Optional<Digest> digest = Digest.parse(digestText);
        if (digest.isEmpty()) {
            throw new InvalidManifestException(where + ".digest must be sha256:<64 lower-case hex>");
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw new InvalidManifestException(where + ".size must be a whole number of bytes");
        }
        return new Descriptor(mediaType, digest.get(), size.longValue(), text(node, "artifactType"),
                annotations(node.get("annotations"), where + ".annotations"));
    }

    private static Map<String, String> annotations(JsonNode node, String where) throws InvalidManifestException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidManifestException(where + " must be an object of strings");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new InvalidManifestException(where + "." + field.getKey() + " must be a string");
            }
            annotations.put(field.getKey(), field.getValue().textValue());
        }
        return annotations;
    }

    private static String text(JsonNode node, String field) throws InvalidManifestException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidManifestException(field + " must be a string");
        }
        return value.textValue();
    }
}
