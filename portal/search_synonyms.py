"""搜索同义词: the synonyms editors add in the admin (系统设置 → 搜索同义词), merged by the site search
(portal/search.py JiebaSegmenter) with the shipped fixtures/search/synonyms.txt.

A save or a delete takes effect at every process's next query without a restart or a reindex:
portal/apps.py connects `portal.search.synonyms_changed`, which sets a new version in Django's
shared cache; each process compares it at every query and reads the synonyms again when it moved.
Queries are expanded to every form of each word, so pages indexed before the synonym existed are
found at once by any form they contain; their index gains the canonical form when they are next
saved or by `manage.py update_index`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class SearchSynonym(models.Model):
    """搜索同义词 an editor adds in the admin: a canonical word and the abbreviations or other
    names searched as it (低保 → 最低生活保障). Merged with fixtures/search/synonyms.txt; a save or a
    delete takes effect at every process's next query (portal.search.synonyms_changed)."""

    canonical = models.CharField(
        _("规范用词"),
        max_length=40,
        unique=True,
        help_text=_("检索时统一使用的完整说法，如“最低生活保障”。"),
    )
    aliases = models.CharField(
        _("同义词、简称"),
        max_length=400,
        help_text=_(
            "用空格、逗号或顿号分隔，如“低保、低保金”。搜索其中任一词，都能找到含其他词的内容。"
        ),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    panels = [
        FieldPanel("canonical"),
        FieldPanel("aliases"),
        FieldPanel("enabled"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["canonical"]

    def __str__(self) -> str:
        return self.canonical

    def clean(self):
        from django.core.exceptions import ValidationError

        from .search import split_aliases

        self.canonical = (self.canonical or "").strip()
        aliases = [a for a in split_aliases(self.aliases) if a != self.canonical]
        if not aliases:
            raise ValidationError({"aliases": _("请至少填写一个与规范用词不同的同义词或简称。")})
        self.aliases = "、".join(dict.fromkeys(aliases))
