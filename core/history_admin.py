"""The secretariat's desk for history: each record's versions, comparing two of them,
reverting to one, and the audit log of every change with the restore of deleted records.

`HistoryAdminMixin` goes on each content ModelAdmin (the record's History page and its
compare and revert pages); `audit_log` and `restore` are the admin-wide pages, wired
under /admin/history/ by the site's URLs (`history_urls`). Who may: seeing history and
comparing needs the model's view permission, reverting its change permission, restoring
a deleted record its add permission (core/history.py does the work).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from core import history

VERSIONS_PER_PAGE = 50
CHANGES_PER_PAGE = 50


class CompareForm(forms.Form):
    """Which two versions to compare (ids of history rows); `to` defaults to the newest,
    `from` to the version before `to`."""

    to = forms.IntegerField(required=False, min_value=1)
    # "from" is a Python keyword: the field is read from the data by its name.
    from_ = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, *args, **kwargs):
        data = {"to": data.get("to"), "from_": data.get("from")}
        super().__init__(data, *args, **kwargs)


def _version_url(opts, object_id, to=None, from_=None):
    url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_history_compare", args=[quote(object_id)]
    )
    query = "&".join(
        f"{name}={value}" for name, value in (("from", from_), ("to", to)) if value is not None
    )
    return f"{url}?{query}" if query else url


class HistoryAdminMixin:
    """A content ModelAdmin's History page from the record's versions (who, when, which
    fields), with a comparison of any two versions and a revert to any of them."""

    object_history_template = "admin/core/history/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                wrap(require_safe(self.history_compare_view)),
                name=f"{name}_history_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/revert/",
                wrap(self.history_revert_view),
                name=f"{name}_history_revert",
            ),
            *super().get_urls(),
        ]

    def _versions(self, object_id):
        """The record's versions, newest first (they outlive a deleted record)."""
        history_model = history.history_model_of(self.model)
        return history_model.objects.filter(**{self.model._meta.pk.attname: object_id}).order_by(
            "-history_date", "-history_id"
        )

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        page = Paginator(
            self._versions(obj.pk).select_related("history_user"), VERSIONS_PER_PAGE
        ).get_page(request.GET.get("page"))
        records = list(page)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural),
            "page_obj": page,
            "rows": [
                {
                    "record": record,
                    "kind": history.CHANGE_KINDS[record.history_type],
                    "compare_url": _version_url(self.opts, obj.pk, to=record.history_id),
                    "revert_url": reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_history_revert",
                        args=[quote(obj.pk), record.history_id],
                    ),
                }
                for record in records
            ],
            "compare_action": _version_url(self.opts, obj.pk),
            "may_revert": self.has_change_permission(request, obj),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def history_compare_view(self, request, object_id):
        """Two versions field by field (any record's, even deleted: the audit log links
        here). `?from=` and `?to=` name them; by default the newest and its previous."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = CompareForm(request.GET)
        if not form.is_valid():
            raise Http404
        versions = self._versions(unquote(object_id))
        to_id, from_id = form.cleaned_data["to"], form.cleaned_data["from_"]
        after = versions.filter(history_id=to_id).first() if to_id else versions.first()
        if after is None:
            raise Http404
        before = (
            versions.filter(history_id=from_id).first()
            if from_id
            else history.previous_version(after)
        )
        if from_id and before is None:
            raise Http404
        if before is not None and (before.history_date, before.history_id) > (
            after.history_date,
            after.history_id,
        ):
            before, after = after, before
        obj = self.model._base_manager.filter(pk=after.instance.pk).first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions: %(object)s")
            % {"object": history.record_name(obj or after.history_object)},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "before": before,
            "after": after,
            "before_kind": history.CHANGE_KINDS[before.history_type] if before else "",
            "after_kind": history.CHANGE_KINDS[after.history_type],
            "differences": history.compare(self.model, before, after),
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(after.instance.pk)],
            )
            if obj
            else None,
            "revert_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history_revert",
                args=[quote(obj.pk), before.history_id],
            )
            if obj and before and self.has_change_permission(request, obj)
            else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/history/compare.html", context)

    def history_revert_view(self, request, object_id, history_id):
        """GET: what reverting would change, and a button; POST: revert (a new version)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(obj.pk)
        record = versions.filter(history_id=history_id).first()
        if record is None or record.history_type == "-":
            raise Http404
        if request.method == "POST":
            return self._revert(request, obj, record)
        current = versions.first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert %(object)s?") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "record": record,
            "differences": history.compare(self.model, current, record),
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(obj.pk)],
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/history/revert_confirm.html", context)

    def _revert(self, request, obj, record):
        try:
            skipped = history.version_revert(record=record, user=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("This version cannot come back: %(reason)s")
                % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return redirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                    args=[quote(obj.pk)],
                )
            )
        self.message_user(
            request,
            _("%(object)s is back as it was on %(date)s.")
            % {"object": obj._meta.verbose_name.capitalize(), "date": record.history_date},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(request, _skipped_message(skipped), messages.WARNING)
        return redirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)]
            )
        )


def _skipped_message(count):
    return ngettext(
        "%(count)d linked row could not come back: it names a record deleted since.",
        "%(count)d linked rows could not come back: they name records deleted since.",
        count,
    ) % {"count": count}


# --- The audit log and the restore of deleted records ------------------------------------


class AuditLogForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("Anybody"),
    )
    model = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, *, models_shown):
        super().__init__(data)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_staff=True).order_by("username")
        )
        self.fields["model"].choices = [("", _("Every kind"))] + [
            (model._meta.label_lower, str(model._meta.verbose_name_plural).capitalize())
            for model in models_shown
        ]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError(_("The start of the period comes after its end."))
        return data


def _viewable_models(user):
    return [model for model in history.tracked_models() if history.may(user, model, "view")]


def _rows(page_rows, user):
    """The page's changes with their records, users and links, in a fixed number of
    queries: one per kind of record on the page (plus its related names), one for users."""
    by_label = {}
    for label, history_id, *_rest in page_rows:
        by_label.setdefault(label, []).append(history_id)
    records = {}
    for label, ids in by_label.items():
        model = history.tracked_model(*label.split("."))
        found = list(history.history_model_of(model).objects.filter(history_id__in=ids))
        # Their names may read related records (a role names its person and group).
        related = [field.name for field in history.compared_fields(model) if field.many_to_one]
        objects = [record.history_object for record in found]
        prefetch_related_objects(objects, *related)
        for record, obj in zip(found, objects, strict=True):
            records[label, record.history_id] = (model, record, obj)
    users = get_user_model().objects.in_bulk({row[4] for row in page_rows if row[4] is not None})
    rows = []
    for label, history_id, when, kind, user_id, object_id in page_rows:
        model, record, obj = records[label, history_id]
        opts = model._meta
        row = {
            "when": when,
            "kind": history.CHANGE_KINDS[kind],
            "model": str(opts.verbose_name).capitalize(),
            "object": history.record_name(obj),
            "user": users.get(user_id),
            "reason": record.history_change_reason,
            # A row without an admin page of its own (an author, a participant) opens
            # its change on a page of the audit log's.
            "compare_url": _version_url(opts, object_id, to=history_id)
            if admin.site.is_registered(model)
            else reverse("admin_history_row", args=[label, history_id]),
            "restore_url": reverse("admin_history_restore", args=[label, history_id])
            if kind == "-" and history.may(user, model, "add")
            else None,
        }
        rows.append(row)
    return rows


def audit_log(request):
    """Every change to the content the user may view, newest first, filtered by person,
    kind of record and period; each with a link to its comparison with the version
    before, and deleted records with a restore button."""
    models_shown = _viewable_models(request.user)
    if not models_shown:
        raise PermissionDenied
    form = AuditLogForm(request.GET or None, models_shown=models_shown)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chosen = filters.get("model")
    changes = history.changes(
        [model for model in models_shown if not chosen or model._meta.label_lower == chosen],
        user_id=filters["user"].pk if filters.get("user") else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("History of changes"),
        "subtitle": None,
        "form": form,
        "page_obj": page,
        "rows": _rows(list(page), request.user),
    }
    return TemplateResponse(request, "admin/core/history/audit_log.html", context)


def restore(request, label, history_id):
    """GET: the deleted record as it was, and a button; POST: bring it back with its
    links and the rows deleted with it."""
    app_label, _dot, model_name = label.partition(".")
    model = history.tracked_model(app_label, model_name)
    if model is None:
        raise Http404
    if not history.may(request.user, model, "add"):
        raise PermissionDenied
    history_model = history.history_model_of(model)
    record = history_model.objects.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise Http404
    if request.method == "POST":
        return _restore(request, model, record)
    context = {
        **admin.site.each_context(request),
        "title": _("Restore %(object)s?") % {"object": history.record_name(record.history_object)},
        "subtitle": None,
        "record": record,
        "model_name": model._meta.verbose_name,
        "exists": model._base_manager.filter(pk=record.history_object.pk).exists(),
        "differences": history.compare(model, None, history.previous_version(record) or record),
    }
    return TemplateResponse(request, "admin/core/history/restore_confirm.html", context)


def _restore(request, model, record):
    try:
        obj, skipped = history.record_restore(record=record, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("This record cannot come back: %(reason)s") % {"reason": " ".join(error.messages)},
        )
        return redirect("admin_history")
    messages.success(request, _("“%(object)s” is restored.") % {"object": obj})
    if skipped:
        messages.warning(request, _skipped_message(skipped))
    if admin.site.is_registered(model):
        opts = model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", quote(obj.pk))
    return redirect("admin_history")


@require_safe
def row_change(request, label, history_id):
    """One change of a row that has no admin page of its own (an author of a
    publication, a participant of an event, a funder's supported publication): the
    fields it changed from the row's version before, and links to the history of the
    record whose page edits it. Needs the row's model's view permission, as the audit
    log's row does."""
    app_label, _dot, model_name = label.partition(".")
    model = history.tracked_model(app_label, model_name)
    if model is None or admin.site.is_registered(model):
        raise Http404
    if not history.may(request.user, model, "view"):
        raise PermissionDenied
    record = history.history_model_of(model).objects.filter(history_id=history_id).first()
    if record is None:
        raise Http404
    before = history.previous_version(record)
    parent_url = parent_name = None
    link = history.parent_link(model)
    if link is not None and admin.site.is_registered(link.related_model):
        parent = link.related_model._base_manager.filter(pk=getattr(record, link.attname)).first()
        parent_opts = link.related_model._meta
        if parent is not None and history.may(request.user, link.related_model, "view"):
            parent_name = history.record_name(parent)
            parent_url = reverse(
                f"admin:{parent_opts.app_label}_{parent_opts.model_name}_history",
                args=[quote(parent.pk)],
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Compare versions: %(object)s")
        % {"object": history.record_name(record.history_object)},
        "subtitle": None,
        "before": before,
        "after": record,
        "before_kind": history.CHANGE_KINDS[before.history_type] if before else "",
        "after_kind": history.CHANGE_KINDS[record.history_type],
        "differences": history.compare(model, before, record),
        "parent_url": parent_url,
        "parent_name": parent_name,
    }
    return TemplateResponse(request, "admin/core/history/compare.html", context)


def history_urls():
    """The admin-wide history pages, to include under /admin/history/ before the admin's
    own URLs (the admin site's views check sign-in and staff status)."""
    wrap = admin.site.admin_view
    return [
        path("", wrap(audit_log), name="admin_history"),
        path("<str:label>/<int:history_id>/", wrap(row_change), name="admin_history_row"),
        path(
            "<str:label>/<int:history_id>/restore/",
            wrap(restore),
            name="admin_history_restore",
        ),
    ]
