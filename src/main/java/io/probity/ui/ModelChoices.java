package io.probity.ui;

import io.probity.model.ModelQueryService;
import io.probity.model.ModelSummary;
import io.probity.security.CurrentUser;

import java.util.List;

/** Model and version names for the filters of the views, limited to what the signed-in user may see. */
final class ModelChoices {

    private ModelChoices() {
    }

    /** Returns the names of the models the signed-in user may see, in name order. */
    static List<String> visibleModels(ModelQueryService models) {
        CurrentUser user = CurrentUser.get().orElse(null);
        return models.listModels().stream().map(ModelSummary::model)
                .filter(name -> user != null && user.mayAccessModel(name)).toList();
    }

    /** Returns whether the signed-in user may see {@code model}. */
    static boolean isVisible(String model) {
        return model != null && CurrentUser.get().map(user -> user.mayAccessModel(model)).orElse(false);
    }

    /** Returns a model's version names, oldest first; empty for no model or one the user may not see. */
    static List<String> versions(ModelQueryService models, String model) {
        if (!isVisible(model)) {
            return List.of();
        }
        return models.findModel(model)
                .map(summary -> summary.versions().stream().map(ModelSummary.VersionSummary::version).toList())
                .orElse(List.of());
    }
}
