package io.probity.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the UI in Debian's headless Chromium through Playwright. The browser path comes from
 * {@code PROBITY_CHROMIUM} (default {@code /usr/bin/chromium}); Playwright never downloads one.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync");

    @TestHTTPResource("/")
    URL root;

    private Playwright playwright;
    private Browser browser;
    private Page page;
    private String model;

    @BeforeAll
    void startBrowser() {
        playwright = Playwright.create();
        String executable = System.getenv().getOrDefault("PROBITY_CHROMIUM", "/usr/bin/chromium");
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(executable)).setHeadless(true).setArgs(CHROMIUM_FLAGS));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
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
        page = browser.newContext().newPage();
        page.setDefaultTimeout(30_000);
    }

    private void logIn() {
        page.navigate(url("login"));
        page.locator("vaadin-login-form input[name='username']").fill("admin");
        page.locator("vaadin-login-form input[name='password']").fill(TestData.ADMIN_PASSWORD);
        page.locator("vaadin-login-form vaadin-button[slot='submit']").click();
        page.locator("#models-grid").waitFor();
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + "/" + path;
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
        page.navigate(url("models/" + model + "?tab=calibration"));
        Locator reliability = page.locator("#reliability-diagram[data-rendered='true'] canvas");
        reliability.waitFor();
        assertTrue(page.content().contains("ECE (15 bins)"));
        page.navigate(url("models/" + model));
        Locator histogram = page.locator("#confidence-histogram[data-rendered='true'] canvas");
        histogram.waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model.png"))
                .setFullPage(true));
    }

    @Test
    void modelPageKeepsWindowInUrl() {
        logIn();
        page.navigate(url("models/" + model + "?from=2026-06-08T00:00:00Z&to=2026-06-09T00:00:00Z"));
        page.locator("#confidence-histogram[data-rendered='true'] canvas").waitFor();
        Locator cards = page.locator(".probity-card").first();
        // 2026-06-08 holds 144 of the shifted predictions (one every 10 minutes).
        assertEquals("144", cards.locator(".probity-card-value").textContent());
    }

    @Test
    void confidenceTabOverlaysBaseline() {
        logIn();
        page.navigate(url("models/" + model + "?tab=confidence"));
        for (String chart : List.of("confidence-histogram", "margin-histogram", "entropy-histogram", "class-mix")) {
            page.locator("#" + chart + "[data-rendered='true'] canvas").waitFor();
        }
        assertTrue(page.locator("#class-mix-csv").getAttribute("href").contains("class-mix.csv"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model-confidence.png"))
                .setFullPage(true));
    }

    @Test
    void calibrationTabShowsIntervals() {
        logIn();
        page.navigate(url("models/" + model + "?tab=calibration"));
        page.locator("#reliability-diagram[data-rendered='true'] canvas").waitFor();
        assertTrue(page.content().contains("bootstrap 95 %"), "ECE card with its bootstrap interval");
        assertTrue(page.content().contains("Wilson 95 %"), "accuracy card with its Wilson interval");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model-calibration.png"))
                .setFullPage(true));
    }

    @Test
    void driftTabRendersTimeSeries() {
        logIn();
        page.navigate(url("models/" + model + "?tab=drift"));
        page.locator("#drift-timeseries[data-rendered='true'] canvas").waitFor();
        page.locator("#accuracy-timeseries[data-rendered='true'] canvas").waitFor();
        page.locator("#baseline-save").waitFor();
        assertTrue(page.content().contains("Estimated accuracy"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model-drift.png"))
                .setFullPage(true));
    }

    @Test
    void temperatureTabShowsAdvice() {
        logIn();
        page.navigate(url("models/" + model + "?tab=temperature"));
        page.locator("#temperature-reliability[data-rendered='true'] canvas").waitFor();
        assertTrue(page.content().contains("Fitted temperature"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "model-temperature.png"))
                .setFullPage(true));
    }

    @Test
    void tabAndRangeStayInUrl() {
        logIn();
        page.navigate(url("models/" + model + "?range=day"));
        page.locator("#confidence-histogram[data-rendered='true'] canvas").waitFor();
        page.locator("#tab-drift").click();
        page.locator("#drift-timeseries[data-rendered='true'] canvas").waitFor();
        assertTrue(page.url().contains("tab=drift"), "tab in " + page.url());
        assertTrue(page.url().contains("range=day"), "range in " + page.url());
    }

    @Test
    void auditPageOpensPredictionDetail() {
        logIn();
        page.navigate(url("audit?model=" + model + "-faults"));
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
