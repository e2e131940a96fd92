package io.probity.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinSession;
import io.probity.security.CurrentUser;
import io.probity.security.UserAccounts;
import jakarta.inject.Inject;

/** The only page an anonymous visitor can open. */
@Route("login")
@PageTitle("Sign in | Probity")
public class LoginView extends VerticalLayout {

    private final UserAccounts accounts;
    private final LoginForm form = new LoginForm();

    @Inject
    public LoginView(UserAccounts accounts) {
        this.accounts = accounts;
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        configureForm();
        add(new H1("Probity"), new Paragraph("Softmax audit, calibration and review for classifiers."), form);
    }

    private void configureForm() {
        form.setForgotPasswordButtonVisible(false);
        form.addLoginListener(event -> {
            var user = accounts.authenticate(event.getUsername(), event.getPassword());
            if (user.isEmpty()) {
                form.setError(true);
                return;
            }
            signIn(user.get());
        });
    }

    private void signIn(CurrentUser user) {
        // A new HTTP session id after login prevents session fixation.
        VaadinService.reinitializeSession(VaadinServletRequest.getCurrent());
        VaadinSession.getCurrent().setAttribute(CurrentUser.class, user);
        getUI().ifPresent(ui -> ui.navigate(OverviewView.class));
    }
}
