"""Where an account comes from, in the admin: its identities at the provider (issuer, subject, last sign-in, roles
waiting for an administrator) and the roles the provider granted. Read only: a sign-in writes them; deleting an
identity unlinks it (the next sign-in links it again by e-mail address)."""

from django.contrib import admin

from registry.admin import UserAdmin

from .models import OidcIdentity, OidcRoleGrant


class OidcRoleGrantInline(admin.TabularInline):
    model = OidcRoleGrant
    extra = 0
    fields = ("membership", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "issuer", "subject", "last_login_at", "created_at")
    list_filter = ("issuer",)
    search_fields = ("user__username", "user__email", "user__last_name", "subject")
    list_select_related = ("user",)
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_login_at", "pending_roles")
    inlines = [OidcRoleGrantInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OidcIdentityInline(admin.TabularInline):
    """For the user's page of the admin (added to the register's UserAdmin below): where the account comes from."""

    model = OidcIdentity
    extra = 0
    fields = ("issuer", "subject", "created_at", "last_login_at", "pending_roles")
    readonly_fields = fields
    verbose_name_plural = OidcIdentity._meta.verbose_name_plural

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The user's page shows where the account comes from. sso sits above the register (STYLE.md layers), so it adds its
# inline to the register's user admin rather than the register importing sso.
UserAdmin.inlines = [*UserAdmin.inlines, OidcIdentityInline]
