"""Signal handlers that turn sign-ins, account changes, roles and object permissions into security events.

Connected in `SecurityConfig.ready`. Bulk writes (`bulk_create`, `QuerySet.update`) send no signal: guardian's
`assign_perm` on a queryset is one of them and is recorded by the service calling it, not here.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db.models import QuerySet

from .models import SecurityEvent
from .services import record_event

Kind = SecurityEvent.Kind
USER_FLAGS = ("is_active", "is_staff", "is_superuser")
_SNAPSHOT = "_security_snapshot"


# Sign-in, sign-out, lockout ----------------------------------------------------------------------


def on_logged_in(sender, request, user, **kwargs):
    # How: the backend that signed the person in (a password: ModelBackend; the provider: sso.backends.OidcBackend).
    session = getattr(request, "session", None)
    backend = session.get(BACKEND_SESSION_KEY, "") if session is not None else ""
    details = {"backend": backend} if backend else None
    record_event(kind=Kind.LOGIN_SUCCEEDED, request=request, actor=user, subject_user=user, details=details)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; only the username is kept anyway.
    username = str(credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD) or "")
    record_event(
        kind=Kind.LOGIN_FAILED,
        request=request,
        actor=None,
        subject_user=_user_named(username),
        username_attempted=username,
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(kind=Kind.LOGOUT, request=request, actor=user, subject_user=user)


def on_locked_out(sender, request, username, ip_address=None, **kwargs):
    record_event(
        kind=Kind.LOCKED_OUT,
        request=request,
        actor=None,
        subject_user=_user_named(username),
        username_attempted=username or "",
    )


def _user_named(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()


# Accounts ------------------------------------------------------------------------------------------


def on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the password hash and the flags as stored, to tell after saving what changed."""
    if raw or instance.pk is None or instance._state.adding:
        return
    watched = ("password", *USER_FLAGS)
    if update_fields is not None and not set(update_fields) & set(watched):
        return  # e.g. `last_login` at every sign-in: nothing to compare, no query
    stored = sender._default_manager.filter(pk=instance.pk).values(*watched).first()
    setattr(instance, _SNAPSHOT, stored)


def on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record_event(
            kind=Kind.USER_CREATED,
            subject_user=instance,
            obj=instance,
            details={flag: getattr(instance, flag) for flag in USER_FLAGS},
        )
        return
    stored = instance.__dict__.pop(_SNAPSHOT, None)
    if not stored:
        return
    if stored["password"] != instance.password:
        record_event(kind=Kind.PASSWORD_CHANGED, subject_user=instance, obj=instance)
    changed = {
        flag: {"from": stored[flag], "to": getattr(instance, flag)}
        for flag in USER_FLAGS
        if stored[flag] != getattr(instance, flag)
    }
    if changed:
        record_event(kind=Kind.USER_FLAGS_CHANGED, subject_user=instance, obj=instance, details=changed)


def on_user_post_delete(sender, instance, **kwargs):
    record_event(
        kind=Kind.USER_DELETED,
        obj=instance,
        details={"username": instance.get_username()},
    )


def on_groups_changed(sender, instance, action, pk_set, model, **kwargs):
    """A person added to or removed from groups (from the person's side only: `user.groups.add(...)`)."""
    if action not in ("post_add", "post_remove") or not isinstance(instance, get_user_model()) or not pk_set:
        return
    kind = Kind.GROUP_JOINED if action == "post_add" else Kind.GROUP_LEFT
    for group in model._default_manager.filter(pk__in=pk_set):
        record_event(kind=kind, subject_user=instance, obj=group)


# Roles (memberships) -------------------------------------------------------------------------------


def _membership_state(membership) -> dict:
    return {"role": membership.role, "service_id": membership.service_id, "collectivite_id": membership.collectivite_id}


def _role_details(membership) -> dict:
    service = membership.service if membership.service_id else None
    return {
        "role": membership.role,
        "service_id": membership.service_id,
        "service": str(service) if service is not None else "",
    }


def on_membership_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values("role", "service_id", "collectivite_id").first()
    setattr(instance, _SNAPSHOT, stored)


def on_membership_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record_event(
            kind=Kind.ROLE_GRANTED,
            subject_user=instance.user,
            collectivite=instance.collectivite,
            obj=instance,
            details=_role_details(instance),
        )
        return
    stored = instance.__dict__.pop(_SNAPSHOT, None)
    if not stored or stored == _membership_state(instance):
        return
    details = _role_details(instance)
    details["before"] = stored
    record_event(
        kind=Kind.ROLE_CHANGED,
        subject_user=instance.user,
        collectivite=instance.collectivite,
        obj=instance,
        details=details,
    )


def _cascade_from(origin, model) -> bool:
    """Whether the deletion started from an instance (or queryset) of `model`."""
    if isinstance(origin, QuerySet):
        return issubclass(origin.model, model)
    return isinstance(origin, model)


def on_membership_post_delete(sender, instance, origin=None, **kwargs):
    Collectivite = apps.get_model("registry", "Collectivite")
    if _cascade_from(origin, Collectivite):
        return  # the whole collectivité is gone, with its trail's link to it
    user_deleted = _cascade_from(origin, get_user_model())
    details = {"role": instance.role, "service_id": instance.service_id}
    if user_deleted:
        details["user_id"] = instance.user_id
    record_event(
        kind=Kind.ROLE_REVOKED,
        # The person's row is being deleted in this very transaction: no link to it.
        subject_user=None if user_deleted else instance.user,
        collectivite=instance.collectivite,
        obj=instance,
        details=details,
    )


# Object permissions (django-guardian) --------------------------------------------------------------


def _permission_target(instance):
    """The protected object, whether the permission row has a direct foreign key or a generic one."""
    return getattr(instance, "content_object", None)


def on_object_permission_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    _record_permission(Kind.PERMISSION_GRANTED, instance)


def on_object_permission_deleted(sender, instance, origin=None, **kwargs):
    # Only a permission removed for itself (guardian's remove_perm, the admin): not one that goes with the
    # deletion of its object, its person or its group, which are recorded (or not) on their own.
    if not _cascade_from(origin, sender):
        return
    _record_permission(Kind.PERMISSION_REVOKED, instance)


def _record_permission(kind, instance):
    target = _permission_target(instance)
    user = getattr(instance, "user", None)
    group = getattr(instance, "group", None)
    details = {"permission": instance.permission.codename}
    if group is not None:
        details["group"] = str(group)
    record_event(
        kind=kind,
        subject_user=user,
        collectivite=getattr(target, "collectivite", None) if target is not None else None,
        obj=target,
        details=details,
    )
