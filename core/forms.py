"""Form bases shared by every app: Bootstrap classes, and a service's errors placed next to their fields."""

from __future__ import annotations

from django import forms


class ServiceForm(forms.Form):
    """A short form whose input a service validates: Bootstrap classes on every widget, and the service's errors
    put next to their fields (its message on top when no visible field holds them). Base of the triage,
    checkpoint, review and committee forms."""

    use_required_attribute = False  # the server validates; the page says what is missing next to the field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not widget.is_hidden:
                widget.attrs.setdefault("class", "form-control")
            if field.required and not widget.is_hidden:
                widget.attrs["aria-required"] = "true"

    def add_service_error(self, error) -> None:
        """Field errors next to their fields; the service's message on top when no visible field holds it."""
        visible = {name for name, field in self.fields.items() if not field.widget.is_hidden}
        placed = False
        for name, messages in (error.errors or {}).items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(name if name in visible else None, str(message))
                placed = True
        if not placed:
            self.add_error(None, str(error.message))
