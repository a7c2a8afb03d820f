package dev.monkeytown.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A file on a state branch: its path and bytes (JSON by convention). */
public record Document(String path, byte[] content) {

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public static Document of(String path, String text) {
        return new Document(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Document d && d.path.equals(path) && Arrays.equals(d.content, content);
    }

    @Override
    public int hashCode() {
        return 31 * path.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "Document[" + path + ", " + content.length + " bytes]";
    }
}
