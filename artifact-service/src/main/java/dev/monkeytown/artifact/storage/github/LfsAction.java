package dev.monkeytown.artifact.storage.github;

import java.net.URI;
import java.util.Map;

/** What a batch answer tells the client to do with one object: a URL and the headers to send there. */
record LfsAction(URI href, Map<String, String> headers) {

    /** Never print the headers: they carry a short-lived credential. */
    @Override
    public String toString() {
        return "LfsAction[" + href.getHost() + "]";
    }
}
