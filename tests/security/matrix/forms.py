"""The forms a page shows, read as a browser reads them (stdlib `html.parser`): each `<form method="post">` with its
action and its fields, and the body a browser would post from it: what the form holds (its initial data), the
choice the form offers where it holds none, and a valid value in every required field left empty."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, number, date, email, file, submit...
    value: str = ""
    values: list = field(default_factory=list)  # selected options / checked boxes
    options: list = field(default_factory=list)  # (value, label) of a select, or the values of a radio group
    required: bool = False
    multiple: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list = field(default_factory=list)  # (name, value) of its submit buttons

    def body(self, fill: dict | None = None) -> dict:
        """What a person posts without touching anything, with `fill` on top (a value, or None to leave a field
        out); a required field the form leaves empty gets a valid value of its kind."""
        data: dict = {}
        for name, item in self.fields.items():
            if item.kind in ("submit", "button", "reset", "image", "file"):
                continue
            value = _value(item)
            if value not in (None, "", []):
                data[name] = value
        for name, value in (fill or {}).items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return data


def _value(item: Field):
    if item.kind == "checkbox":
        if item.values:
            return item.values if len(item.values) > 1 or item.multiple else item.values[0]
        return None
    if item.kind == "radio":
        if item.values:
            return item.values[0]
        return item.options[0] if item.required and item.options else None
    if item.kind == "select":
        chosen = item.values or ([] if item.multiple else [v for v, _ in item.options[:1]])
        if not item.multiple and not any(chosen) and item.required:
            chosen = [v for v, _ in item.options if v][:1]
        if item.multiple:
            return chosen
        return chosen[0] if chosen else None
    if item.value or not item.required:
        return item.value
    return _filler(item)


def _filler(item: Field) -> str:
    today = datetime.date.today()
    if item.kind == "date":
        return (today + datetime.timedelta(days=int(item.attrs.get("data-offset", 0)))).isoformat()
    if item.kind == "datetime-local":
        return datetime.datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    if item.kind == "number":
        return item.attrs.get("min") or "1"
    if item.kind == "email":
        return "personne@example.org"
    if item.kind == "url":
        return "https://example.org/"
    return "Texte de test"


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: list | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self.form = Form(action=attrs.get("action", ""))
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image") or not name:
                if kind == "submit":
                    self.form.buttons.append((name, attrs.get("value", "")))
                return
            item = self.form.fields.get(name)
            if kind in ("checkbox", "radio"):
                if item is None:
                    item = self.form.fields[name] = Field(name, kind, required="required" in attrs, attrs=attrs)
                    item.multiple = kind == "checkbox"
                item.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    item.values.append(attrs.get("value", "on"))
                item.required = item.required or "required" in attrs
            else:
                self.form.fields[name] = Field(
                    name, kind, value=attrs.get("value", ""), required="required" in attrs, attrs=attrs
                )
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit":
                self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select = self.form.fields[name] = Field(
                name, "select", required="required" in attrs, multiple="multiple" in attrs, attrs=attrs
            )
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "", "selected" in attrs]
        elif tag == "textarea" and name:
            self.textarea = self.form.fields[name] = Field(name, "textarea", required="required" in attrs, attrs=attrs)

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select":
            if self.option is not None:
                self._close_option()
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None

    def _close_option(self):
        value, label, selected = self.option
        value = label.strip() if value is None else value
        self.select.options.append((value, label.strip()))
        if selected:
            self.select.values.append(value)
        self.option = None


def post_forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms
