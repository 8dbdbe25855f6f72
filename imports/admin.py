"""The import pages, in the admin: upload, preview, confirm; and the record of imports."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from imports import forms, progress, revert, services, spreadsheets, tasks
from imports.models import ImportKind, ImportRecord, ImportStatus
from imports.publications import NAME

# Who may import what: add permission on the models an import creates.
PERMISSIONS = {
    ImportKind.PEOPLE: ["groups.add_person", "groups.add_membership"],
    ImportKind.PUBLICATIONS: ["publications.add_publication"],
}
# How many of each kind of record the import's page links (a large import made thousands).
RECORD_LINKS = 200
# Rows of a people preview per page (a publications preview is one form: all its rows).
PREVIEW_ROWS = 500
# Seconds between two looks of the status page while a task runs (meta refresh).
REFRESH_SECONDS = 3
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
        "failure",
        "reverted_by",
        "reverted_at",
        "records",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        may = (
            record is not None
            and record.status == ImportStatus.DONE
            and revert.may_revert(request.user, record)
        )
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "may_revert": may}
        )

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
            path("<int:pk>/revert/", view(self.revert_view), name="imports_revert"),
            *super().get_urls(),
        ]

    def _context(self, request, **kwargs):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **kwargs}

    def upload_view(self, request, kind):
        """The upload form; a valid upload is kept and its preview queued (nothing imported)."""
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
            tasks.preview_import.enqueue(record_id=record.pk, language=get_language())
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
        """The upload's page: its task's progress, then the stored preview to confirm.

        A POST "confirm" queues the import of what the preview showed; "again" queues a
        new preview (after a failure, or when the site changed since).
        """
        record = get_object_or_404(ImportRecord, pk=pk, created_by=request.user)
        _check(request, record.kind)
        if record.status == ImportStatus.DONE:
            # The progress page's last refresh lands here: say what the import did.
            self.message_user(
                request,
                _(
                    "Imported: %(create)d created, %(update)d updated, %(skip)d skipped, "
                    "%(error)d left out with errors."
                )
                % {
                    "create": record.created_count,
                    "update": record.updated_count,
                    "skip": record.skipped_count,
                    "error": record.error_count,
                },
                messages.SUCCESS,
            )
        if record.status in (ImportStatus.DONE, ImportStatus.REVERTED):
            return redirect("admin:imports_importrecord_change", record.pk)
        if record.status == ImportStatus.PREVIEWED and "decisions" not in record.preview:
            # Previewed before previews were stored: made again, by a worker.
            if ImportRecord.objects.filter(pk=pk, status=ImportStatus.PREVIEWED).update(
                status=ImportStatus.PREVIEWING, progress_done=0, started_at=None
            ):
                tasks.preview_import.enqueue(record_id=record.pk, language=get_language())
            return redirect("admin:imports_preview", record.pk)
        if request.method == "POST":
            return self._preview_post(request, record)
        title = _("Preview of %(file)s") % {"file": record.file_name}
        context = self._context(request, record=record, title=title)
        if record.status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING):
            done, total = progress.read(record)
            context.update(done=done, total=total, refresh=REFRESH_SECONDS)
            return render(request, "admin/imports/progress.html", context)
        stored = record.preview or {}
        rows = stored.get("rows", [])
        page = None
        if record.kind == ImportKind.PEOPLE and len(rows) > PREVIEW_ROWS:
            page = Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
            rows = page.object_list
        context.update(
            rows=rows,
            page=page,
            notes=stored.get("notes", []),
            counts={
                "create": record.created_count,
                "update": record.updated_count,
                "skip": record.skipped_count,
                "error": record.error_count,
            },
            name_choice=NAME,
        )
        return render(request, "admin/imports/preview.html", context)

    def _preview_post(self, request, record):
        queued = ImportRecord.objects.filter(pk=record.pk)
        if "again" in request.POST and record.status in (
            ImportStatus.PREVIEWED,
            ImportStatus.FAILED,
        ):
            if queued.filter(status=record.status).update(
                status=ImportStatus.PREVIEWING, progress_done=0, failure="", started_at=None
            ):
                tasks.preview_import.enqueue(record_id=record.pk, language=get_language())
        # Once: a second click (or a second tab) finds the import already queued.
        elif record.status == ImportStatus.PREVIEWED and queued.filter(
            status=ImportStatus.PREVIEWED
        ).update(
            status=ImportStatus.IMPORTING,
            progress_done=0,
            started_at=None,
            choices=_choices(request),
        ):
            tasks.run_import.enqueue(record_id=record.pk, language=get_language())
        return redirect("admin:imports_preview", record.pk)

    def revert_view(self, request, pk):
        """Ask, then undo the import as one change (imports/revert.py)."""
        record = get_object_or_404(ImportRecord, pk=pk)
        if not revert.may_revert(request.user, record):
            raise PermissionDenied
        change_url = reverse("admin:imports_importrecord_change", args=[record.pk])
        try:
            planned = revert.plan(record)
        except revert.RevertRefused as refused:
            planned, refusal = None, str(refused)
        else:
            refusal = ""
        if request.method == "POST" and planned is not None:
            try:
                asked = revert.ask(record=record, user=request.user)
            except revert.RevertRefused as refused:
                refusal = str(refused)
            else:
                if asked:
                    tasks.revert_import.enqueue(record_id=record.pk, language=get_language())
                record.refresh_from_db()
                names = {"file": record.file_name}
                if record.status == ImportStatus.REVERTED:
                    message = _("The import of %(file)s was reverted.") % names
                    level = messages.SUCCESS
                elif record.status == ImportStatus.REVERTING:
                    message = (
                        _(
                            "A worker is reverting the import of %(file)s; reload this page "
                            "to see when it is done."
                        )
                        % names
                    )
                    level = messages.INFO
                else:
                    message, level = record.failure, messages.ERROR
                self.message_user(request, message, level)
                return redirect(change_url)
        title = _("Revert the import of %(file)s") % {"file": record.file_name}
        return render(
            request,
            "admin/imports/revert.html",
            self._context(
                request,
                record=record,
                planned=planned,
                refusal=refusal,
                title=title,
                change_url=change_url,
            ),
        )


def _choices(request):
    """The editor's author choices, as stored: {"entry-author index": person id or NAME}."""
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
            wanted[f"{parts[1]}-{parts[2]}"] = NAME
        elif value.isdigit():
            wanted[f"{parts[1]}-{parts[2]}"] = int(value)
    return wanted
