package org.edgevim.api.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Delivery to one subscriber: its own bounded queue and its own worker, which POSTs one
 * notification at a time, in order, retrying each with exponential back-off.
 *
 * <p>Why one worker thread per subscriber (started on demand, ended after a minute idle) rather
 * than a shared pool: a POST blocks its thread until the subscriber answers or the request
 * timeout passes, so a hanging subscriber must hold only a thread of its own. A shared pool of N
 * threads would be stalled by N hanging subscribers, and keeping each subscriber's messages in
 * order on it would need the same one-at-a-time bookkeeping anyway. An edge VIM has a handful of
 * subscribers (orchestrator, OSS), so the threads are few, and idle ones cost nothing.
 *
 * <p>The monitor of this object guards the queue and the counters; it is never held while sending
 * or waiting, so {@link #offer} (the publisher's thread) never waits for the network.
 */
final class SubscriberChannel {

    private static final Logger LOG = Logger.getLogger(SubscriberChannel.class);
    /** A dead subscriber with a full queue drops on every publish: one WARN per interval, with the count. */
    private static final long OVERFLOW_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration IDLE_WORKER_LIFETIME = Duration.ofMinutes(1);

    /** What the channel needs from configuration (vim.notifications.*). */
    record Settings(int queueSize, Duration requestTimeout, Duration initialBackoff, Duration maxBackoff,
                    int maxAttempts) {
    }

    /** What one attempt came to. */
    private enum Result { DELIVERED, RETRY, GIVE_UP, STOPPED }

    private record Attempt(Result result, String error) {
    }

    private final Subscription subscription;
    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final ThreadPoolExecutor worker;

    private final Deque<NotificationMessage> waiting = new ArrayDeque<>();
    /** A drain task is queued or running. */
    private boolean draining;
    /** A notification has left the queue and is being sent or waits for its retry. */
    private boolean sending;
    private boolean closed;
    /** The last attempt failed: logged once at INFO, and "recovered" on the next success. */
    private boolean failing;
    private long delivered;
    private long failed;
    private long dropped;
    private String lastError;
    private Instant lastAttemptAt;
    private long lastOverflowWarn = System.nanoTime() - OVERFLOW_WARN_INTERVAL_NANOS;

    SubscriberChannel(Subscription subscription, Settings settings, HttpClient http, ObjectMapper mapper) {
        this.subscription = subscription;
        this.settings = settings;
        this.http = http;
        this.mapper = mapper;
        // At most one drain task exists at a time (see draining), so the executor's queue stays tiny.
        this.worker = new ThreadPoolExecutor(1, 1, IDLE_WORKER_LIFETIME.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "notify-" + subscription.id());
                    thread.setDaemon(true); // a subscriber that never answers must not keep the JVM alive
                    return thread;
                });
        this.worker.allowCoreThreadTimeOut(true);
    }

    Subscription subscription() {
        return subscription;
    }

    /** Queues a notification for this subscriber; returns at once. */
    void offer(NotificationMessage message) {
        boolean startWorker;
        NotificationMessage droppedMessage = null;
        boolean warn = false;
        long droppedSoFar;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (waiting.size() >= settings.queueSize()) {
                droppedMessage = waiting.pollFirst();
                failed++;
                dropped++;
                lastError = "queue full (" + settings.queueSize() + " waiting): dropped the oldest, "
                        + describe(droppedMessage);
                long now = System.nanoTime();
                if (now - lastOverflowWarn >= OVERFLOW_WARN_INTERVAL_NANOS) {
                    lastOverflowWarn = now;
                    warn = true;
                }
            }
            droppedSoFar = dropped;
            waiting.addLast(message);
            startWorker = !draining;
            draining = true;
        }
        if (warn) {
            LOG.warnf("Subscription %s (%s): notification queue full, dropped the oldest (%s); %d dropped so far",
                    subscription.id(), subscription.callbackUri(), describe(droppedMessage), droppedSoFar);
        }
        if (startWorker) {
            try {
                worker.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile: the subscription is gone, nothing to deliver.
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }

    synchronized DeliveryStatus status() {
        return new DeliveryStatus(waiting.size() + (sending ? 1 : 0), delivered, failed, lastError, lastAttemptAt);
    }

    /**
     * Stops delivery: waiting notifications are dropped and a POST under way is abandoned.
     *
     * @return how many notifications were still pending
     */
    int close() {
        int pending;
        synchronized (this) {
            closed = true;
            pending = waiting.size() + (sending ? 1 : 0);
            waiting.clear();
        }
        worker.shutdownNow(); // interrupts a POST or a back-off wait
        return pending;
    }

    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The worker: sends queued notifications one at a time until the queue is empty. */
    private void drain() {
        while (true) {
            NotificationMessage next;
            synchronized (this) {
                next = closed ? null : waiting.pollFirst();
                sending = next != null;
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            boolean stopped;
            try {
                stopped = deliver(next);
            } catch (RuntimeException e) {
                // A bug, not the subscriber's fault: count it, keep the worker for the next message.
                LOG.errorf(e, "Subscription %s: delivering %s failed unexpectedly", subscription.id(), describe(next));
                stopped = false;
                synchronized (this) {
                    failed++;
                    lastError = "internal error: " + e;
                }
            }
            if (stopped) {
                synchronized (this) {
                    sending = false;
                    draining = false;
                }
                return;
            }
        }
    }

    /**
     * Sends one notification until it is delivered, refused, or out of attempts.
     *
     * @return true if the channel was closed meanwhile (the worker must stop)
     */
    private boolean deliver(NotificationMessage message) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            giveUp(message, 0, "cannot serialise the notification: " + e.getOriginalMessage());
            return false;
        }
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            synchronized (this) {
                if (closed) {
                    return true;
                }
                lastAttemptAt = Instant.now();
            }
            Attempt outcome = post(body);
            switch (outcome.result()) {
                case STOPPED:
                    return true;
                case DELIVERED:
                    delivered(message, attempt);
                    return false;
                case GIVE_UP:
                    giveUp(message, attempt, outcome.error());
                    return false;
                default:
                    if (attempt >= settings.maxAttempts()) {
                        giveUp(message, attempt, outcome.error());
                        return false;
                    }
                    failedAttempt(message, attempt, outcome.error(), backoff);
                    try {
                        Thread.sleep(backoff.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return true;
                    }
                    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
            }
        }
    }

    /** One POST. 2xx is delivered; a 4xx other than 408 and 429 will not get better by retrying. */
    private Attempt post(byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(subscription.callbackUri())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> call;
        try {
            call = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            return new Attempt(Result.GIVE_UP, "cannot send: " + e.getMessage());
        }
        try {
            // The request timeout covers the wait for the response headers only; this bounds the
            // whole exchange, so a subscriber that stalls in the middle of its body cannot hang us.
            int status = call.get(settings.requestTimeout().toMillis() + 500, TimeUnit.MILLISECONDS).statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(Result.DELIVERED, null);
            }
            boolean hopeless = status >= 400 && status < 500 && status != 408 && status != 429;
            return new Attempt(hopeless ? Result.GIVE_UP : Result.RETRY, "HTTP " + status);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return new Attempt(Result.STOPPED, null);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Attempt(Result.RETRY, "no response within " + text(settings.requestTimeout()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new Attempt(Result.RETRY, "connect timed out");
            }
            if (cause instanceof HttpTimeoutException) {
                return new Attempt(Result.RETRY, "no response within " + text(settings.requestTimeout()));
            }
            if (cause instanceof ConnectException) {
                return new Attempt(Result.RETRY, "cannot connect" + (cause.getMessage() == null ? ""
                        : ": " + cause.getMessage()));
            }
            if (cause instanceof IOException) {
                return new Attempt(Result.RETRY, cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
            return new Attempt(Result.GIVE_UP, "cannot send: " + cause);
        }
    }

    private void delivered(NotificationMessage message, int attempt) {
        boolean recovered;
        synchronized (this) {
            delivered++;
            recovered = failing;
            failing = false;
        }
        if (recovered) {
            LOG.infof("Subscription %s (%s): delivery recovered, %s delivered on attempt %d", subscription.id(),
                    subscription.callbackUri(), describe(message), attempt);
        }
        LOG.debugf("Subscription %s: delivered %s (attempt %d)", subscription.id(), describe(message), attempt);
    }

    private void failedAttempt(NotificationMessage message, int attempt, String error, Duration backoff) {
        boolean first;
        synchronized (this) {
            lastError = error;
            first = !failing;
            failing = true;
        }
        if (first) {
            LOG.infof("Subscription %s (%s): delivery failing (%s); retrying with back-off", subscription.id(),
                    subscription.callbackUri(), error);
        }
        LOG.debugf("Subscription %s: attempt %d of %s failed (%s); next in %s", subscription.id(), attempt,
                describe(message), error, text(backoff));
    }

    private void giveUp(NotificationMessage message, int attempts, String error) {
        synchronized (this) {
            failed++;
            lastError = error;
            failing = true;
        }
        LOG.infof("Subscription %s (%s): gave up on %s after %d attempt(s): %s", subscription.id(),
                subscription.callbackUri(), describe(message), attempts, error);
    }

    private static String describe(NotificationMessage message) {
        return message.notificationType() + " " + message.notificationId() + " about " + message.objectId();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** 5s, 250ms: for messages an operator reads. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
