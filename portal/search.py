"""Chinese full-text search: word segmentation at indexing and at query time.

Wagtail's database backends (and a stock Elasticsearch/OpenSearch analyser) split text on spaces and
punctuation, so an unsegmented Chinese title is one long "word": 婚姻登记处办理结婚登记 would never match
结婚登记. Here text is segmented before it reaches the index, and the query is segmented the same way:

- `Segmenter` is the one small interface (`index_terms`, `query_terms`); `JiebaSegmenter` implements it
  with jieba, a 民政 dictionary (fixtures/search/minzheng_dict.txt) and synonyms
  (fixtures/search/synonyms.txt: 低保 = 最低生活保障, ...). Settings pick it: `PORTAL_SEARCH_SEGMENTER`.
- `SegmentedSearchMixin` adds one search field to a page type, `search_segments`, holding the
  segmented text of all its other search fields. Because the segmented words are separated by spaces,
  any backend chosen by `WAGTAILSEARCH_BACKENDS` (database on PostgreSQL/SQLite, Elasticsearch,
  OpenSearch) indexes them as words.
- `search_pages` runs a segmented query over live, public pages; `highlight` marks the matched words.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from wagtail.search import index

SEARCH_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "search"
# Words that carry no meaning in a query (的, 和, 关于 ...) and punctuation/whitespace tokens.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "对",
        "将",
        "为",
        "等",
        "关于",
        "有关",
        "进一步",
        "一",
        "之",
    ]
)
_WORD_RE = re.compile(r"[\w]", re.UNICODE)
MAX_QUERY_TERMS = 12


class Segmenter(Protocol):
    def index_terms(self, text: str) -> list[str]:
        """All words to index for `text` (fine-grained and whole words, plus canonical synonyms)."""

    def query_terms(self, text: str) -> list[str]:
        """The words a query must match, each in its canonical form, without duplicates."""

    def display_terms(self, text: str) -> list[str]:
        """Words to highlight for a query: its words and all their synonyms."""


def load_synonyms(path: Path) -> dict[str, str]:
    """word → canonical word, from lines `canonical alias alias ...` (# starts a comment)."""
    mapping: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2:
            continue
        for word in words:
            mapping[word] = words[0]
    return mapping


class JiebaSegmenter:
    """jieba with the 民政 dictionary and synonyms. One tokenizer per process, loaded lazily."""

    def __init__(
        self,
        dictionary: Path = SEARCH_FIXTURES / "minzheng_dict.txt",
        synonyms: Path = SEARCH_FIXTURES / "synonyms.txt",
    ):
        self.dictionary_path = dictionary
        self.synonyms = load_synonyms(synonyms)
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.load_userdict(str(self.dictionary_path))
                    # Every synonym is a word of its own, so an abbreviation is never split.
                    for word in self.synonyms:
                        tokenizer.add_word(word, freq=20000)
                    self._tokenizer = tokenizer
        return self._tokenizer

    @staticmethod
    def _keep(word: str) -> bool:
        word = word.strip()
        return bool(word) and word not in STOPWORDS and bool(_WORD_RE.search(word))

    def canonical(self, word: str) -> str:
        return self.synonyms.get(word, word)

    def index_terms(self, text: str) -> list[str]:
        if not text:
            return []
        tok = self.tokenizer
        words = [w.strip().lower() for w in tok.cut_for_search(text) if self._keep(w)]
        # Whole words of the precise cut too (cut_for_search drops none, but be explicit), then the
        # canonical form of each synonym so 低保 and 最低生活保障 index the same word.
        whole = [w.strip().lower() for w in tok.cut(text) if self._keep(w)]
        words += whole
        # Dictionary words inside long words (婚姻登记 in 婚姻登记处): cut_for_search only adds the
        # 2- and 3-character ones.
        for word in whole:
            for size in range(4, len(word)):
                for start in range(len(word) - size + 1):
                    part = word[start : start + size]
                    if tok.FREQ.get(part):
                        words.append(part)
        extra = [self.canonical(w) for w in words if self.canonical(w) != w]
        seen, out = set(), []
        for word in words + extra:
            if word not in seen:
                seen.add(word)
                out.append(word)
        return out

    def query_terms(self, text: str) -> list[str]:
        seen, out = set(), []
        for word in self.tokenizer.cut((text or "").strip()):
            word = word.strip().lower()
            if not self._keep(word):
                continue
            word = self.canonical(word)
            if word not in seen:
                seen.add(word)
                out.append(word)
        return out[:MAX_QUERY_TERMS]

    def display_terms(self, text: str) -> list[str]:
        terms = set()
        for word in self.query_terms(text):
            terms.add(word)
            terms.update(alias for alias, canon in self.synonyms.items() if canon == word)
        return sorted(terms, key=len, reverse=True)


@cache
def get_segmenter() -> Segmenter:
    path = getattr(settings, "PORTAL_SEARCH_SEGMENTER", "portal.search.JiebaSegmenter")
    return import_string(path)()


def index_text(text: str) -> str:
    """Text as the index should see it: segmented words separated by spaces."""
    return " ".join(get_segmenter().index_terms(text))


def query_string(text: str) -> str:
    """A user's query as the backend should see it: its canonical words separated by spaces."""
    return " ".join(get_segmenter().query_terms(text))


def _flatten(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _flatten(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _flatten(item)]
    return [str(value)]


class SegmentedSearchMixin:
    """Add to a page (or any indexed model) type *before* its base class:

    class MyPage(SegmentedSearchMixin, Page):
        search_fields = Page.search_fields + [..., SegmentedSearchMixin.segmented_field()]
    """

    SEGMENTED_FIELD = "search_segments"

    @classmethod
    def segmented_field(cls):
        return index.SearchField(cls.SEGMENTED_FIELD)

    def search_segments(self) -> str:
        parts: list[str] = []
        for field in self.get_search_fields():
            if isinstance(field, index.SearchField) and field.field_name != self.SEGMENTED_FIELD:
                parts += _flatten(field.get_value(self))
        text = " ".join(parts)
        # The backends ask for this field several times per object (index, title, autocomplete):
        # segment once per distinct text.
        memo = self.__dict__.get("_segments_memo")
        if memo is None or memo[0] != text:
            memo = (text, index_text(text))
            self.__dict__["_segments_memo"] = memo
        return memo[1]


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap each occurrence of the terms (longest first) in <mark>."""
    text = text or ""
    terms = [t for t in terms if t]
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def excerpt(text: str, terms: list[str], width: int = 120) -> str:
    """A window of `text` around the first matched term, with ellipses where cut."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= width:
        return text
    first = min((i for t in terms if t and (i := text.lower().find(t.lower())) >= 0), default=0)
    start = max(0, first - width // 4)
    end = start + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search_pages(query: str, *, within=None, queryset=None):
    """Live, public pages matching every word of `query`, best first. `within`: limit to that page's
    descendants (a section). Returns (results, terms); results is a search results object that
    paginates lazily."""
    from wagtail.models import Page

    q = query_string(query)
    if not q:
        return Page.objects.none(), []
    qs = queryset if queryset is not None else Page.objects.live().public()
    if within is not None:
        qs = qs.descendant_of(within)
    results = qs.search(q, operator="and", order_by_relevance=True)
    return results, get_segmenter().display_terms(query)
