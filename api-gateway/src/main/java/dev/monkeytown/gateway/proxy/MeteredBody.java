package dev.monkeytown.gateway.proxy;

import java.util.function.UnaryOperator;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body on its way through: counts the bytes against a limit (a chunked upload declares no length, so counting is the
 * only check) and tells a {@link Watcher} how it moves. Exceeding the limit pauses the source and fails the stream with
 * {@link ClientFault.TooLarge} instead of passing the chunk on. The source's own failures are passed on through
 * {@code blame}, so a pipe's failure says which side broke.
 */
final class MeteredBody implements ReadStream<Buffer> {

    /** Sees the body move; all calls on the source's event loop. */
    interface Watcher {
        void bytes(int count);

        /** The destination is full: the pipe paused the source. */
        default void heldBack() {
        }

        default void released() {
        }
    }

    private final ReadStream<Buffer> source;
    private final long limit;
    private final Watcher watcher;
    private final UnaryOperator<Throwable> blame;
    private long bytes;
    private boolean exceeded;
    private Handler<Throwable> exceptionHandler;

    MeteredBody(ReadStream<Buffer> source, long limit, Watcher watcher, UnaryOperator<Throwable> blame) {
        this.source = source;
        this.limit = limit;
        this.watcher = watcher;
        this.blame = blame;
    }

    @Override
    public MeteredBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : failure -> handler.handle(blame.apply(failure)));
        return this;
    }

    @Override
    public MeteredBody handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.handler(chunk -> {
            if (exceeded) {
                return;
            }
            bytes += chunk.length();
            watcher.bytes(chunk.length());
            if (bytes > limit) {
                exceeded = true;
                source.pause();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new ClientFault.TooLarge());
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public MeteredBody pause() {
        watcher.heldBack();
        source.pause();
        return this;
    }

    @Override
    public MeteredBody resume() {
        watcher.released();
        if (!exceeded) {
            source.resume();
        }
        return this;
    }

    @Override
    public MeteredBody fetch(long amount) {
        if (!exceeded) {
            source.fetch(amount);
        }
        return this;
    }

    @Override
    public MeteredBody endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
