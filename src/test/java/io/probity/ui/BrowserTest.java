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
import java.util.List;

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
        page.waitForURL("**/login");
        assertTrue(page.url().endsWith("/login"), "expected the login page, got " + page.url());
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
        // The URL is replaced by a separate round trip, so it may change after the chart renders.
        page.waitForURL(address -> address.contains("tab=drift"));
        assertTrue(page.url().contains("tab=drift"), "tab in " + page.url());
        assertTrue(page.url().contains("range=day"), "range in " + page.url());
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

    /** Ingests three low-confidence records for the reviewer-screen tests; the first has HTML in an attribute. */
    private String ingestReviewModel() {
        String reviewModel = TestData.uniqueModel("ui-review");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String attributes = i == 0 ? ",\"attributes\":{\"comment\":\"<b id='injected'>bold</b>\"}" : "";
            body.append("{\"model\":\"").append(reviewModel).append("\",\"modelVersion\":\"v1\",\"predictionId\":\"r-")
                    .append(i).append("\",\"timestamp\":\"2026-06-01T00:0").append(i)
                    .append(":00Z\",\"classes\":[\"a\",\"b\",\"c\"],\"logits\":[0.1,0,0]").append(attributes)
                    .append("}\n");
        }
        given().header("X-API-Key", TestData.API_KEY).contentType("application/x-ndjson")
                .body(body.toString().getBytes(StandardCharsets.UTF_8)).post("/api/v1/predictions").then().statusCode(200);
        return reviewModel;
    }

    private String currentItemText() {
        return page.locator("#review-item").textContent();
    }

    /** Waits until the reviewer screen shows another item than {@code previous}. */
    private String waitForItemChange(String previous) {
        page.waitForCondition(() -> !currentItemText().equals(previous));
        page.locator("#review-chart[data-rendered='true'] canvas").waitFor();
        return currentItemText();
    }

    private static String predictionOf(String itemText) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("prediction (\\S+)").matcher(itemText);
        assertTrue(matcher.find(), itemText);
        return matcher.group(1);
    }

    private static long itemIdOf(String itemText) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("Item (\\d+)").matcher(itemText);
        assertTrue(matcher.find(), itemText);
        return Long.parseLong(matcher.group(1));
    }

    private static List<String> historyActions(long itemId) {
        return given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", "browser-test")
                .get("/api/v1/review/items/" + itemId + "/history").then().statusCode(200)
                .extract().jsonPath().getList("action");
    }

    @Test
    void reviewerScreenWorksByKeyboard() {
        String reviewModel = ingestReviewModel();
        logIn();
        page.navigate(url("review/work?model=" + reviewModel));
        page.locator("#review-chart[data-rendered='true'] canvas").waitFor();
        String first = currentItemText();
        assertTrue(first.contains("prediction r-0"), first);
        assertTrue(page.locator("#review-attributes").textContent().contains("<b id='injected'>bold</b>"),
                "attributes are shown as text");
        assertEquals(0, page.locator("#injected").count(), "attribute HTML is never rendered");
        assertTrue(page.locator("#review-logits").textContent().contains("a: 0.1000"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "review-work.png"))
                .setFullPage(true));

        page.keyboard().press("2");
        String second = waitForItemChange(first);
        given().header("X-API-Key", TestData.API_KEY)
                .get("/api/v1/models/" + reviewModel + "/predictions/" + predictionOf(first))
                .then().statusCode(200)
                .body("label", org.hamcrest.Matchers.equalTo("b"))
                .body("labelSource", org.hamcrest.Matchers.equalTo("review"));

        page.keyboard().press("s");
        String third = waitForItemChange(second);
        page.keyboard().press("u");
        String again = waitForItemChange(third);
        assertEquals(predictionOf(second), predictionOf(again), "undo brings back the skipped item");
        page.keyboard().press("e");
        String afterEscalate = waitForItemChange(again);
        assertEquals(predictionOf(third), predictionOf(afterEscalate), "the released item is claimed again");
        page.reload();
        page.locator("#review-chart[data-rendered='true'] canvas").waitFor();
        assertEquals(predictionOf(afterEscalate), predictionOf(currentItemText()), "a reload resumes the held item");

        assertEquals(List.of("queued", "claim", "resolve"), historyActions(itemIdOf(first)));
        assertEquals(List.of("queued", "claim", "skip", "undo", "escalate"), historyActions(itemIdOf(second)));
        assertEquals(List.of("queued", "claim", "release", "claim"), historyActions(itemIdOf(third)));
    }

    @Test
    void reviewQueueShowsCountsAndHistory() {
        String reviewModel = ingestReviewModel();
        logIn();
        page.navigate(url("review?model=" + reviewModel));
        Locator openCount = page.locator("#review-counts [data-state='open'] .probity-card-value");
        assertEquals("3", openCount.textContent());
        assertTrue(page.locator("#review-calibration-note").textContent().contains("1 / P(sent to review)"));
        page.locator("#review-calibration[data-rendered='true'] canvas").waitFor();

        page.locator("#review-grid vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("r-1")).first().click();
        Locator history = page.locator("#review-history vaadin-grid-cell-content", new Page.LocatorOptions()
                .setHasText("queued"));
        history.first().waitFor();
        assertTrue(page.locator("#review-history-csv").getAttribute("href") != null, "CSV download link");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "review-queue.png"))
                .setFullPage(true));
    }

    @Test
    void rulesEditorValidatesAndSavesRevision() {
        String reviewModel = ingestReviewModel();
        logIn();
        page.navigate(url("review/rules?model=" + reviewModel));
        Locator editor = page.locator("#rules-editor textarea");
        editor.waitFor();
        assertTrue(editor.inputValue().contains("confidenceBelow"), editor.inputValue());
        assertTrue(page.locator("#rules-status").textContent().contains("built-in default"));

        editor.fill("{\"rules\": [{\"type\": \"marginBelow\", \"threshold\": 2}]}");
        page.locator("#rules-save").click();
        page.waitForCondition(() -> page.locator("#rules-errors").textContent().contains("rules[0].threshold"));

        editor.fill("{\"rules\": [{\"type\": \"marginBelow\", \"threshold\": 0.2}], \"sampleFraction\": 0.05}");
        page.locator("#rules-save").click();
        page.waitForCondition(() -> page.locator("#rules-status").textContent().contains("Revision 1 by admin"));
        given().header("X-API-Key", TestData.API_KEY).header("X-Reviewer", "browser-test")
                .get("/api/v1/models/" + reviewModel + "/review-rules")
                .then().statusCode(200)
                .body("revision", org.hamcrest.Matchers.equalTo(1))
                .body("createdBy", org.hamcrest.Matchers.equalTo("admin"))
                .body("rules[0].type", org.hamcrest.Matchers.equalTo("marginBelow"));
    }
}
