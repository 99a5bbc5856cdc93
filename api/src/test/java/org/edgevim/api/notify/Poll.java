package org.edgevim.api.notify;

import java.time.Duration;

/** Waits for an assertion to hold (Awaitility is not a dependency of this project). */
final class Poll {

    private Poll() {
    }

    /** Runs the assertion every 20 ms until it passes; after the timeout its last failure is thrown. */
    static void until(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
