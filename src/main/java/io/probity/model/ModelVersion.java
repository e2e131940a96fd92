package io.probity.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A version of a model, with its fixed class list and the audit settings users may override.
 * Ingestion creates rows through {@link ModelRegistry}; the UI edits the overrides through Panache.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String model;

    public String version;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> classes;

    @Column(name = "temperature_override")
    public Double temperatureOverride;

    @Column(name = "tolerance_override")
    public Double toleranceOverride;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static List<ModelVersion> forModel(String model) {
        return list("model = ?1 order by createdAt", model);
    }
}
