package io.probity.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds security headers to every HTTP response and marks cookies {@code Secure} behind TLS.
 *
 * <p>The Content-Security-Policy allows scripts and styles only from this origin, plus the
 * inline scripts and styles and the {@code eval} that Vaadin's client engine uses (Vaadin 24
 * cannot run without them); ECharts loads from this origin's webjar and draws on canvas, so it
 * needs nothing more. Frames are denied, MIME sniffing is off, and no referrer leaves the site.
 * A request counts as TLS when the connection is TLS or a proxy sent {@code X-Forwarded-Proto: https}.
 *
 * <p>The session cookie that the servlet container sets gets {@code HttpOnly} and
 * {@code SameSite=Strict} here, because Quarkus's cookie settings apply only to cookies that
 * Vert.x itself writes.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; "
            + "script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    void install(@Observes Router router) {
        router.route().order(-1000).handler(context -> {
            HttpServerRequest request = context.request();
            boolean tls = request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
            context.addHeadersEndHandler(ignored -> {
                var headers = context.response().headers();
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("X-Frame-Options", "DENY");
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
                if (tls) {
                    headers.set("Strict-Transport-Security", "max-age=31536000");
                }
                List<String> cookies = new ArrayList<>();
                for (String cookie : headers.getAll("Set-Cookie")) {
                    cookies.add(harden(cookie, tls));
                }
                if (!cookies.isEmpty()) {
                    headers.remove("Set-Cookie");
                    cookies.forEach(cookie -> headers.add("Set-Cookie", cookie));
                }
            });
            context.next();
        });
    }

    /** Adds HttpOnly and SameSite=Strict to a cookie, and Secure behind TLS, unless already present. */
    static String harden(String cookie, boolean tls) {
        String lower = cookie.toLowerCase(java.util.Locale.ROOT);
        StringBuilder hardened = new StringBuilder(cookie);
        if (!lower.contains("; httponly")) {
            hardened.append("; HttpOnly");
        }
        if (!lower.contains("; samesite")) {
            hardened.append("; SameSite=Strict");
        }
        if (tls && !lower.contains("; secure")) {
            hardened.append("; Secure");
        }
        return hardened.toString();
    }
}
