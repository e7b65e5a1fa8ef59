from django.contrib import admin

from .models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    """The letterhead of the letters (the requests themselves are handled in the app, never in the admin)."""

    list_display = ("collectivite", "place", "contact_email")
    search_fields = ("collectivite__name",)
