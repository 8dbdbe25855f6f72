"""The import pages, in the admin: upload, preview, confirm; and the record of imports."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from groups.models import Person
from imports import forms, services, spreadsheets
from imports.models import ImportKind, ImportRecord, ImportStatus
from imports.publications import NAME

# Who may import what: add permission on the models an import creates.
PERMISSIONS = {
    ImportKind.PEOPLE: ["groups.add_person", "groups.add_membership"],
    ImportKind.PUBLICATIONS: ["publications.add_publication"],
}
# How many of each kind of record the import's page links (a large import made thousands).
RECORD_LINKS = 200
UPLOAD_FORMS = {
    ImportKind.PEOPLE: forms.PeopleUploadForm,
    ImportKind.PUBLICATIONS: forms.PublicationsUploadForm,
}


def may_import(user, kind):
    return user.is_active and user.is_staff and user.has_perms(PERMISSIONS[kind])


def _check(request, kind):
    if not may_import(request.user, kind):
        raise PermissionDenied


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "kind",
        "status",
        "created_by",
        "created_at",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    fields = [
        "kind",
        "status",
        "file_name",
        "attachments_name",
        "created_by",
        "created_at",
        "imported_at",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
        "records",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("records"))
    def records(self, record):
        """Links to what the import made or changed (the first RECORD_LINKS of each kind)."""
        parts = []
        for manager in (
            record.people,
            record.memberships.select_related("person", "group"),
            record.publications.only("title"),
        ):
            total = manager.count()
            if not total:
                continue
            links = [
                (
                    reverse(
                        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
                    ),
                    obj,
                )
                for obj in manager.all()[:RECORD_LINKS]
            ]
            more = total - len(links)
            parts.append(
                format_html(
                    "<p>{} ({})</p><ul>{}</ul>{}",
                    manager.model._meta.verbose_name_plural.capitalize(),
                    total,
                    format_html_join("", '<li><a href="{}">{}</a></li>', links),
                    format_html("<p>{}</p>", _("and %(count)d more") % {"count": more})
                    if more
                    else "",
                )
            )
        return format_html_join("", "{}", ((part,) for part in parts)) if parts else "-"

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "people/",
                view(self.upload_view),
                {"kind": ImportKind.PEOPLE},
                name="imports_people",
            ),
            path(
                "publications/",
                view(self.upload_view),
                {"kind": ImportKind.PUBLICATIONS},
                name="imports_publications",
            ),
            path("people-template.csv", view(self.template_view), name="imports_template"),
            path("<int:pk>/preview/", view(self.preview_view), name="imports_preview"),
            *super().get_urls(),
        ]

    def _context(self, request, **kwargs):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **kwargs}

    def upload_view(self, request, kind):
        """The upload form; a valid upload is kept and previewed (nothing imported yet)."""
        _check(request, kind)
        form = UPLOAD_FORMS[kind](request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload, pdfs = form.cleaned_data["file"], form.cleaned_data.get("pdfs")
            record = services.record_upload(
                kind=kind,
                user=request.user,
                file_name=upload.name,
                data=upload.read(),
                attachments_name=pdfs.name if pdfs else "",
                attachments=pdfs.read() if pdfs else b"",
            )
            return redirect("admin:imports_preview", record.pk)
        title = ImportKind(kind).label
        return render(
            request,
            "admin/imports/upload.html",
            self._context(request, form=form, title=title, kind=kind),
        )

    def template_view(self, request):
        _check(request, ImportKind.PEOPLE)
        response = HttpResponse(spreadsheets.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="people-template.csv"'
        return response

    def preview_view(self, request, pk):
        """The dry run, row by row; a POST confirms and imports in one transaction."""
        record = get_object_or_404(ImportRecord, pk=pk, created_by=request.user)
        _check(request, record.kind)
        if record.status == ImportStatus.DONE:
            return redirect("admin:imports_importrecord_change", record.pk)
        if request.method == "POST":
            try:
                if record.kind == ImportKind.PEOPLE:
                    report = services.people_import(record=record)
                else:
                    report = services.publications_import(record=record, choices=_choices(request))
            except services.ImportFailed as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                counts = report.counts
                self.message_user(
                    request,
                    _(
                        "Imported: %(create)d created, %(update)d updated, %(skip)d skipped, "
                        "%(error)d left out with errors."
                    )
                    % counts,
                    messages.SUCCESS,
                )
                return redirect("admin:imports_importrecord_change", record.pk)
        report = services.preview(record=record)
        return render(
            request,
            "admin/imports/preview.html",
            self._context(
                request,
                record=record,
                report=report,
                title=_("Preview of %(file)s") % {"file": record.file_name},
                name_choice=NAME,
            ),
        )


def _choices(request):
    """The editor's author choices: {(entry, author index): Person or NAME}."""
    wanted = {}
    for key, value in request.POST.items():
        parts = key.split("-")
        if (
            len(parts) != 3
            or parts[0] != "author"
            or not (parts[1].isdigit() and parts[2].isdigit())
        ):
            continue
        if value == NAME:
            wanted[int(parts[1]), int(parts[2])] = NAME
        elif value.isdigit():
            wanted[int(parts[1]), int(parts[2])] = int(value)
    people = Person.objects.in_bulk({v for v in wanted.values() if v != NAME})
    return {
        key: (NAME if value == NAME else people[value])
        for key, value in wanted.items()
        if value == NAME or value in people
    }
