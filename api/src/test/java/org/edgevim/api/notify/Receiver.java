package org.edgevim.api.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A subscriber: a real JDK HTTP server on 127.0.0.1 and an ephemeral port, answering each POST
 * with the status its policy gives for the request's number (1, 2, ...), or hanging.
 */
public final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** Handlers run here, not on the server's own thread: stop() would otherwise wait for a hanging one. */
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    /** Bodies of the requests answered with a 2xx, in arrival order. */
    public final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    /** Bodies of every request, answered or not, in arrival order. */
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    /** Requests that got an answer (a hanging receiver's stay unanswered). */
    final AtomicInteger answered = new AtomicInteger();
    /** Counted down when the first request arrives. */
    final CountDownLatch firstRequest = new CountDownLatch(1);

    private Receiver(IntUnaryOperator statusOfRequest, Duration hang) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            int number = requests.incrementAndGet();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            received.add(body);
            firstRequest.countDown();
            try {
                if (hang != null) {
                    Thread.sleep(hang.toMillis());
                }
                int status = statusOfRequest.applyAsInt(number);
                if (status >= 200 && status < 300) {
                    delivered.add(body);
                    contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                }
                answered.incrementAndGet();
                exchange.sendResponseHeaders(status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Answers every request with 200. */
    public static Receiver healthy() {
        return new Receiver(n -> 200, null);
    }

    public static Receiver answering(IntUnaryOperator statusOfRequest) {
        return new Receiver(statusOfRequest, null);
    }

    /** Reads each request, then sleeps before answering 200. */
    public static Receiver hanging(Duration hang) {
        return new Receiver(n -> 200, hang);
    }

    /** A URL nothing listens on: the port was bound once, then released. */
    public static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/notifications";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notifications";
    }

    /** The objectId of every delivered notification, in order. */
    List<String> objectIds() {
        return delivered.stream().map(n -> n.path("objectId").asText()).toList();
    }

    @Override
    public void close() {
        handlers.shutdownNow(); // wakes a hanging handler
        server.stop(0);
    }
}
