package io.probity.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.probity.support.TestData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.probity.review.ReviewFixtures.ingest;
import static io.probity.review.ReviewFixtures.lowConfidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ReviewConcurrencyTest {

    private static final int ITEMS = 1000;
    private static final int CLIENTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/review/claim")
    URL claimUrl;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentClaimsTakeEachItemOnce() throws Exception {
        String model = TestData.uniqueModel("review-concurrent");
        ingest(lowConfidence(model, "c", ITEMS));

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String reviewer = "reviewer-" + c;
            Callable<List<Long>> claimer = () -> claimUntilEmpty(client, model, reviewer);
            results.add(pool.submit(claimer));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "claimers finished in time");

        Map<Long, Integer> claimsPerItem = new HashMap<>();
        int clientsWithClaims = 0;
        for (Future<List<Long>> result : results) {
            List<Long> claimed = result.get();
            if (!claimed.isEmpty()) {
                clientsWithClaims++;
            }
            claimed.forEach(id -> claimsPerItem.merge(id, 1, Integer::sum));
        }
        assertEquals(ITEMS, claimsPerItem.size(), "distinct items claimed");
        assertEquals(Set.of(1), new HashSet<>(claimsPerItem.values()), "claims per item");
        assertTrue(clientsWithClaims > 1, "claims were spread over several clients: " + clientsWithClaims);

        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FILTER (WHERE r.state = 'claimed'), count(DISTINCT h.item_id), count(h.id) "
                             + "FROM review_item r JOIN model_version v ON v.id = r.model_version_id "
                             + "LEFT JOIN review_history h ON h.item_id = r.id AND h.action = 'claim' WHERE v.model = ?")) {
            query.setString(1, model);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                assertEquals(ITEMS, rs.getLong(1), "items in state claimed");
                assertEquals(ITEMS, rs.getLong(2), "items with a claim in the history");
                assertEquals(ITEMS, rs.getLong(3), "claim rows in the history");
            }
        }
    }

    /** Claims items until the queue returns 204, and returns the ids received, bounded by the item count. */
    private List<Long> claimUntilEmpty(HttpClient client, String model, String reviewer) throws Exception {
        List<Long> claimed = new ArrayList<>();
        URI uri = URI.create(claimUrl + "?model=" + model);
        for (int attempt = 0; attempt <= ITEMS; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("X-API-Key", TestData.API_KEY).header("X-Reviewer", reviewer)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 204) {
                return claimed;
            }
            assertEquals(200, response.statusCode(), response.body());
            claimed.add(JSON.readTree(response.body()).get("id").asLong());
        }
        throw new AssertionError(reviewer + " received more claims than there are items");
    }
}
