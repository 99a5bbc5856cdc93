package org.edgevim.core.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * An image source read no faster than a given rate, so that copies to edge hosts leave room on
 * the backhaul links they share with user traffic. Each copy (each opened stream) gets the full
 * rate: the limit is per host link, not for the VIM as a whole.
 */
public final class RateLimitedSource implements ImageSource {

    private final ImageSource source;
    private final long bytesPerSecond;

    private RateLimitedSource(ImageSource source, long bytesPerSecond) {
        this.source = source;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The source itself when {@code bytesPerSecond} is 0 (no limit). */
    public static ImageSource of(ImageSource source, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond < 0");
        }
        return bytesPerSecond == 0 ? source : new RateLimitedSource(source, bytesPerSecond);
    }

    @Override
    public ImageRef image() {
        return source.image();
    }

    @Override
    public InputStream open() throws IOException {
        return new Paced(source.open(), bytesPerSecond);
    }

    /** Sleeps whenever the bytes read so far are ahead of the rate since the first read. */
    private static final class Paced extends FilterInputStream {
        private final long bytesPerSecond;
        private long started = -1;
        private long read;

        Paced(InputStream in, long bytesPerSecond) {
            super(in);
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (started < 0) {
                started = System.nanoTime();
            }
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                read += n;
                long dueNanos = read * 1_000_000_000L / bytesPerSecond;
                long aheadNanos = dueNanos - (System.nanoTime() - started);
                if (aheadNanos > 1_000_000) {
                    try {
                        Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("copy interrupted");
                    }
                }
            }
            return n;
        }
    }
}
