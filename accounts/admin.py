from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import District, Membership, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class TidligUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    # UserAdmin sets fieldsets; the stubs give it ModelAdmin's optional type.
    fieldsets = (*UserAdmin.fieldsets, ("Tidlig", {"fields": ("title",)}))  # type: ignore[misc]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "active"]
    list_filter = ["kind", "district"]


admin.site.register(District)
