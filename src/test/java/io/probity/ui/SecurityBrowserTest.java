package io.probity.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.LoadState;
import io.probity.security.Role;
import io.probity.support.Accounts;
import io.probity.support.Browser;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks in headless Chromium who may open which page, and that user-supplied text never runs as HTML. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityBrowserTest {

    private static final String PAYLOAD = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1\">";

    @TestHTTPResource("/")
    URL root;

    private Browser browser;
    private String model;

    @BeforeAll
    void start() {
        browser = new Browser(root);
    }

    /** Ingests once; RestAssured's port is set per test, not before @BeforeAll. */
    @BeforeEach
    void ingestOnce() {
        if (model != null) {
            return;
        }
        model = TestData.uniqueModel("routes");
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(("{\"model\":\"" + model + "\",\"predictionId\":\"r-1\",\"classes\":[\"a\",\"b\"],"
                        + "\"logits\":[1.0,0.0],\"label\":\"a\"}").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/predictions").then().statusCode(200);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A page and the role it needs; {@code heading} is the start of its h2 when it opens. */
    private record Route(String path, String leastRole, String heading) {
    }

    private List<Route> routes() {
        return List.of(new Route("", Role.ANALYST, "Models"),
                new Route("models/" + model, Role.ANALYST, "Model " + model),
                new Route("audit", Role.ANALYST, "Audit findings"),
                new Route("account", Role.ANALYST, "Account"),
                new Route("review", Role.REVIEWER, "Review queue"),
                new Route("admin/users", Role.ADMIN, "Users"),
                new Route("admin/api-keys", Role.ADMIN, "API keys"),
                new Route("admin/security-log", Role.ADMIN, "Security log"));
    }

    private static String heading(Page page) {
        page.waitForLoadState(LoadState.NETWORKIDLE);
        Locator h2 = page.locator("h2");
        return h2.count() == 0 ? "" : h2.first().textContent();
    }

    @Test
    void routesByRole() {
        List<String> failures = new ArrayList<>();
        Page anonymous = browser.newPage();
        for (Route route : routes()) {
            anonymous.navigate(browser.url(route.path()));
            anonymous.locator("vaadin-login-form").waitFor();
        }
        anonymous.context().close();

        for (String role : Role.ORDER) {
            String user = Accounts.user(role, null);
            Page page = browser.newPage();
            browser.logIn(page, user, Accounts.PASSWORD);
            for (Route route : routes()) {
                page.navigate(browser.url(route.path()));
                boolean allowed = Role.rank(role) >= Role.rank(route.leastRole());
                String shown = heading(page);
                boolean opened = shown.startsWith(route.heading());
                if (allowed != opened) {
                    failures.add(role + " on /" + route.path() + ": expected " + (allowed ? "open" : "denied")
                            + ", heading was \"" + shown + "\"");
                }
            }
            page.context().close();
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void userLimitedToModelsSeesOnlyThem() {
        String user = Accounts.user(Role.ANALYST, List.of("some-other-model"));
        Page page = browser.newPage();
        browser.logIn(page, user, Accounts.PASSWORD);
        page.navigate(browser.url("models/" + model));
        assertTrue(!heading(page).startsWith("Model"), "a limited user opened " + model);
        page.navigate(browser.url(""));
        heading(page);
        assertTrue(!page.content().contains(model), "the overview lists " + model + " to a limited user");
        page.context().close();
    }

    @Test
    void userTextIsShownAsText() {
        String xssModel = "xss-" + TestData.uniqueModel("m") + PAYLOAD;
        String record = "{\"model\":" + json(xssModel) + ",\"modelVersion\":" + json("v" + PAYLOAD)
                + ",\"predictionId\":" + json("id" + PAYLOAD) + ",\"classes\":[" + json("cat" + PAYLOAD) + ","
                + json("dog") + "],\"logits\":[0.1,0.0],\"probabilities\":[0.9,0.1],"
                + "\"attributes\":{\"note\":" + json(PAYLOAD) + "}}";
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(record.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200)
                .body("accepted", org.hamcrest.Matchers.equalTo(1));

        Page page = browser.newPage();
        AtomicInteger dialogs = new AtomicInteger();
        page.onDialog(dialog -> {
            dialogs.incrementAndGet();
            dialog.dismiss();
        });
        browser.logIn(page, "admin", TestData.ADMIN_PASSWORD);

        page.navigate(browser.url(""));
        page.locator("#models-grid vaadin-grid-cell-content", new Page.LocatorOptions().setHasText(xssModel)).first()
                .click();
        try {
            page.locator("#confidence-histogram[data-rendered='true'] canvas").waitFor();
        } finally {
            Browser.screenshot(page, "xss-model");
        }
        page.navigate(browser.url("audit?model=" + URLEncoder.encode(xssModel, StandardCharsets.UTF_8).replace("+", "%20")));
        page.locator("#audit-grid vaadin-grid-cell-content", new Page.LocatorOptions().setHasText(xssModel)).first()
                .click();
        page.locator("#prediction-chart[data-rendered='true'] canvas").waitFor();
        assertTrue(page.locator("vaadin-dialog-overlay").textContent().contains(PAYLOAD.substring(0, 20)),
                "the payload should be visible as text in the detail dialog");
        page.keyboard().press("Escape");
        page.navigate(browser.url("review?model=" + URLEncoder.encode(xssModel, StandardCharsets.UTF_8).replace("+", "%20")));
        page.locator("#review-grid vaadin-grid-cell-content", new Page.LocatorOptions().setHasText(xssModel)).first()
                .waitFor();
        page.navigate(browser.url("review/work?model="
                + URLEncoder.encode(xssModel, StandardCharsets.UTF_8).replace("+", "%20")));
        page.locator("#review-chart[data-rendered='true'] canvas").waitFor();
        page.waitForTimeout(500);
        Browser.screenshot(page, "xss-review");

        Object ran = page.evaluate("() => window.__xss || 0");
        assertEquals(0, ((Number) ran).intValue(), "an injected onerror handler ran");
        assertEquals(0, dialogs.get(), "an injected script opened a dialog");
        assertEquals(0, page.locator("img[src='x']").count(), "an injected img element exists in the page");
        page.context().close();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
