package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;

/**
 * A chunk's {@code Content-Range} is client input like any other: the spec allows only {@code ^[0-9]+-[0-9]+$}, and
 * answers a chunk it cannot place with 416 (the only failure besides 404 it lists for {@code PATCH}). A range that is
 * not a range, does not fit in a number, runs backwards or past any blob the registry takes is refused before a byte
 * is read, in the spec's error form, and the upload goes on from where it was.
 */
@QuarkusTest
class ContentRangeTest {

    @ParameterizedTest
    @ValueSource(strings = {"a-b", "4-x", "99999999999999999999-100000000000000000003",
            "4-99999999999999999999", "4-2", "4-9223372036854775807", "4-", "-4-7", "4-7-9", "", "4 7", "+4-7"})
    void aChunkWithARangeThatCannotBePlacedIs416AndTheUploadGoesOn(String range) {
        String repo = repository("range");
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        location = operator().contentType("application/octet-stream").header("Content-Range", "0-3")
                .body(bytes("abcd")).patch(location).then().statusCode(202).extract().header("Location");

        operator().contentType("application/octet-stream").header("Content-Range", range).body(bytes("efgh"))
                .patch(location)
                .then().statusCode(416).contentType(startsWith("application/json"))
                .header("Range", "0-3").header("Location", location)
                .body("errors[0].code", is("BLOB_UPLOAD_INVALID"));
        operator().contentType("application/octet-stream").header("Content-Range", range).body(bytes("efgh"))
                .queryParam("digest", Digest.of(bytes("abcdefgh")).toString()).put(location)
                .then().statusCode(416).contentType(startsWith("application/json"))
                .body("errors[0].code", is("BLOB_UPLOAD_INVALID"));

        operator().get(location).then().statusCode(204).header("Range", "0-3");
        Digest digest = Digest.of(bytes("abcdefgh"));
        operator().contentType("application/octet-stream").header("Content-Range", "4-7").body(bytes("efgh"))
                .queryParam("digest", digest.toString()).put(location).then().statusCode(201);
        assertArrayEquals(bytes("abcdefgh"), viewer().get("/v2/" + repo + "/blobs/" + digest).asByteArray());
    }
}
