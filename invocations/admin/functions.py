"""Functions ($LATEST) with their versions and aliases inline; versions are read-only, publishing is an action."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from ..errors import LambdaError
from ..models import Alias, CodeKind, Function, Version
from ..rules.functions import RUNTIMES, SNAP_START_APPLY_ON, TRACING_MODES
from ..services import (
    function_create,
    function_update_code,
    function_update_configuration,
    version_delete,
    version_publish,
)
from .display import masked_environment

CODE_FIELDS = {"code_kind", "behaviour_profile", "handler_source"}
CONFIG_FIELDS = (
    "description",
    "runtime",
    "handler",
    "role",
    "memory_size",
    "timeout",
    "environment",
    "dead_letter_target_arn",
    "tracing_mode",
    "snap_start_apply_on",
    "ephemeral_storage_size",
)


class FunctionForm(forms.ModelForm):
    """Secrets are write-only: typed in clear here, stored encrypted, never shown again."""

    runtime = forms.ChoiceField(choices=[(r, r) for r in RUNTIMES])
    # Optional in a post (scripts and older forms leave them out): blank keeps AWS's defaults.
    tracing_mode = forms.ChoiceField(choices=[(m, m) for m in TRACING_MODES], initial="PassThrough", required=False)
    snap_start_apply_on = forms.ChoiceField(
        choices=[(a, a) for a in SNAP_START_APPLY_ON], initial="None", required=False
    )
    ephemeral_storage_size = forms.IntegerField(
        required=False, initial=512, label="EphemeralStorage size", help_text="MB of /tmp, 512–10240."
    )
    new_secrets = forms.JSONField(
        required=False,
        label="Set secret variables",
        help_text='Clear values as JSON, e.g. {"DB_PASSWORD": "…"}; stored encrypted and shown as ****. '
        "Replaces all current secrets. Leave empty to keep them.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    clear_secrets = forms.BooleanField(required=False, label="Remove all secret variables")

    class Meta:
        model = Function
        fields = ["name", *CONFIG_FIELDS, "code_kind", "behaviour_profile", "handler_source"]

    def clean(self):
        cleaned = super().clean()
        secrets = self.secret_values()
        if secrets is not None:
            if not isinstance(secrets, dict):
                raise forms.ValidationError({"new_secrets": "Secret variables must be a JSON object."})
            # Set now so the model's validation (4 KB, reserved keys) sees them.
            self.instance.set_secret_environment(secrets)
        return cleaned

    def clean_tracing_mode(self) -> str:
        return self.cleaned_data.get("tracing_mode") or self.instance.tracing_mode or "PassThrough"

    def clean_snap_start_apply_on(self) -> str:
        return self.cleaned_data.get("snap_start_apply_on") or self.instance.snap_start_apply_on or "None"

    def clean_ephemeral_storage_size(self) -> int:
        value = self.cleaned_data.get("ephemeral_storage_size")
        return value if value is not None else (self.instance.ephemeral_storage_size or 512)

    def secret_values(self) -> dict | None:
        """The new secrets in clear, {} to remove them all, None to keep what is stored."""
        if self.cleaned_data.get("clear_secrets"):
            return {}
        value = self.cleaned_data.get("new_secrets")
        return None if value in (None, "") else value


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "description", "code_kind", "code_sha256", "memory_size", "timeout", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AliasInline(admin.TabularInline):
    model = Alias
    fk_name = "function"
    fields = ["name", "function_version", "routing_config", "description"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    form = FunctionForm
    list_display = [
        "name",
        "runtime",
        "code_kind",
        "memory_size",
        "timeout",
        "reserved",
        "version_count",
        "last_modified",
    ]
    list_filter = ["code_kind", "runtime"]
    search_fields = ["name", "description"]
    readonly_fields = ["arn", "secret_variables", "code_sha256", "code_size", "revision_id", "next_version_number"]
    inlines = [VersionInline, AliasInline]
    actions = ["publish_version"]
    fieldsets = [
        (None, {"fields": ["name", "description", "arn"]}),
        (
            "Configuration",
            {
                "fields": [
                    "runtime",
                    "handler",
                    "role",
                    "memory_size",
                    "timeout",
                    "dead_letter_target_arn",
                    "tracing_mode",
                    "snap_start_apply_on",
                    "ephemeral_storage_size",
                ]
            },
        ),
        ("Environment", {"fields": ["environment", "secret_variables", "new_secrets", "clear_secrets"]}),
        ("Code", {"fields": ["code_kind", "behaviour_profile", "handler_source", "code_sha256", "code_size"]}),
        ("Bookkeeping", {"fields": ["revision_id", "next_version_number"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("concurrency")

    def get_readonly_fields(self, request, obj=None):
        # A function cannot be renamed.
        return [*self.readonly_fields, "name"] if obj else self.readonly_fields

    @admin.display(description="ARN")
    def arn(self, obj: Function) -> str:
        return obj.arn if obj.pk else "-"

    @admin.display(description="Secret variables")
    def secret_variables(self, obj: Function) -> str:
        return masked_environment(obj) if obj.pk else "-"

    @admin.display(description="Reserved")
    def reserved(self, obj: Function):
        return obj.reserved_concurrency

    @admin.display(description="Versions")
    def version_count(self, obj: Function) -> int:
        return obj.versions.count()

    def save_model(self, request, obj: Function, form: FunctionForm, change: bool) -> None:
        # Through the services, so the admin follows the same rules and RevisionId/CodeSha256 bookkeeping as the API.
        data = form.cleaned_data
        config = {field: data[field] for field in CONFIG_FIELDS}
        modelled = data["code_kind"] == CodeKind.MODELLED
        code = {
            "behaviour_profile": (data.get("behaviour_profile") or {}) if modelled else None,
            "handler_source": None if modelled else data.get("handler_source"),
        }
        if not change:
            config["role"] = config["role"] or None  # blank: the default execution role
            created = function_create(
                name=data["name"], secret_environment=form.secret_values() or {}, **config, **code
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        function_update_configuration(function=obj, secret_environment=form.secret_values(), **config)
        if CODE_FIELDS & set(form.changed_data):
            function_update_code(function=obj, **code)
        obj.refresh_from_db()

    @admin.action(description="Publish a new version of the selected functions")
    def publish_version(self, request, queryset) -> None:
        for function in queryset:
            before = function.next_version_number
            version = version_publish(function=function)
            if version.number >= before:
                self.message_user(request, f"Published {version}.", messages.SUCCESS)
            else:
                self.message_user(request, f"Nothing changed since {version}; no new version.", messages.INFO)


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Published versions never change; they can only be deleted (not while an alias points at them)."""

    list_display = [
        "__str__",
        "function_link",
        "number",
        "description",
        "code_kind",
        "memory_size",
        "timeout",
        "created_at",
    ]
    list_filter = ["code_kind", "function"]
    search_fields = ["function__name", "description"]
    readonly_fields = [
        "function",
        "number",
        "description",
        "runtime",
        "handler",
        "role",
        "memory_size",
        "timeout",
        "environment_variables",
        "dead_letter_target_arn",
        "tracing_mode",
        "snap_start_apply_on",
        "ephemeral_storage_size",
        "code_kind",
        "behaviour_profile",
        "handler_source",
        "code_sha256",
        "code_size",
        "revision_id",
        "created_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Function", ordering="function__name")
    def function_link(self, obj: Version) -> str:
        url = reverse("admin:invocations_function_change", args=[obj.function_id])
        return format_html('<a href="{}">{}</a>', url, obj.function.name)

    @admin.display(description="Environment")
    def environment_variables(self, obj: Version) -> str:
        return masked_environment(obj)

    def delete_model(self, request, obj: Version) -> None:
        try:
            version_delete(function=obj.function, number=obj.number)
        except LambdaError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        for version in queryset:
            self.delete_model(request, version)
