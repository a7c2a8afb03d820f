package dev.monkeytown.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body on its way through: counts the bytes against the body limit (a chunked upload declares no length, so
 * counting is the only check) and reports each chunk as activity for the idle watchdog. Exceeding the limit pauses the
 * source and fails the stream with {@link BodyTooLarge} instead of passing the chunk on.
 */
final class MeteredBody implements ReadStream<Buffer> {

    /** The body went past its limit while streaming. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("request body exceeds its limit", null, false, false);
        }
    }

    private final ReadStream<Buffer> source;
    private final long limit;
    private final Runnable onActivity;
    private long bytes;
    private boolean exceeded;
    private Handler<Throwable> exceptionHandler;

    MeteredBody(ReadStream<Buffer> source, long limit, Runnable onActivity) {
        this.source = source;
        this.limit = limit;
        this.onActivity = onActivity;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public MeteredBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler);
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
            onActivity.run();
            if (bytes > limit) {
                exceeded = true;
                source.pause();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new BodyTooLarge());
                }
                return;
            }
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public MeteredBody pause() {
        source.pause();
        return this;
    }

    @Override
    public MeteredBody resume() {
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
