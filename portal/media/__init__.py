"""Wagtail documents and images that must not be public (docs/operations.md, 媒体文件):

- storage.py — the default storage: files of private collections carry a name mark and live in
  PROTECTED_MEDIA_ROOT, outside MEDIA_ROOT, with a Django URL instead of a /media/ one;
- privacy.py — which collections are private or public, who may see a document or image, and the
  move of a file (and the drop of its renditions) when its collection's privacy changes;
- views.py — the document serve view's guard and cache headers, the protected-media view;
- sendfile_nginx.py — hands a checked file to nginx by X-Accel-Redirect (MEDIA_X_ACCEL).
"""
