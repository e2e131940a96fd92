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
import io.probity.security.UserService;
import com.vaadin.flow.server.VaadinRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;

/** The only page an anonymous visitor can open. */
@Route("login")
@PageTitle("Sign in | Probity")
public class LoginView extends VerticalLayout {

    private final UserService accounts;
    private final java.time.Duration sessionTimeout;
    private final LoginForm form = new LoginForm();

    @Inject
    public LoginView(UserService accounts,
                     @ConfigProperty(name = "probity.session-timeout", defaultValue = "PT30M")
                     java.time.Duration sessionTimeout) {
        this.accounts = accounts;
        this.sessionTimeout = sessionTimeout;
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        configureForm();
        add(new H1("Probity"), new Paragraph("Softmax audit, calibration and review for classifiers."), form);
    }

    private void configureForm() {
        form.setForgotPasswordButtonVisible(false);
        form.addLoginListener(event -> {
            String address = VaadinRequest.getCurrent() == null ? "unknown" : VaadinRequest.getCurrent().getRemoteAddr();
            var user = accounts.authenticate(event.getUsername(), event.getPassword(), address, true);
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
        VaadinSession.getCurrent().getSession().setMaxInactiveInterval((int) sessionTimeout.toSeconds());
        getUI().ifPresent(ui -> ui.navigate(OverviewView.class));
    }
}
