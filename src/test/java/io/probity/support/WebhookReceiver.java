package io.probity.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.fail;

/** An HTTP server on 127.0.0.1 that receives alert webhooks and records every request. */
public final class WebhookReceiver {

    /** One request received, with the response status it got. */
    public record Received(String path, byte[] body, String signature, int status) {
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Starts a receiver. {@code status} gives the response status of a request path; it runs on
     * one of 8 handler threads, so it may also wait without holding up other requests.
     */
    public static WebhookReceiver start(ToIntFunction<String> status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService handlers = Executors.newFixedThreadPool(8);
        server.setExecutor(handlers);
        WebhookReceiver receiver = new WebhookReceiver(server, handlers);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            int code = status.applyAsInt(path);
            receiver.received.add(new Received(path, body, exchange.getRequestHeaders().getFirst("X-Probity-Signature"),
                    code));
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    public void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    /** Returns the URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Returns the requests received on {@code path}, oldest first. */
    public List<Received> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits up to 20 s until {@code path} has received at least {@code count} requests, and returns them. */
    public List<Received> await(String path, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Received> matching = requests(path);
            if (matching.size() >= count) {
                return matching;
            }
            Thread.sleep(20);
        }
        fail("the webhook receiver got fewer than " + count + " requests on " + path + ": " + requests(path));
        return List.of();
    }
}
