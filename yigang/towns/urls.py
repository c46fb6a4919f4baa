from django.urls import path

from . import account_views, admin_views, grant_views

app_name = "accounts"

urlpatterns = [
    # The user's own account.
    path("account/", account_views.profile, name="profile"),
    path("account/password/", account_views.ChangePasswordView.as_view(), name="password_change"),
    path("account/otp/", account_views.otp_verify, name="otp_verify"),
    path("account/otp/setup/", account_views.otp_setup, name="otp_setup"),
    path("account/otp/disable/", account_views.otp_disable, name="otp_disable"),
    # The 安委办's side of 三员分立: confirm the roles a system administrator asked for; audit disclosure.
    path("roles/", grant_views.grants, name="grants"),
    path("roles/<int:pk>/decide/", grant_views.grant_decide, name="grant_decide"),
    path("roles/audit-disclosure/", grant_views.audit_disclosure, name="audit_disclosure"),
    # The system administrator's account management.
    path("accounts/", admin_views.account_list, name="list"),
    path("accounts/new/", admin_views.account_create, name="create"),
    path("accounts/<int:pk>/", admin_views.account_detail, name="detail"),
    path("accounts/<int:pk>/roles/", admin_views.membership_add, name="membership_add"),
    path(
        "accounts/<int:pk>/roles/<int:membership_pk>/remove/",
        admin_views.membership_remove,
        name="membership_remove",
    ),
    path("accounts/<int:pk>/password/", admin_views.password_reset, name="password_reset"),
    path("accounts/<int:pk>/unlock/", admin_views.unlock, name="unlock"),
    path("accounts/<int:pk>/active/", admin_views.set_active, name="set_active"),
    path("accounts/<int:pk>/otp/reset/", admin_views.otp_reset, name="otp_reset"),
    path("accounts/<int:pk>/person/", admin_views.person_link, name="person_link"),
    path("accounts/<int:pk>/person/unlink/", admin_views.person_unlink, name="person_unlink"),
]
