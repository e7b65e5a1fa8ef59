from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from django.apps import apps
        from django.contrib.auth import get_user_model
        from django.contrib.auth import signals as auth_signals
        from django.db.models import signals as model_signals
        from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

        from . import signals

        uid = "security_trail"
        auth_signals.user_logged_in.connect(signals.on_logged_in, dispatch_uid=f"{uid}_login")
        auth_signals.user_login_failed.connect(signals.on_login_failed, dispatch_uid=f"{uid}_login_failed")
        auth_signals.user_logged_out.connect(signals.on_logged_out, dispatch_uid=f"{uid}_logout")
        if apps.is_installed("axes"):
            from axes.signals import user_locked_out

            user_locked_out.connect(signals.on_locked_out, dispatch_uid=f"{uid}_locked_out")

        user_model = get_user_model()
        model_signals.pre_save.connect(signals.on_user_pre_save, sender=user_model, dispatch_uid=f"{uid}_user_pre")
        model_signals.post_save.connect(signals.on_user_post_save, sender=user_model, dispatch_uid=f"{uid}_user_post")
        model_signals.post_delete.connect(
            signals.on_user_post_delete, sender=user_model, dispatch_uid=f"{uid}_user_delete"
        )
        model_signals.m2m_changed.connect(
            signals.on_groups_changed, sender=user_model.groups.through, dispatch_uid=f"{uid}_groups"
        )

        membership = apps.get_model("registry", "Membership")
        model_signals.pre_save.connect(
            signals.on_membership_pre_save, sender=membership, dispatch_uid=f"{uid}_membership_pre"
        )
        model_signals.post_save.connect(
            signals.on_membership_post_save, sender=membership, dispatch_uid=f"{uid}_membership_post"
        )
        model_signals.post_delete.connect(
            signals.on_membership_post_delete, sender=membership, dispatch_uid=f"{uid}_membership_delete"
        )

        # Every object-permission table: guardian's generic ones and each direct foreign-key one
        # (UseCaseUserObjectPermission...), present and future, without naming them.
        for model in apps.get_models():
            if issubclass(model, (UserObjectPermissionBase, GroupObjectPermissionBase)):
                label = model._meta.label_lower
                model_signals.post_save.connect(
                    signals.on_object_permission_saved, sender=model, dispatch_uid=f"{uid}_perm_save_{label}"
                )
                model_signals.post_delete.connect(
                    signals.on_object_permission_deleted, sender=model, dispatch_uid=f"{uid}_perm_delete_{label}"
                )
