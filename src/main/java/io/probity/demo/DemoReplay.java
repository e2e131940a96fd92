package io.probity.demo;

import io.probity.ingest.IngestResponse;
import io.probity.ingest.IngestService;
import io.probity.security.Principal;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * With {@code probity.demo=true} (env {@code PROBITY_DEMO}), replays the digits predictions,
 * first the reference week then the shifted week, through {@link IngestService}, the code path
 * behind {@code POST /api/v1/predictions}. It runs in the background after start, in batches, so
 * the dashboards fill while the app is already usable. Restarts are harmless: records already
 * stored come back as duplicates.
 */
@ApplicationScoped
public class DemoReplay {

    private static final Logger LOG = Logger.getLogger(DemoReplay.class);
    static final List<String> FILES = List.of("demo/digits/reference.ndjson", "demo/digits/shifted.ndjson");
    private static final int BATCH_SIZE = 100;

    @ConfigProperty(name = "probity.demo")
    boolean enabled;

    @Inject
    IngestService ingestService;

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        Thread replay = new Thread(this::replayAll, "probity-demo-replay");
        replay.setDaemon(true);
        replay.start();
    }

    /** Replays both files and returns how many records were accepted. */
    public int replayAll() {
        int accepted = 0;
        for (String file : FILES) {
            try {
                accepted += replay(file);
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "Demo replay of %s failed", file);
                return accepted;
            }
        }
        return accepted;
    }

    private int replay(String resource) throws IOException {
        int accepted = 0;
        int duplicates = 0;
        try (InputStream in = DemoReplay.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Demo data " + resource + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> batch = new ArrayList<>(BATCH_SIZE);
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    batch.add(line);
                }
                if (batch.size() == BATCH_SIZE) {
                    IngestResponse response = send(batch);
                    accepted += response.accepted();
                    duplicates += response.duplicates();
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                IngestResponse response = send(batch);
                accepted += response.accepted();
                duplicates += response.duplicates();
            }
        }
        LOG.infof("Demo replay of %s: %d accepted, %d already stored", resource, accepted, duplicates);
        return accepted;
    }

    private IngestResponse send(List<String> lines) {
        byte[] body = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        return ingestService.ingest(new ByteArrayInputStream(body), true, Principal.SYSTEM);
    }
}
