from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import sitemap, views
from .api import api
from .media import views as media_views
from .security.views import AdminLogoutView

handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    # Before Wagtail's own: logout by POST only, and the second factor's sign-in pages.
    path("admin/logout/", AdminLogoutView.as_view()),
    path("admin/2fa/", include("portal.security.twofactor.urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URL with our rules (portal/media): before Wagtail's own patterns
    path(
        "documents/<int:document_id>/<str:document_filename>",
        media_views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("protected-media/<path:name>", media_views.protected_media, name="protected_media"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", views.api_not_found),
    path("a11y/elder/", views.elder_mode_toggle, name="elder_mode_toggle"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("wzdt/", views.site_map, name="site_map"),
    path("sitemap.xml", sitemap.sitemap, name="sitemap_xml"),
    path("sitemap/<int:part>.xml", sitemap.sitemap_part, name="sitemap_xml_part"),
    path("lxwm/", views.contact, name="contact"),
    path("", include("portal.cases.urls")),
    path("", include("portal.surveys.urls")),
    path("", include("portal.alerts.urls")),
    path("", include("disclosure.urls")),
    path("", include("services.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
