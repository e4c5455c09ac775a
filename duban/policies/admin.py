from django.contrib import admin

from duban.core.admin import RegionalAdmin, RegionalTabularInline

from .models import Explanation, Material, Payout, Policy, Publication


class MaterialInline(RegionalTabularInline):
    model = Material
    extra = 0
    fields = ("kind", "text", "original_name", "added_at")
    readonly_fields = ("original_name",)


@admin.register(Policy)
class PolicyAdmin(RegionalAdmin):
    list_display = ("title", "level", "issuer", "issued_on", "lead_unit", "reform", "public")
    list_filter = ("level", "reform", "public", "region")
    search_fields = ("title", "document_number", "issuer")
    list_select_related = ("lead_unit",)
    filter_horizontal = ("measures",)
    inlines = [MaterialInline]


@admin.register(Publication)
class PublicationAdmin(RegionalAdmin):
    list_display = ("material", "channel", "outlet", "published_on")
    list_filter = ("channel",)
    list_select_related = ("material__policy",)


@admin.register(Explanation)
class ExplanationAdmin(RegionalAdmin):
    list_display = ("week", "policy", "held_on", "where")
    list_select_related = ("policy",)


@admin.register(Payout)
class PayoutAdmin(RegionalAdmin):
    list_display = ("policy", "mode", "company_name", "amount", "applied_on", "paid_on")
    list_filter = ("mode",)
    search_fields = ("company_name", "credit_code")
    list_select_related = ("policy",)
