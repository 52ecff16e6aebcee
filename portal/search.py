"""Chinese full-text search: word segmentation at indexing and at query time.

Wagtail's database backends (and a stock Elasticsearch/OpenSearch analyser) split text on spaces and
punctuation, so an unsegmented Chinese title is one long "word": 婚姻登记处办理结婚登记 would never match
结婚登记. Here text is segmented before it reaches the index, and the query is segmented the same way:

- `Segmenter` is the one small interface (`index_terms`, `query_terms`); `JiebaSegmenter` implements it
  with jieba, a 民政 dictionary (fixtures/search/minzheng_dict.txt) and synonyms
  (fixtures/search/synonyms.txt: 低保 = 最低生活保障, ..., merged with the 搜索同义词 editors add in the
  admin, portal/search_synonyms.py). Settings pick it: `PORTAL_SEARCH_SEGMENTER`.
- `SegmentedSearchMixin` adds one search field to a page type, `search_segments`, holding the
  segmented text of all its other search fields. Because the segmented words are separated by spaces,
  any backend chosen by `WAGTAILSEARCH_BACKENDS` (database on PostgreSQL/SQLite, Elasticsearch,
  OpenSearch) indexes them as words.
- `search_pages` runs a segmented query over live, public pages, each word expanded to all its forms
  (`search_query`); `highlight` marks the matched words.
- `register_search_source`: public content an app keeps outside the page tree (答复公开), searched
  with the pages; `CombinedResults` paginates pages and sources together.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from wagtail.search import index

logger = logging.getLogger(__name__)

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
# jieba frequency of a synonym, so that it is cut as one word.
SYNONYM_FREQ = 20000


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
    """jieba with the 民政 dictionary and synonyms. One tokenizer per process, loaded lazily.

    Synonyms come from the shipped file and from the admin (`SearchSynonym`, 搜索同义词). The
    admin's are read again whenever the shared version key in Django's cache
    (`SYNONYMS_VERSION_KEY`) has changed: `refresh()` checks it once per query (every gunicorn
    process and worker sees an editor's change at its next query, without a restart)."""

    def __init__(
        self,
        dictionary: Path = SEARCH_FIXTURES / "minzheng_dict.txt",
        synonyms: Path = SEARCH_FIXTURES / "synonyms.txt",
    ):
        self.dictionary_path = dictionary
        self.file_synonyms = load_synonyms(synonyms)
        self.synonyms = dict(self.file_synonyms)
        self._synonyms_version: str | None = None
        self._added_words: set[str] = set()  # synonyms the dictionaries did not know
        self._synced_words: set[str] = set()  # synonyms made words of the tokenizer
        self._tokenizer = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Merge in the admin's synonyms if they changed since this process last read them (one
        cache read; one query when they changed)."""
        version = synonyms_version()
        if version == self._synonyms_version:
            return
        with self._lock:
            merged = dict(self.file_synonyms)
            for canonical, aliases in admin_synonyms():
                # The file's canonical form wins for a word listed in both.
                canonical = merged.get(canonical, canonical)
                for word in [canonical, *aliases]:
                    merged.setdefault(word, canonical)
            self.synonyms = merged
            self._synonyms_version = version
            if self._tokenizer is not None:
                self._sync_words(self._tokenizer)

    def _sync_words(self, tokenizer) -> None:
        """Every synonym is a word of its own, so an abbreviation is never split. A word this
        added that is no synonym any more is dropped again — never a word of jieba's or the 民政
        dictionary."""
        for word in self.synonyms:
            if word in self._synced_words:
                continue
            self._synced_words.add(word)
            freq = tokenizer.FREQ.get(word) or 0
            if not freq:
                self._added_words.add(word)  # new to the tokenizer: ours to remove later
            if freq < SYNONYM_FREQ:
                tokenizer.add_word(word, freq=SYNONYM_FREQ)
        for word in self._added_words - set(self.synonyms):
            tokenizer.del_word(word)
            self._added_words.discard(word)
            self._synced_words.discard(word)

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.load_userdict(str(self.dictionary_path))
                    self._sync_words(tokenizer)
                    self._tokenizer = tokenizer
        return self._tokenizer

    @staticmethod
    def _keep(word: str) -> bool:
        word = word.strip()
        return bool(word) and word not in STOPWORDS and bool(_WORD_RE.search(word))

    def canonical(self, word: str) -> str:
        return self.synonyms.get(word, word)

    def variants(self, word: str) -> list[str]:
        """The canonical form of `word` first, then every other word with that canonical form."""
        canonical = self.canonical(word)
        others = sorted(w for w, c in self.synonyms.items() if c == canonical and w != canonical)
        return [canonical, *others]

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
            terms.update(self.variants(word))
        return sorted(terms, key=len, reverse=True)


# -- synonyms added by editors (SearchSynonym, portal/search_synonyms.py) --------------------------

SYNONYMS_VERSION_KEY = "portal:search:synonyms-version"


def synonyms_version() -> str:
    """The shared version of the admin's synonyms (set anew on every change)."""
    from django.core.cache import cache

    try:
        version = cache.get(SYNONYMS_VERSION_KEY)
        if version is None:
            # An empty or flushed cache: start a version every process then agrees on.
            cache.add(SYNONYMS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(SYNONYMS_VERSION_KEY) or ""
    except Exception:  # the cache is down: search on with the synonyms this process has
        logger.warning("search synonyms: the shared cache could not be read", exc_info=True)
        return _segmenter_version()
    return version


def _segmenter_version() -> str:
    return getattr(_segmenter(), "_synonyms_version", None) or ""


def synonyms_changed(**kwargs) -> None:
    """Receiver for SearchSynonym saves and deletes (connected in portal/apps.py): a new version,
    so every process reads the synonyms again at its next query; and the cached search answers
    and catalogue listings go (EVERYTHING: the catalogue's keyword filter lives under each
    site's own section path)."""
    from django.core.cache import cache

    from .frontcache.backends import EVERYTHING
    from .frontcache.purge import ban_after_commit

    def bump():
        cache.set(SYNONYMS_VERSION_KEY, uuid.uuid4().hex, timeout=None)

    # Now (this connection's next query sees the change at once) and again after the commit: a
    # process that read the rows between the two, before the commit, reads them again.
    bump()
    transaction.on_commit(bump)
    ban_after_commit({EVERYTHING})


def admin_synonyms() -> list[tuple[str, list[str]]]:
    """(canonical, aliases) of the enabled admin synonyms, lower-cased as the index is."""
    from .search_synonyms import SearchSynonym

    try:
        rows = list(
            SearchSynonym.objects.filter(enabled=True)
            .order_by("pk")
            .values_list("canonical", "aliases")
        )
    except DatabaseError:  # not migrated yet (a fresh clone running migrate)
        return []
    return [
        (canonical.strip().lower(), [a.lower() for a in split_aliases(aliases)])
        for canonical, aliases in rows
        if canonical.strip()
    ]


_ALIAS_SPLIT_RE = re.compile(r"[\s,，、;；/]+")


def split_aliases(text: str) -> list[str]:
    """Aliases as typed by an editor: separated by spaces, commas, 、 or semicolons."""
    return [a for a in _ALIAS_SPLIT_RE.split(text or "") if a]


@cache
def _segmenter() -> Segmenter:
    path = getattr(settings, "PORTAL_SEARCH_SEGMENTER", "portal.search.JiebaSegmenter")
    return import_string(path)()


_last_refresh = 0.0
# Indexing checks the synonyms' version at most this often (a bulk import indexes thousands of
# objects); queries check it every time.
INDEX_REFRESH_SECONDS = 5.0


def get_segmenter(*, max_age: float = 0.0) -> Segmenter:
    """The process's segmenter, with the admin's synonyms as of now (see JiebaSegmenter.refresh:
    one cache read per call), or as of at most `max_age` seconds ago."""
    global _last_refresh
    segmenter = _segmenter()
    refresh = getattr(segmenter, "refresh", None)
    now = time.monotonic()
    if refresh is not None and (not max_age or now - _last_refresh >= max_age):
        refresh()
        _last_refresh = now
    return segmenter


def keyword_variants(word: str) -> set[str]:
    """For the listings' keyword filters (icontains, not the index): the word as typed and every
    form of it — shipped synonyms and the admin's as of now (低保 → 最低生活保障 and back)."""
    word = (word or "").strip()
    if not word:
        return set()
    segmenter = get_segmenter()
    variants = {word, word.lower()}
    if hasattr(segmenter, "variants"):
        variants.update(segmenter.variants(word.lower()))
    return variants


def index_text(text: str) -> str:
    """Text as the index should see it: segmented words separated by spaces."""
    return " ".join(get_segmenter(max_age=INDEX_REFRESH_SECONDS).index_terms(text))


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


def search_query(text: str):
    """A user's query as a search query object: every word must match (And), each in any of its
    forms (Or over the canonical word and its synonyms). Expanding at query time makes a synonym an
    editor has just added work at once: pages indexed before it still hold the words as they were
    segmented then (the canonical form only for synonyms known at indexing). None when nothing
    meaningful is left."""
    from wagtail.search.query import And, Or, PlainText

    segmenter = get_segmenter()
    parts = []
    for term in segmenter.query_terms(text):
        variants = segmenter.variants(term) if hasattr(segmenter, "variants") else [term]
        options = [PlainText(v, operator="and") for v in variants]
        parts.append(options[0] if len(options) == 1 else Or(options))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def search_pages(query: str, *, within=None, queryset=None):
    """Live, public pages matching every word of `query` (in any of its synonyms' forms), best
    first. `within`: limit to that page's descendants (a section). Returns (results, terms);
    results is a search results object that paginates lazily."""
    from wagtail.models import Page

    q = search_query(query)
    if q is None:
        return Page.objects.none(), []
    qs = queryset if queryset is not None else Page.objects.live().public()
    if within is not None:
        qs = qs.descendant_of(within)
    results = qs.search(q, order_by_relevance=True)
    return results, get_segmenter().display_terms(query)


# -- public content that is not a page (答复公开 ...) ---------------------------------------------


@dataclass(frozen=True)
class SearchEntry:
    """One search hit that is not a page, as the search page shows it."""

    title: str
    url: str
    text: str  # plain text the excerpt is cut from
    label: str  # what kind of content it is (答复公开)


@dataclass(frozen=True)
class SearchSource:
    """Public content an app keeps outside the page tree, searched along with the pages.

    `path`: the site path it is shown under (/hdjl/dfgk/), so a search within a section (互动交流,
    /hdjl/) includes it. `search(query)`: a lazily sliced result set with `count()` for a search
    query object (see `search_query`); only what is public may be in it. `entries(objects)`: the
    public form of a slice of those results, as SearchEntry, in their order."""

    name: str
    path: str
    search: Callable[[Any], Any]
    entries: Callable[[list], list[SearchEntry]]


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> SearchSource:
    """Called by an app in its AppConfig.ready() (portal imports no app)."""
    _SOURCES[source.name] = source
    return source


def search_sources(within_path: str | None = None) -> list[SearchSource]:
    """The sources shown under `within_path` (a section's site path such as /hdjl/), or all."""
    return [
        source
        for source in _SOURCES.values()
        if within_path is None or source.path.startswith(within_path)
    ]


class CombinedResults:
    """Several lazily sliced result sets read as one sequence, for a Paginator: the first set's
    hits, then the next set's ... Each part is a (results, convert) pair; `convert` turns a slice
    of that part's objects into display items. Counting costs one count per part; a page only
    fetches the parts it shows, so the queries per page are fixed whatever the hits."""

    def __init__(self, parts: list[tuple[Any, Callable[[list], list]]]):
        self.parts = parts
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [results.count() for results, _convert in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("CombinedResults supports plain slices only")
        total = self.count()
        start, stop, _step = key.indices(total)
        items, offset = [], 0
        for (results, convert), count in zip(self.parts, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, count)
            if lo < hi:
                items += convert(list(results[lo:hi]))
            offset += count
        return items
