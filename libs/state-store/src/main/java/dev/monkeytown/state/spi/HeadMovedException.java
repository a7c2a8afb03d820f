package dev.monkeytown.state.spi;

/** Compare-and-swap lost: another writer moved the branch first. The engine re-reads and re-applies. */
public class HeadMovedException extends Exception {

    public HeadMovedException(String message) {
        super(message);
    }
}
