"""The records administration site: who may enter it is decided by the access rules.

Django's default admin admits any ``is_staff`` user and lets a superuser see everything. Here a
user enters with a staff role and sees, in every list, exactly what ``standard.access`` lets them
see elsewhere; a superuser without a role sees nothing (superusers are for the command line).
"""

from django.contrib import admin

from beyondraid.standard import access


class RecordsAdminSite(admin.AdminSite):
    site_header = "Beyond the Raid — records administration"
    site_title = "Beyond the Raid"
    index_title = "Records of the data standard"

    def has_permission(self, request):
        return access.role_of(request.user) is not None
