package dev.monkeytown.state.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real disk, recording every step once it has completed, failing the steps a test picks (before doing them) as a
 * disk that is full, read-only or broken would, and stopping once in a step a test picks, as a writer paused by GC
 * or SIGSTOP would. Steps read like {@code sync objects/pack} or
 * {@code rename refs/heads/x.lock -> refs/heads/x}: paths relative to {@code root}, temp ids and pack checksums
 * replaced by {@code *}.
 */
final class RecordingDisk implements Disk {

    private final Path root;
    private final Disk disk = Disk.system();
    private final List<String> steps = new ArrayList<>();
    private volatile Predicate<String> failing = step -> false;
    private volatile Predicate<String> stopping = step -> false;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);

    RecordingDisk(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** From now on, steps matching {@code which} fail with an IOException and are not done. */
    void fail(Predicate<String> which) {
        failing = which;
    }

    /**
     * The first step matching {@code which} stops once done, as a writer paused by GC or SIGSTOP would, until
     * {@link #resume()}.
     */
    void stopIn(Predicate<String> which) {
        stopping = which;
    }

    /** Waits until a writer stopped in the step picked by {@link #stopIn}. */
    boolean awaitStopped(Duration wait) throws InterruptedException {
        return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    void resume() {
        resumed.countDown();
    }

    /** Adds a step of the test's own, e.g. that a caller got its acknowledgement. */
    synchronized void note(String step) {
        steps.add(step);
    }

    synchronized List<String> steps() {
        return List.copyOf(steps);
    }

    synchronized void clear() {
        steps.clear();
    }

    @Override
    public void force(FileChannel channel, Path file) throws IOException {
        String step = "force " + name(file);
        check(step);
        disk.force(channel, file);
        note(step);
        stopIfPicked(step);
    }

    @Override
    public void syncFolder(Path folder) throws IOException {
        String step = "sync " + name(folder);
        check(step);
        disk.syncFolder(folder);
        note(step);
        stopIfPicked(step);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        String step = "rename " + name(source) + " -> " + name(target);
        check(step);
        disk.rename(source, target);
        note(step);
        stopIfPicked(step);
    }

    private void check(String step) throws IOException {
        if (failing.test(step)) {
            throw new IOException("injected failure: " + step);
        }
    }

    private void stopIfPicked(String step) throws InterruptedIOException {
        if (stopping.test(step) && stopped.getCount() > 0) {
            stopped.countDown();
            try {
                resumed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while stopped in " + step);
            }
        }
    }

    private String name(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String name = !absolute.startsWith(root)
                ? absolute.toString()
                : absolute.equals(root) ? "." : root.relativize(absolute).toString();
        return name.replaceAll("tmp_(pack|idx)_[0-9a-f-]+", "tmp_$1_*").replaceAll("pack-[0-9a-f]{40}", "pack-*");
    }
}
