package dev.monkeytown.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.monkeytown.runner.SecretValues;

class MaskingOutputStreamTest {

    @Test
    void aSecretWrittenWholeIsMasked() throws Exception {
        assertEquals("token=***\n", masked(List.of("s3cr3t-value"), "token=s3cr3t-value\n"));
    }

    @Test
    void aSecretSplitAcrossWritesIsMasked() throws Exception {
        assertEquals("a *** b", masked(List.of("s3cr3t-value"), "a s3c", "r3t-", "va", "lue b"));
    }

    @Test
    void aSecretWrittenOneByteAtATimeIsMasked() throws Exception {
        String text = "x=s3cr3t-value;y=s3cr3t-value";
        String[] bytes = text.chars().mapToObj(c -> String.valueOf((char) c)).toArray(String[]::new);
        assertEquals("x=***;y=***", masked(List.of("s3cr3t-value"), bytes));
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() throws Exception {
        // were the shorter one masked as soon as it is complete, the rest of the longer one would show
        assertEquals("[***]", masked(List.of("abcd", "abcdefgh"), "[abcd", "efgh]"));
        assertEquals("[***]", masked(List.of("abcd", "abcdefgh"), "[abcd]"));
    }

    @Test
    void whatMerelyLooksLikeTheStartOfASecretIsWrittenOnceDecidedOrClosed() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MaskingOutputStream out = new MaskingOutputStream(sink, SecretValues.of(List.of("s3cr3t-value")));
        out.write("done s3cr".getBytes(StandardCharsets.UTF_8));
        assertEquals("done ", sink.toString(StandardCharsets.UTF_8), "held back: it may become the secret");
        out.write("ew".getBytes(StandardCharsets.UTF_8));
        assertEquals("done s3crew", sink.toString(StandardCharsets.UTF_8));
        out.write(" s3c".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertEquals("done s3crew s3c", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void randomSplitsNeverLeakASecret() throws Exception {
        Random random = new Random(12);
        List<String> secrets = List.of("ghp_0123456789", "hook-secret", "hook-secret-two", "0123");
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                text.append(random.nextBoolean() ? secrets.get(random.nextInt(secrets.size())) : "-x" + i + "-");
            }
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (MaskingOutputStream out = new MaskingOutputStream(sink, SecretValues.of(secrets))) {
                byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                for (int at = 0; at < bytes.length;) {
                    int n = Math.min(bytes.length - at, 1 + random.nextInt(7));
                    out.write(bytes, at, n);
                    at += n;
                }
            }
            String result = sink.toString(StandardCharsets.UTF_8);
            assertEquals(SecretValues.of(secrets).mask(text.toString()), result, text.toString());
        }
    }

    @Test
    void withoutSecretsBytesPassUnchanged() throws Exception {
        assertEquals("plain ***", masked(List.of(), "plain ", "***"));
    }

    private static String masked(List<String> secrets, String... writes) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (MaskingOutputStream out = new MaskingOutputStream(sink, SecretValues.of(secrets))) {
            for (String write : writes) {
                out.write(write.getBytes(StandardCharsets.UTF_8));
            }
        }
        return sink.toString(StandardCharsets.UTF_8);
    }
}
