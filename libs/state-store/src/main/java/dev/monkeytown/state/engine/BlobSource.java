package dev.monkeytown.state.engine;

import dev.monkeytown.state.spi.BackendException;

/** Blob bytes by id: cached, or loaded from the backend (blocking). */
interface BlobSource {

    /** The blob if it is in memory, else null; never blocks. */
    byte[] cachedBlob(String id);

    byte[] blob(String id) throws BackendException;
}
