package org.edgevim.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RateLimitedSourceTest {

    private static ImageSource bytes(int n) {
        ImageRef ref = new ImageRef("img", DiskFormat.RAW, n, "00");
        return new ImageSource() {
            @Override
            public ImageRef image() {
                return ref;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(new byte[n]);
            }
        };
    }

    @Test
    void noLimitIsTheSourceItself() {
        ImageSource source = bytes(10);
        assertThat(RateLimitedSource.of(source, 0)).isSameAs(source);
    }

    @Test
    void everyByteStillArrivesAndTheRateIsHeld() throws Exception {
        ImageSource limited = RateLimitedSource.of(bytes(300_000), 1_000_000); // 0.3 s at 1 MB/s
        long started = System.nanoTime();
        long total = 0;
        try (InputStream in = limited.open()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(total).isEqualTo(300_000);
        // The pacing is the behaviour under test; the bound is a lower one (never a speed goal).
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(280);
    }
}
