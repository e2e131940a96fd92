package io.probity.ui;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.probity.support.Browser;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the analyst and reviewer pages in headless Chromium. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    @TestHTTPResource("/")
    URL root;

    private Browser browser;
    private Page page;
    private String model;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(root);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openPage() {
        if (model == null) {
            model = TestData.uniqueModel("ui-digits");
            String body = TestData.withModel(TestData.lines("demo/digits/shifted.ndjson"), "digits-logreg", model);
            given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                    .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200);
            String faults = TestData.withModel(TestData.lines("datasets/serving-faults/faults.ndjson"), "fraud-screen",
                    model + "-faults");
            given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                    .body(faults.getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200);
        }
        page = browser.newPage();
    }

    /** Keeps a screenshot of every test's last page under target/screenshots, to read failures. */
    @AfterEach
    void keepScreenshot(TestInfo info) {
        if (page != null) {
            Browser.screenshot(page, info.getTestMethod().orElseThrow().getName());
            page.context().close();
        }
    }

    private void logIn() {
        browser.logIn(page, "admin", TestData.ADMIN_PASSWORD);
    }

    private String url(String path) {
        return browser.url(path);
    }

    @Test
    void anonymousVisitorIsSentToLogin() {
        page.navigate(url("audit"));
        page.locator("vaadin-login-form").waitFor();
        assertTrue(page.url().contains("login"), "expected the login page, got " + page.url());
    }

    @Test
    void wrongPasswordIsRejected() {
        page.navigate(url("login"));
        page.locator("vaadin-login-form input[name='username']").fill("admin");
        page.locator("vaadin-login-form input[name='password']").fill("not-the-password");
        page.locator("vaadin-login-form vaadin-button[slot='submit']").click();
        page.locator("vaadin-login-form-wrapper[error]").waitFor();
        assertTrue(page.url().contains("login"));
    }

    @Test
    void modelPageRendersCharts() {
        logIn();
        page.navigate(url("models/" + model));
        Locator reliability = page.locator("#reliability-diagram[data-rendered='true'] canvas");
        reliability.waitFor();
        Locator histogram = page.locator("#confidence-histogram[data-rendered='true'] canvas");
        histogram.waitFor();
        assertTrue(page.content().contains("ECE (15 bins)"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model.png"))
                .setFullPage(true));
    }

    @Test
    void modelPageKeepsWindowInUrl() {
        logIn();
        page.navigate(url("models/" + model + "?from=2026-06-08T00:00:00Z&to=2026-06-09T00:00:00Z"));
        page.locator("#reliability-diagram[data-rendered='true'] canvas").waitFor();
        Locator cards = page.locator(".probity-card").first();
        // 2026-06-08 holds 144 of the shifted predictions (one every 10 minutes).
        assertEquals("144", cards.locator(".probity-card-value").textContent());
    }

    @Test
    void auditPageOpensPredictionDetail() {
        logIn();
        page.navigate(url("audit?model=" + model + "-faults"));
        page.locator("#audit-timeline[data-rendered='true'] canvas").waitFor();
        page.locator("#top-causes vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("argmax"))
                .first().waitFor();
        Locator row = page.locator("#audit-grid vaadin-grid-cell-content", new Page.LocatorOptions()
                .setHasText("temperature-mismatch-004"));
        row.first().click();
        page.locator("#prediction-chart[data-rendered='true'] canvas").waitFor();
        assertTrue(page.locator("#audit-verdict").textContent().contains("fail"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "audit.png")));
    }

    @Test
    void reviewResolutionCountsInMetrics() {
        logIn();
        page.navigate(url("review?model=" + model + "-faults"));
        Locator row = page.locator("#review-grid vaadin-grid-cell-content", new Page.LocatorOptions()
                .setHasText("argmax-mismatch-000"));
        row.first().click();
        page.locator("#review-chart[data-rendered='true'] canvas").waitFor();
        page.locator("vaadin-dialog-overlay vaadin-button", new Page.LocatorOptions().setHasText("Fraudulent"))
                .first().click();
        page.locator("vaadin-notification-card").first().waitFor(new Locator.WaitForOptions()
                .setState(WaitForSelectorState.VISIBLE));

        given().header("X-API-Key", TestData.API_KEY)
                .get("/api/v1/models/" + model + "-faults/predictions/argmax-mismatch-000")
                .then().statusCode(200)
                .body("label", org.hamcrest.Matchers.equalTo("Fraudulent"))
                .body("labelSource", org.hamcrest.Matchers.equalTo("review"));
    }
}
