package dev.monkeytown.github.testdouble;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.monkeytown.github.testdouble.GitObjects.Blob;

/** What GitHub answers for GraphQL {@code Blob.text}: null for binary blobs, cut at a limit with {@code isTruncated}. */
record BlobText(String text, boolean truncated) {

    static BlobText of(Blob blob, int limit) {
        if (isBinary(blob)) {
            return new BlobText(null, false);
        }
        byte[] content = blob.content();
        if (content.length <= limit) {
            return new BlobText(new String(content, StandardCharsets.UTF_8), false);
        }
        int end = limit;
        while (end > 0 && (content[end] & 0xC0) == 0x80) {
            end--; // do not split a UTF-8 sequence
        }
        return new BlobText(new String(content, 0, end, StandardCharsets.UTF_8), true);
    }

    /** Git's own test (a NUL in the first 8000 bytes), plus anything that is not UTF-8, for which text is null. */
    static boolean isBinary(Blob blob) {
        byte[] content = blob.content();
        for (int i = 0; i < Math.min(content.length, 8000); i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }
}
