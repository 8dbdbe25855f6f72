"""People and their roles from a spreadsheet, with django-import-export.

django-import-export gives the row-by-row machinery (a dry run inside a transaction
rolled back, the row's fate as new / update / skip / invalid, each field's error) and
saves each person through the model's save(), so history records every change. What is
particular to the JLI lives here: a person is matched by ORCID, then e-mail, then exact
name; a row may also give a role in a group, which is added when the person does not
hold it yet; and a row that changes nothing is skipped as a duplicate.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets

from groups.models import Group, Membership, Person, Role
from publications.citations import name_parts

# Dates as editors type them: ISO first, then day first (the JLI is international).
DATE_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
    "%m/%Y",
    "%B %Y",
    "%Y",
]
ORCID_IN_TEXT = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)


def parse_date(value):
    """A date typed in one of DATE_FORMATS; ValueError says which formats work."""
    value = " ".join(str(value or "").split())
    if not value:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date; write it like 2003-01-15, 15/01/2003 or 15 January 2003.")
        % {"value": value}
    )


class CountryWidget(widgets.Widget):
    """A country by its two-letter code or its English name."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return ""
        if value.upper() in countries:
            return value.upper()
        if code := countries.by_name(value):
            return code
        raise ValueError(
            _("“%(value)s” is not a country; write its English name or code, like Kenya or KE.")
            % {"value": value}
        )


class OrcidWidget(widgets.CharWidget):
    """An ORCID iD, also when pasted as its web address."""

    def clean(self, value, row=None, **kwargs):
        match = ORCID_IN_TEXT.search(str(value or ""))
        return match.group(1).upper() if match else (value or "").strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return " ".join(str(value or "").split())


def _text_field(attribute):
    return fields.Field(attribute=attribute, column_name=attribute, widget=TextWidget())


class PersonResource(resources.ModelResource):
    given_name = _text_field("given_name")
    family_name = _text_field("family_name")
    honorific = _text_field("honorific")
    affiliation = _text_field("affiliation")
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    orcid = fields.Field(attribute="orcid", column_name="orcid", widget=OrcidWidget())

    class Meta:
        model = Person
        fields = (
            "given_name",
            "family_name",
            "honorific",
            "affiliation",
            "country",
            "email",
            "orcid",
        )
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_instance = True
        skip_html_diff = True

    # --- Matching: each person once, by ORCID, then e-mail, then exact name -----------

    # An imports.progress.Progress counting the rows, or None.
    progress = None

    def before_import(self, dataset, **kwargs):
        if self.progress is not None:
            self.progress.start(len(dataset))
        self.by_orcid, self.by_email, self.by_name, self.slugs = {}, {}, {}, set()
        for person in Person.objects.all():
            self._remember(person)
        self.groups = {}
        for group in Group.objects.all():
            for key in (group.name, group.slug):
                self.groups[key.casefold()] = group
        self.roles = {}
        for value, label in Role.choices:
            self.roles[value] = value
            self.roles[str(label).casefold()] = value
            self.roles[value.replace("_", " ")] = value
        self.memberships = {
            (m.person_id, m.group_id, m.role, m.start_date)
            for m in Membership.objects.only("person_id", "group_id", "role", "start_date")
        }

    def _remember(self, person):
        if person.orcid:
            self.by_orcid[person.orcid] = person
        if person.email:
            self.by_email.setdefault(person.email.casefold(), person)
        self.by_name.setdefault(_name_key(person.given_name, person.family_name), person)
        self.slugs.add(person.slug)

    def before_import_row(self, row, **kwargs):
        """Split a full name, and check the role's columns (group, role, dates)."""
        if row.get("name") and not (row.get("given_name") or row.get("family_name")):
            family, given = name_parts(" ".join(row["name"].split()))
            row["given_name"], row["family_name"] = given, family
        errors = {}
        membership = {}
        group_name = " ".join(str(row.get("group") or "").split())
        role_name = " ".join(str(row.get("role") or "").split()).casefold()
        if group_name:
            membership["group"] = self.groups.get(group_name.casefold())
            if membership["group"] is None:
                errors["group"] = _(
                    "There is no group “%(name)s” on the site; create it first or correct the name."
                ) % {"name": group_name}
        if role_name:
            membership["role"] = self.roles.get(role_name)
            if membership["role"] is None:
                errors["role"] = _("“%(role)s” is not a role; use one of: %(roles)s.") % {
                    "role": row.get("role"),
                    "roles": ", ".join(str(label) for _value, label in Role.choices),
                }
        elif group_name:
            membership["role"] = Role.MEMBER
        for column in ("start_date", "end_date"):
            try:
                membership[column] = parse_date(row.get(column))
            except ValueError as error:
                errors[column] = str(error)
        start, end = membership.get("start_date"), membership.get("end_date")
        if start and end and end < start:
            errors["end_date"] = _("A role cannot end before it starts.")
        if (row.get("role") or membership.get("start_date")) and not group_name:
            errors["group"] = _("A role needs the group it is held in.")
        if errors:
            raise ValidationError(errors)
        row["_membership"] = membership if group_name else None

    def get_instance(self, instance_loader, row):
        orcid = OrcidWidget().clean(row.get("orcid"))
        email = (row.get("email") or "").strip().casefold()
        name = _name_key(row.get("given_name"), row.get("family_name"))
        for how, index, key in (
            ("orcid", self.by_orcid, orcid),
            ("email", self.by_email, email),
            ("name", self.by_name, name),
        ):
            if key and key in index:
                index[key].import_match = how
                return index[key]
        return None

    def init_instance(self, row=None):
        return Person()

    # --- What changes: the person's fields, and a role not yet held -------------------

    def _new_membership(self, instance, row):
        wanted = row.get("_membership")
        if not wanted:
            return None
        key = (instance.pk, wanted["group"].pk, wanted["role"], wanted["start_date"])
        if instance.pk and key in self.memberships:
            return None
        return Membership(
            person=instance if instance.pk else None,
            group=wanted["group"],
            role=wanted["role"],
            start_date=wanted["start_date"],
            end_date=wanted["end_date"],
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        instance.import_changes = [
            field.column_name
            for field in self.get_import_fields()
            if original is not None
            and original.pk
            and field.column_name in row
            and getattr(instance, field.attribute) != getattr(original, field.attribute)
        ]
        instance.import_membership = self._new_membership(instance, row)
        if instance.import_membership is not None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if not instance.slug:
            instance.slug = self._unique_slug(instance)
        errors = dict(import_validation_errors or {})
        membership = instance.import_membership
        if membership is not None and instance.pk:
            # The same role from the same date was left out already (_new_membership);
            # an overlapping period of the same role is refused as the admin does.
            membership.person = instance
            try:
                membership.clean()
            except ValidationError as error:
                errors.setdefault("role", []).extend(error.messages)
        try:
            # The country was checked by its widget, the slug made unique against every
            # slug read in before_import: the model's checks of both (a scan of 250
            # countries, a query) would cost more than the rest of the row.
            instance.full_clean(exclude=["country", *errors], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _unique_slug(self, person):
        base = slugify(f"{person.given_name} {person.family_name}")[:110] or "person"
        slug, number = base, 1
        while slug in self.slugs:
            number += 1
            slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.progress is not None:
            self.progress.step()

    def after_save_instance(self, instance, row, **kwargs):
        self._remember(instance)
        membership = instance.import_membership
        if membership is not None:
            membership.person = instance
            membership.save()
            self.memberships.add(
                (instance.pk, membership.group_id, membership.role, membership.start_date)
            )


def _name_key(given, family):
    given = " ".join(str(given or "").split()).casefold()
    family = " ".join(str(family or "").split()).casefold()
    return f"{given}|{family}" if family else ""
